import { Prng } from "../prng";

export interface LatencyConfig {
  /** Added to every API request (not the admin API). */
  fixedMs?: number;
  /** Extra random delay drawn from `distribution` in [0, jitterMs] (uniform) or with mean jitterMs (exponential). */
  jitterMs?: number;
  distribution?: "uniform" | "exponential";
  seed?: number;
}

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
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }
}
