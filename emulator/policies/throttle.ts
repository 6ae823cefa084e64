import { z } from "zod";
import type { Caller } from "../http/context";

/** One route group's limit, in Microsoft Dev Proxy terms. */
const limitConfigSchema = z
  .object({
    /** 0 turns the limit off. */
    requestsPerSecond: z.number().finite().nonnegative(),
    /** Bucket size: requests allowed back to back. Default: requestsPerSecond. */
    burst: z.number().finite().positive().optional(),
    /** What Retry-After says (at least 1: a 0 would read as no throttling). Default: the seconds until the bucket has a token again. */
    retryAfterSeconds: z.number().int().min(1).optional(),
    /** What one bucket counts: the partner, the partner+customer, or the calling application. */
    key: z.enum(["partner", "partnerCustomer", "application"]).optional(),
  })
  .strict();
export type LimitConfig = z.infer<typeof limitConfigSchema>;

/** What `PUT /_emulator/limits` and the `limits` option take: per route group, null turns a group off. */
export const limitsConfigSchema = z.record(z.string(), limitConfigSchema.nullable());
export type LimitsConfig = z.infer<typeof limitsConfigSchema>;

/** Documented and chosen defaults: consents 50 req/s per applicationId; users 10 req/s per partner+customer. */
export const defaultLimits = (): LimitsConfig => ({
  consents: { requestsPerSecond: 50, key: "application", retryAfterSeconds: 1 },
  users: { requestsPerSecond: 10, key: "partnerCustomer", retryAfterSeconds: 1 },
});

interface Bucket {
  tokens: number;
  updatedMs: number;
  blockedUntilMs: number;
  windowStartMs: number;
  windowCount: number;
  maxPerSecond: number;
}

export interface ThrottleDecision {
  key: string;
  retryAfterSeconds?: number;
  earlyRetry?: boolean;
}

/**
 * Token buckets per limiter key, on real time (rates are about wall-clock speed, not the emulator
 * clock). A request that arrives before the Retry-After it was given has passed is refused again
 * and counted as an early retry: the client ignored the server.
 */
export class Throttle {
  private limits: LimitsConfig;
  private buckets = new Map<string, Bucket>();
  earlyRetries = new Map<string, number>();
  throttled = new Map<string, number>();

  constructor(limits?: LimitsConfig) {
    this.limits = { ...defaultLimits(), ...(limits ?? {}) };
  }

  set(limits: LimitsConfig, replace = false): void {
    this.limits = replace ? { ...limits } : { ...this.limits, ...limits };
    this.buckets.clear();
  }

  get(): LimitsConfig {
    return { ...this.limits };
  }

  resetCounters(): void {
    this.buckets.clear();
    this.earlyRetries.clear();
    this.throttled.clear();
  }

  maxObservedPerSecond(): Record<string, number> {
    return Object.fromEntries([...this.buckets].map(([k, b]) => [k, b.maxPerSecond]));
  }

  static keyOf(group: string, limit: LimitConfig, caller: Caller | undefined, customerId?: string): string {
    const tenant = caller?.tenantId ?? "anonymous";
    switch (limit.key ?? "partner") {
      case "application":
        return `${group}|app:${caller?.appId ?? "anonymous"}`;
      case "partnerCustomer":
        return `${group}|partner:${tenant}|customer:${customerId ?? "-"}`;
      default:
        return `${group}|partner:${tenant}`;
    }
  }

  check(group: string, caller: Caller | undefined, customerId?: string, nowMs = Date.now()): ThrottleDecision | undefined {
    const limit = this.limits[group];
    if (!limit || limit.requestsPerSecond <= 0) return undefined;
    const key = Throttle.keyOf(group, limit, caller, customerId);
    const capacity = limit.burst ?? limit.requestsPerSecond;
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: capacity, updatedMs: nowMs, blockedUntilMs: 0, windowStartMs: nowMs, windowCount: 0, maxPerSecond: 0 };
      this.buckets.set(key, b);
    }
    // Observed rate: requests in the current one-second window.
    if (nowMs - b.windowStartMs >= 1000) {
      b.windowStartMs = nowMs;
      b.windowCount = 0;
    }
    b.windowCount++;
    b.maxPerSecond = Math.max(b.maxPerSecond, b.windowCount);

    b.tokens = Math.min(capacity, b.tokens + ((nowMs - b.updatedMs) / 1000) * limit.requestsPerSecond);
    b.updatedMs = nowMs;
    if (nowMs < b.blockedUntilMs) {
      this.earlyRetries.set(key, (this.earlyRetries.get(key) ?? 0) + 1);
      this.throttled.set(group, (this.throttled.get(group) ?? 0) + 1);
      return { key, retryAfterSeconds: Math.max(1, Math.ceil((b.blockedUntilMs - nowMs) / 1000)), earlyRetry: true };
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { key };
    }
    const untilToken = Math.ceil((1 - b.tokens) / limit.requestsPerSecond);
    const retryAfterSeconds = limit.retryAfterSeconds ?? Math.max(1, untilToken);
    b.blockedUntilMs = nowMs + retryAfterSeconds * 1000;
    this.throttled.set(group, (this.throttled.get(group) ?? 0) + 1);
    return { key, retryAfterSeconds };
  }
}
