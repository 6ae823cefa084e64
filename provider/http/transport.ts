import * as fs from "fs";
import * as tls from "tls";
import { Agent, request as undiciRequest } from "undici";
import type { PipelineRequest, PipelineResponse, SendRequest } from "./types";

export interface TransportOptions {
  /** PEM file of an extra CA to trust (the emulator's); the system's roots stay trusted. */
  caFile?: string;
  /** Open connections per origin. */
  connections?: number;
  defaultTimeoutInMs?: number;
}

/**
 * The undici dispatcher every call shares (MSAL's too): keep-alive connection pooling, a timeout per
 * request, and TLS always checked. An extra CA is trusted only when configured, added to the
 * system's roots rather than replacing them.
 */
export function createAgent(options: TransportOptions = {}): Agent {
  const ca = options.caFile ? [...tls.rootCertificates, fs.readFileSync(options.caFile, "utf8")] : undefined;
  return new Agent({
    connect: ca ? { ca } : {},
    connections: options.connections ?? 64,
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
