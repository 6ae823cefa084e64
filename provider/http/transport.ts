import * as fs from "fs";
import * as tls from "tls";
import { Agent, request as undiciRequest } from "undici";
import type { PipelineRequest, PipelineResponse, SendRequest } from "./types";

export interface TransportOptions {
  /** PEM file of an extra CA to trust (the emulator's); the system's roots stay trusted. */
  caFile?: string;
  /** Open connections per origin (default {@link defaultConnections}). */
  connections?: number;
  defaultTimeoutInMs?: number;
}

/** Connections per origin: with HTTP/1.1, also the most requests one origin can have in flight. */
export const defaultConnections = 512;

/**
 * The undici dispatcher every call shares (MSAL's too): keep-alive connection pooling, a timeout per
 * request, and TLS always checked. An extra CA is trusted only when configured, added to the
 * system's roots rather than replacing them.
 */
export function createAgent(options: TransportOptions = {}): Agent {
  // One TLS context for every connection: given `ca` instead, each new connection would parse the
  // whole root store again (a tenth of the provider's CPU in a 1000-consent refresh).
  const secureContext = options.caFile ? tls.createSecureContext({ ca: [...tls.rootCertificates, fs.readFileSync(options.caFile, "utf8")] }) : undefined;
  return new Agent({
    connect: secureContext ? { secureContext } : {},
    // HTTP/1.1 without pipelining holds a connection per request in flight: a refresh reads every
    // resource at once (4 chained Graph calls per consent, one tenant each), so the pool must not be
    // what paces it; the rate limiters are.
    connections: options.connections ?? defaultConnections,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    pipelining: 1,
  });
}

export function undiciTransport(agent: Agent, defaultTimeoutInMs = 60_000): SendRequest {
  return async (request: PipelineRequest): Promise<PipelineResponse> => {
    const timeout = AbortSignal.timeout(request.timeoutInMs ?? defaultTimeoutInMs);
    const signal = request.abortSignal ? AbortSignal.any([request.abortSignal, timeout]) : timeout;
    const res = await undiciRequest(request.url, {
      dispatcher: agent,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
    });
    const body = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    }
    return { status: res.statusCode, headers, body, request };
  };
}
