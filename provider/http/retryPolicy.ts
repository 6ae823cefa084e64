import { isRetryableStatus } from "../errors";
import { Clock, PipelinePolicy, PipelineRequest, PipelineResponse, systemClock } from "./types";

export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** No retry starts once this much time has passed since the first attempt. */
  maxTotalInMs: number;
  baseDelayInMs: number;
  maxDelayInMs: number;
  clock?: Clock;
  /** 0 <= random() < 1, for jitter; replaceable in tests. */
  random?: () => number;
}

export const defaultRetryOptions: RetryOptions = { maxRetries: 6, maxTotalInMs: 180_000, baseDelayInMs: 500, maxDelayInMs: 30_000 };

/**
 * Retries what is worth retrying, as the Azure SDK and Partner Center's .NET SDK do: 408, 429, 5xx and
 * lost connections, with exponential backoff and jitter, honouring Retry-After (seconds or HTTP date)
 * and retry-after-ms. Never 400/401/403/404/409. A POST is retried only when it carries an
 * MS-RequestId, which makes the retry idempotent on Partner Center. Bounded by attempts and total time,
 * and cancellable through the request's abortSignal.
 */
export function retryPolicy(options: Partial<RetryOptions> = {}): PipelinePolicy {
  const opts = { ...defaultRetryOptions, ...options };
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  return {
    name: "retry",
    async sendRequest(request, next) {
      // Counted from the first answer: the wait for the first rate-limit slot (long in a large
      // rollout's queue) is not retry time.
      let started: number | undefined;
      for (let attempt = 1; ; attempt++) {
        let response: PipelineResponse | undefined;
        let failure: unknown;
        try {
          response = await next({ ...request, attempt });
        } catch (err) {
          if (request.abortSignal?.aborted || !isTransientNetworkError(err)) throw err;
          failure = err;
        }
        started ??= clock.now();
        if (response && !isRetryableStatus(response.status)) return response;

        const serverDelay = response ? retryAfterInMs(response.headers, clock.now()) : undefined;
        const delay = serverDelay ?? backoff(attempt, opts, random);
        const giveUp = !canRetry(request) || attempt > opts.maxRetries || clock.now() - started + delay > opts.maxTotalInMs;
        if (giveUp) {
          if (response) return response;
          throw failure;
        }
        await clock.sleep(delay, request.abortSignal);
        request.abortSignal?.throwIfAborted();
      }
    },
  };
}

function canRetry(request: PipelineRequest): boolean {
  return request.method !== "POST" || request.idempotent === true || Boolean(request.headers["MS-RequestId"]);
}

function backoff(attempt: number, opts: RetryOptions, random: () => number): number {
  const exponential = Math.min(opts.maxDelayInMs, opts.baseDelayInMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/** Retry-After in seconds or as an HTTP date, or retry-after-ms; undefined when absent or unreadable. */
export function retryAfterInMs(headers: Record<string, string>, now: number): number | undefined {
  const ms = headers["retry-after-ms"] ?? headers["x-ms-retry-after-ms"];
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headers["retry-after"];
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const transientCodes = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/**
 * Connection-level failures where the request may or may not have reached the service. A
 * PartnerCenterError is never one, whatever its cause: it is a call that already ran out of retries
 * (a token request, whose pipeline retried it), and retrying it again would multiply the attempts.
 */
export function isTransientNetworkError(err: unknown): boolean {
  for (let e = err as { name?: unknown; code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.name === "PartnerCenterError") return false;
    if (typeof e.code === "string" && transientCodes.has(e.code)) return true;
    if (e.name === "TimeoutError") return true;
  }
  return false;
}
