import { Clock, systemClock } from "./types";

interface Lane {
  baseIntervalMs: number;
  intervalMs: number;
  nextSlot: number;
  pausedUntil: number;
  lastThrottledAt: number;
  /** When the sends of the last second went, oldest first. */
  sent: number[];
}

/**
 * Client-side rate limits, shared by everything in the process (every resource of a `pulumi up` runs
 * in one dynamic-provider process). Slots are spaced evenly at the configured rate instead of bursting,
 * so a rollout runs just under the service's limit instead of bouncing off it. A 429 pauses the lane
 * for Retry-After and widens the spacing; it narrows back after a quiet spell.
 *
 * The spacing is the plan; a one-second window is the guarantee. A busy event loop (a provider
 * process sharing its cores with the engine and other stacks) fires the timers of several slots at
 * once; without the window those sends would leave together, and several processes that share one
 * service limit (stacks side by side, see rateLimitPerShard) would add their bursts up into 429s.
 */
export class RateLimiter {
  private readonly lanes = new Map<string, Lane>();
  /** Quiet time after a 429 before the spacing starts to narrow again. */
  private static readonly recoverAfterMs = 5000;

  constructor(private readonly clock: Clock = systemClock) {}

  async acquire(key: string, requestsPerSecond: number, signal?: AbortSignal): Promise<void> {
    if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) return;
    const lane = this.lane(key, requestsPerSecond);
    for (;;) {
      const now = this.clock.now();
      if (lane.intervalMs > lane.baseIntervalMs && now - lane.lastThrottledAt > RateLimiter.recoverAfterMs) {
        lane.intervalMs = Math.max(lane.baseIntervalMs, lane.intervalMs * 0.9);
      }
      const slot = Math.max(now, lane.nextSlot, lane.pausedUntil);
      lane.nextSlot = slot + lane.intervalMs;
      if (slot > now) await this.clock.sleep(slot - now, signal);
      if (await this.windowSlot(lane, signal)) return;
      // A 429 paused the lane while we waited: queue again behind the pause.
    }
  }

  /** Waits until the last second holds fewer sends than a second's worth, and takes one; false if the lane got paused. */
  private async windowSlot(lane: Lane, signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      const now = this.clock.now();
      if (now < lane.pausedUntil) return false;
      while (lane.sent.length > 0 && now - lane.sent[0] >= 1000) lane.sent.shift();
      if (lane.sent.length < Math.max(1, Math.floor(1000 / lane.intervalMs))) {
        lane.sent.push(now);
        return true;
      }
      await this.clock.sleep(lane.sent[0] + 1000 - now, signal);
    }
  }

  /** The service said 429: everyone on this key waits out Retry-After, then goes a little slower. */
  throttled(key: string, retryAfterMs: number): void {
    const lane = this.lanes.get(key);
    if (!lane) return;
    const now = this.clock.now();
    lane.pausedUntil = Math.max(lane.pausedUntil, now + retryAfterMs);
    lane.nextSlot = Math.max(lane.nextSlot, lane.pausedUntil);
    lane.intervalMs = Math.min(lane.intervalMs * 1.25, lane.baseIntervalMs * 4);
    lane.lastThrottledAt = now;
  }

  private lane(key: string, requestsPerSecond: number): Lane {
    let lane = this.lanes.get(key);
    const baseIntervalMs = 1000 / requestsPerSecond;
    if (!lane) {
      lane = { baseIntervalMs, intervalMs: baseIntervalMs, nextSlot: 0, pausedUntil: 0, lastThrottledAt: 0, sent: [] };
      this.lanes.set(key, lane);
    }
    return lane;
  }
}
