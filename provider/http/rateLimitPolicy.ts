import { throttled } from "../log";
import { RateLimiter } from "./rateLimiter";
import { retryAfterInMs } from "./retryPolicy";
import { Clock, PipelinePolicy, systemClock } from "./types";

/**
 * Takes a slot of the request's rate limit for each attempt (the policy sits after the retry policy,
 * so retries take theirs), and tells the limiter about a 429 so that it slows down for everyone
 * sharing the key: for the Retry-After the service named, or `fallbackInMs`.
 */
export function rateLimitPolicy(limiter: RateLimiter, fallbackInMs: number, clock: Clock = systemClock): PipelinePolicy {
  return {
    name: "rateLimit",
    async sendRequest(request, next) {
      const limit = request.rateLimit;
      if (!limit) return next(request);
      await limiter.acquire(limit.key, limit.requestsPerSecond, request.abortSignal);
      const response = await next(request);
      if (response.status === 429) {
        const waitInMs = retryAfterInMs(response.headers, clock.now()) ?? fallbackInMs;
        limiter.throttled(limit.key, waitInMs);
        throttled(`${request.method} ${new URL(request.url).pathname} (${limit.key}), waiting ${waitInMs} ms`);
      }
      return response;
    },
  };
}
