import { setTimeout as sleep } from "timers/promises";
import { z } from "zod";
import { Prng } from "../prng";
import { maxDelayMs } from "./latency";

/**
 * What an injected fault does: answer with an error status, destroy the socket before or after the
 * change is committed, or hold the request (`delay`: a call that hangs, so that a kill lands while it
 * is in flight) for `delayMs` before it goes on as usual.
 */
const faultAction = z.enum(["status", "resetBeforeCommit", "resetAfterCommit", "delay"]);
export type FaultAction = z.infer<typeof faultAction>;

const rate = z.number().min(0).max(1);
/** Injected statuses are failures: a 2xx or 3xx with an error body would be a different bug. */
const failureStatus = z.number().int().min(400).max(599);

/** Random failures for one route group; rates are probabilities in [0, 1]. */
const groupFaultsSchema = z
  .object({
    failureRate: rate.optional(),
    /** Statuses drawn for failures (default [500, 503]). */
    statuses: z.array(failureStatus).optional(),
    /** Destroy the socket before the handler runs: nothing changed, the client sees a reset. */
    resetBeforeCommitRate: rate.optional(),
    /** Destroy the socket after the handler committed: the change happened but the client never hears. */
    resetAfterCommitRate: rate.optional(),
  })
  .strict();
export type GroupFaults = z.infer<typeof groupFaultsSchema>;

/** A scripted fault: applies to the next `times` requests that match, then is used up (octokit-style scripts). */
const faultRuleSchema = z
  .object({
    group: z.string().optional(),
    method: z.string().optional(),
    /** Substring of the request path (on the token endpoint, a tenant id: partner or customer). */
    pathContains: z.string().optional(),
    /** Token requests only: the form's grant_type (client_credentials, also for certificates and federated tokens; refresh_token). */
    grantType: z.string().optional(),
    action: faultAction,
    status: failureStatus.optional(),
    /** `delay` only: how long the request is held (ms). */
    delayMs: z.number().min(0).max(maxDelayMs).optional(),
    times: z.number().int().positive().optional(),
    /** Matching requests to let through before the rule applies (a fault after the first N lookups, say). */
    skip: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((r) => (r.action === "delay") === (r.delayMs !== undefined), {
    message: "delayMs is required with action delay, and only with it",
    path: ["delayMs"],
  });
export type FaultRule = z.infer<typeof faultRuleSchema>;

/** What `PUT /_emulator/faults` and the `faults` option take. */
export const faultsConfigSchema = z
  .object({
    seed: z.number().int().optional(),
    groups: z.record(z.string(), groupFaultsSchema).optional(),
    rules: z.array(faultRuleSchema).optional(),
  })
  .strict();
export type FaultsConfig = z.infer<typeof faultsConfigSchema>;

export interface FaultDecision {
  action: FaultAction;
  status?: number;
  delayMs?: number;
}

export class Faults {
  private config: FaultsConfig = {};
  private rules: (FaultRule & { left: number; skipLeft: number })[] = [];
  private prng = new Prng(42);
  /** Ends the requests held by a `delay` rule when the faults are set again (a reset, a new script). */
  private release = new AbortController();
  injected = 0;

  constructor(config?: FaultsConfig) {
    this.set(config ?? {});
  }

  set(config: FaultsConfig): void {
    this.release.abort();
    this.release = new AbortController();
    this.config = { ...config };
    this.rules = (config.rules ?? []).map((r) => ({ ...r, left: r.times ?? 1, skipLeft: r.skip ?? 0 }));
    this.prng = new Prng(config.seed ?? 42);
  }

  get(): FaultsConfig {
    return { ...this.config, rules: this.rules.filter((r) => r.left > 0).map(({ left, skipLeft, ...r }) => ({ ...r, times: left, skip: skipLeft })) };
  }

  /**
   * Holds a request for a `delay` rule. False when the faults were set again meanwhile: the held
   * request must then end without touching the store (it belongs to a script that is over). The
   * timer does not keep the process alive, so a stopped emulator exits.
   */
  async hold(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.release.signal, ref: false });
      return true;
    } catch {
      return false;
    }
  }

  /** Decides once per request, before the handler, what (if anything) goes wrong with it. */
  decide(group: string, method: string, path: string, grantType?: string): FaultDecision | undefined {
    const matches = (r: FaultRule & { left: number }) =>
      r.left > 0 &&
      (!r.group || r.group === group) &&
      (!r.method || r.method.toUpperCase() === method) &&
      (!r.pathContains || path.includes(r.pathContains)) &&
      (!r.grantType || r.grantType === grantType);
    let rule: (FaultRule & { left: number }) | undefined;
    for (const r of this.rules) {
      if (!matches(r)) continue;
      // A rule still skipping counts this request as one it lets through.
      if (r.skipLeft > 0) r.skipLeft--;
      else rule ??= r;
    }
    if (rule) {
      rule.left--;
      this.injected++;
      return { action: rule.action, status: rule.status ?? 500, delayMs: rule.delayMs };
    }
    const g = this.config.groups?.[group] ?? this.config.groups?.["*"];
    if (!g) return undefined;
    // Always draw three numbers so one group's settings do not shift another's sequence.
    const [a, b, c] = [this.prng.next(), this.prng.next(), this.prng.next()];
    let decision: FaultDecision | undefined;
    if (a < (g.resetBeforeCommitRate ?? 0)) decision = { action: "resetBeforeCommit" };
    else if (b < (g.resetAfterCommitRate ?? 0)) decision = { action: "resetAfterCommit" };
    else if (c < (g.failureRate ?? 0)) {
      const statuses = g.statuses?.length ? g.statuses : [500, 503];
      decision = { action: "status", status: statuses[Math.floor(this.prng.next() * statuses.length)] };
    }
    if (decision) this.injected++;
    return decision;
  }
}

/** The grant_type of a token request's form, for rules that target one grant; undefined elsewhere. */
export function grantTypeOf(group: string, body: Buffer): string | undefined {
  return group === "token" ? (new URLSearchParams(body.toString("utf8")).get("grant_type") ?? undefined) : undefined;
}
