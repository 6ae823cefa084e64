/** The request and response that travel through the pipeline's policies (see pipeline.ts). */
import { setTimeout as sleep } from "timers/promises";

/**
 * What goes on the wire, and how: transport concerns only. What the call is for (its operation, its
 * customer) stays with the client that makes the call and names it in errors; no policy reads it.
 */
export interface PipelineRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The bearer token the request carries: the auth policy asks the token source for it before each attempt. */
  auth?: TokenRequest;
  /** Calls that share a key share a client-side rate limit (e.g. consents: per applicationId). */
  rateLimit?: { key: string; requestsPerSecond: number };
  /** A POST that is safe to send twice without an MS-RequestId (a token request): retried like a GET. */
  idempotent?: boolean;
  abortSignal?: AbortSignal;
  /** Per-attempt timeout. */
  timeoutInMs?: number;
  /** 1 on the first attempt. */
  attempt?: number;
}

/** Which token: for a scope, app-only (in the partner's tenant unless another is named) or App+User. */
export interface TokenRequest {
  scope: string;
  tenantId?: string;
  user?: boolean;
}

/** Where the auth policy gets tokens, and tells which one a service refused as expired. */
export interface TokenSource {
  getToken(request: TokenRequest): Promise<string>;
  expired(token: string): void;
}

export interface PipelineResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  request: PipelineRequest;
}

export type SendRequest = (request: PipelineRequest) => Promise<PipelineResponse>;

export interface PipelinePolicy {
  name: string;
  sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse>;
}

/** Time source, replaceable in unit tests. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  // A cancelled wait fails with the signal's reason, as the request's own abort does.
  sleep: (ms, signal) =>
    sleep(ms, undefined, { signal }).catch((err) => {
      signal?.throwIfAborted();
      throw err;
    }),
};
