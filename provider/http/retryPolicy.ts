import { isRetryableStatus } from "../errors";
import { isConnectionRefused, isTransientNetworkError, markNeverSent } from "./networkErrors";
import { Clock, PipelinePolicy, PipelineRequest, PipelineResponse, systemClock } from "./types";

export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** No retry starts once this much time has passed since the first attempt. */
  maxTotalInMs: number;
  baseDelayInMs: number;
  maxDelayInMs: number;
  /**
   * No retry of a refused connection starts once its origin has refused every connection for this
   * long, counted across requests: a service that is not listening (an emulator that moved, a wrong
   * URL) is reported within seconds, not after the whole backoff.
   */
  refusedBudgetInMs: number;
  /** Since when each origin has refused connections; shared by every pipeline of the process by default. */
  refused?: RefusedOrigins;
  clock?: Clock;
  /** 0 <= random() < 1, for jitter; replaceable in tests. */
  random?: () => number;
}

export const defaultRetryOptions: RetryOptions = { maxRetries: 6, maxTotalInMs: 180_000, baseDelayInMs: 500, maxDelayInMs: 30_000, refusedBudgetInMs: 8_000 };

/**
 * Per origin, since when every connection to it has been refused. One table for the process, so that
 * the token endpoint's pipeline and the APIs' and every resource's calls share what they learned: once
 * an origin has refused connections for the budget, later calls to it try once and fail at once.
 */
export class RefusedOrigins {
  private readonly since = new Map<string, number>();

  /** Notes a refusal and returns since when the origin has refused connections. */
  refused(origin: string, now: number): number {
    const since = this.since.get(origin) ?? now;
    this.since.set(origin, since);
    return since;
  }

  /** Something reached the origin (an answer, or a connection that was accepted and then lost). */
  reached(origin: string): void {
    this.since.delete(origin);
  }
}

const processRefusedOrigins = new RefusedOrigins();

/**
 * Retries what is worth retrying, as the Azure SDK and Partner Center's .NET SDK do: 408, 429, 5xx and
 * lost connections, with exponential backoff and jitter, honouring Retry-After (seconds or HTTP date)
 * and retry-after-ms. Never 400/401/403/404/409. A POST is retried only when it carries an
 * MS-RequestId, which makes the retry idempotent on Partner Center, or when its connection was refused
 * (nothing was sent). Bounded by attempts and total time, a refusing origin by `refusedBudgetInMs`, and
 * cancellable through the request's abortSignal. When every attempt was refused the failure is marked
 * as never sent (networkErrors.ts): the service did not apply it, so its outcome is known.
 */
export function retryPolicy(options: Partial<RetryOptions> = {}): PipelinePolicy {
  const opts = { ...defaultRetryOptions, ...options };
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const refused = opts.refused ?? processRefusedOrigins;
  return {
    name: "retry",
    async sendRequest(request, next) {
      // Counted from the first answer: the wait for the first rate-limit slot (long in a large
      // rollout's queue) is not retry time.
      let started: number | undefined;
      const origin = new URL(request.url).origin;
      let reached = false; // some attempt may have reached the service
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
        const wasRefused = failure !== undefined && isConnectionRefused(failure);
        const refusedSince = wasRefused ? refused.refused(origin, clock.now()) : undefined;
        if (!wasRefused) {
          reached = true;
          refused.reached(origin);
        }
        if (response && !isRetryableStatus(response.status)) return response;

        const serverDelay = response ? retryAfterInMs(response.headers, clock.now()) : undefined;
        const delay = serverDelay ?? backoff(attempt, opts, random);
        const giveUp =
          !(wasRefused || canRetry(request)) ||
          attempt > opts.maxRetries ||
          clock.now() - started + delay > opts.maxTotalInMs ||
          (refusedSince !== undefined && clock.now() - refusedSince + delay > opts.refusedBudgetInMs);
        if (giveUp) {
          if (response) return response;
          if (!reached) markNeverSent(failure);
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
