/** The request and response that travel through the pipeline's policies (see pipeline.ts). */
import type { ServiceName } from "../errors";

export interface PipelineRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** For error messages: "create user alice@contoso.com". */
  operation: string;
  service: ServiceName;
  customerId?: string;
  /** Gets the bearer token for this call (the auth policy calls it before each attempt). */
  getAccessToken?: () => Promise<string>;
  /** Calls that share a key share a client-side rate limit (e.g. consents: per applicationId). */
  rateLimit?: { key: string; requestsPerSecond: number };
  /** Waits for a rate-limit slot; set by the rate-limit policy so that every retry takes one too. */
  acquireSlot?: () => Promise<void>;
  /** Told about a 429, so the limiter slows down for everyone sharing the key. */
  onThrottled?: (retryAfterMs: number) => void;
  abortSignal?: AbortSignal;
  /** A POST that is safe to send twice (a token request): retried like a GET. */
  idempotent?: boolean;
  /** Per-attempt timeout. */
  timeoutInMs?: number;
  /** 1 on the first attempt. */
  attempt?: number;
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
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason ?? new Error("aborted"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
