import { setTimeout as sleep } from "timers/promises";
import { z } from "zod";
import { Prng } from "../prng";

/**
 * Five minutes: longer than any client timeout worth rehearsing, and far below where a Node timer
 * overflows and fires at once (2^31 - 1 ms).
 */
export const maxDelayMs = 300_000;
const delayMs = z.number().min(0).max(maxDelayMs);

/** What `PUT /_emulator/latency` and the `latencyMs` option take. */
export const latencyConfigSchema = z
  .object({
    /** Added to every API request (not the admin API). */
    fixedMs: delayMs.optional(),
    /** Extra random delay drawn from `distribution` in [0, jitterMs] (uniform) or with mean jitterMs (exponential). */
    jitterMs: delayMs.optional(),
    distribution: z.enum(["uniform", "exponential"]).optional(),
    /**
     * Added after a write is applied and before its answer is sent: the change is on the service while
     * its caller still waits (how a test kills a caller whose create has landed but not answered).
     */
    afterCommitMs: delayMs.optional(),
    seed: z.number().int().optional(),
  })
  .strict();
export type LatencyConfig = z.infer<typeof latencyConfigSchema>;

/** Simulated network and service latency, so benchmarks see realistic round trips. */
export class Latency {
  private config: LatencyConfig = {};
  private prng = new Prng(1);

  constructor(config?: LatencyConfig | number) {
    this.set(config);
  }

  set(config?: LatencyConfig | number): void {
    this.config = typeof config === "number" ? { fixedMs: config } : { ...(config ?? {}) };
    this.prng = new Prng(this.config.seed ?? 1);
  }

  get(): LatencyConfig {
    return { ...this.config };
  }

  delayMs(): number {
    const { fixedMs = 0, jitterMs = 0, distribution = "uniform" } = this.config;
    if (!jitterMs) return fixedMs;
    const u = this.prng.next();
    const jitter = distribution === "exponential" ? Math.min(-Math.log(1 - u) * jitterMs, jitterMs * 10) : u * jitterMs;
    return fixedMs + jitter;
  }

  async wait(): Promise<void> {
    const ms = this.delayMs();
    if (ms > 0) await sleep(ms);
  }

  /** The wait between a write's commit and its answer (`afterCommitMs`). */
  async afterCommit(): Promise<void> {
    if (this.config.afterCommitMs) await sleep(this.config.afterCommitMs);
  }
}
