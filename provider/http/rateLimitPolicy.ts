import { RateLimiter } from "./rateLimiter";
import type { PipelinePolicy } from "./types";

/** Takes a slot of the request's rate limit before the first attempt, and lends the retry policy a way to take one per retry. */
export function rateLimitPolicy(limiter: RateLimiter): PipelinePolicy {
  return {
    name: "rateLimit",
    async sendRequest(request, next) {
      const limit = request.rateLimit;
      if (!limit) return next(request);
      const acquireSlot = () => limiter.acquire(limit.key, limit.requestsPerSecond, request.abortSignal);
      await acquireSlot();
      return next({
        ...request,
        acquireSlot,
        onThrottled: (retryAfterMs) => limiter.throttled(limit.key, retryAfterMs),
      });
    },
  };
}
