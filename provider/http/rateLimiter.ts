import { Clock, systemClock } from "./types";

interface Lane {
  baseIntervalMs: number;
  intervalMs: number;
  /** When the last send of this lane went. */
  lastSentAt: number;
  pausedUntil: number;
  lastThrottledAt: number;
  /** When the sends of the last second went, oldest first. */
  sent: number[];
  /** The end of the queue: settles when the caller last in line has taken its slot (or given up). */
  tail: Promise<void>;
}

/**
 * Client-side rate limits, shared by everything in the process (every resource of a `pulumi up` runs
 * in one dynamic-provider process). Sends are spaced evenly at the configured rate instead of
 * bursting, so a rollout runs just under the service's limit instead of bouncing off it. A 429 pauses
 * the lane for Retry-After and widens the spacing; it narrows back after a quiet spell.
 *
 * Callers queue first in, first out, and only the one at the head of a lane waits for a slot: it is
 * spaced from the send before it with the spacing in force then. (Slots handed out when a caller
 * queued would keep, for a thousand queued creates, the spacing of the moment they queued: after a
 * few 429s early in a rollout, the whole rest of it ran at a quarter of its rate.)
 *
 * The spacing is the plan; a one-second window is the guarantee. A busy event loop (a provider
 * process sharing its cores with the engine and other stacks) may wake a caller late; the window
 * keeps what leaves in any second to a second's worth, so several processes that share one service
 * limit (stacks side by side, see rateLimitPerShard) never add bursts up into 429s.
 */
export class RateLimiter {
  private readonly lanes = new Map<string, Lane>();
  /** Quiet time after a 429 before the spacing starts to narrow again. */
  private static readonly recoverAfterMs = 5000;

  constructor(private readonly clock: Clock = systemClock) {}

  async acquire(key: string, requestsPerSecond: number, signal?: AbortSignal): Promise<void> {
    if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) return;
    const lane = this.lane(key, requestsPerSecond);
    const ahead = lane.tail;
    let done!: () => void;
    lane.tail = new Promise<void>((resolve) => (done = resolve));
    try {
      await abortable(ahead, signal);
      await this.takeSlot(lane, signal);
      done();
    } catch (err) {
      // Given up (cancelled): the ones behind still wait for those ahead of this caller.
      void ahead.then(done);
      throw err;
    }
  }

  /** The head of the queue: waits for the spacing and for any pause, then for room in the last second. */
  private async takeSlot(lane: Lane, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const slot = Math.max(now, lane.lastSentAt + lane.intervalMs, lane.pausedUntil);
      if (slot > now) {
        // Woken at the slot, look again: a 429 meanwhile has paused the lane or widened the spacing.
        await this.clock.sleep(slot - now, signal);
        continue;
      }
      while (lane.sent.length > 0 && now - lane.sent[0] >= 1000) lane.sent.shift();
      if (lane.sent.length >= Math.max(1, Math.floor(1000 / lane.intervalMs))) {
        await this.clock.sleep(lane.sent[0] + 1000 - now, signal);
        continue;
      }
      if (lane.intervalMs > lane.baseIntervalMs && now - lane.lastThrottledAt > RateLimiter.recoverAfterMs) {
        lane.intervalMs = Math.max(lane.baseIntervalMs, lane.intervalMs * 0.9);
      }
      lane.sent.push(now);
      lane.lastSentAt = now;
      return;
    }
  }

  /** The service said 429: everyone on this key waits out Retry-After, then goes a little slower. */
  throttled(key: string, retryAfterMs: number): void {
    const lane = this.lanes.get(key);
    if (!lane) return;
    const now = this.clock.now();
    lane.pausedUntil = Math.max(lane.pausedUntil, now + retryAfterMs);
    lane.intervalMs = Math.min(lane.intervalMs * 1.25, lane.baseIntervalMs * 4);
    lane.lastThrottledAt = now;
  }

  private lane(key: string, requestsPerSecond: number): Lane {
    let lane = this.lanes.get(key);
    const baseIntervalMs = 1000 / requestsPerSecond;
    if (!lane) {
      lane = {
        baseIntervalMs,
        intervalMs: baseIntervalMs,
        lastSentAt: -Infinity,
        pausedUntil: 0,
        lastThrottledAt: 0,
        sent: [],
        tail: Promise.resolve(),
      };
      this.lanes.set(key, lane);
    }
    return lane;
  }
}

/** `promise`, or a rejection as soon as `signal` aborts. */
function abortable(promise: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      (err) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
