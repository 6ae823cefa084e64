/**
 * What a partner waits for, per size, workload and layout: the wall clock of `pulumi up` (or of the
 * refresh's `preview`) against the fastest the service's limits allow, beside the span of the requests
 * the service saw. bench/results.json is this list; results.md headlines it.
 */
import type { SizeResult } from "./run";
import type { RunnerRow } from "./runner";

/** How the engine floor (bench/floor.ts) is named in the report: the same run, no service behind it. */
export const floorLabel = "engine floor: the same program and state through a provider that calls no service (bench/floor.ts)";

/** The layouts of more than one stack measured at a size (raw figures from before `layouts` have `grouped` alone). */
export const sideBySideLayouts = (r: SizeResult) => r.layouts ?? (r.grouped ? [r.grouped] : []);

export interface WaitFigure {
  n: number;
  workload: "consents" | "users" | "refresh";
  layout: string;
  /** The CLI's wall clock (for stacks side by side: the slowest stack's). */
  wallSeconds: number;
  /** The fastest the service's limits allow. */
  boundSeconds: number;
  wallRatio: number;
  /** First to last request the service saw, over the bound. */
  spanRatio: number;
  failed: number;
  /** 429 answers among the workload's requests, in percent. */
  throttledPercent: number;
  earlyRetries: number;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const percent = (part: number, whole: number) => (whole > 0 ? round((100 * part) / whole) : 0);

/** One row from what was measured: wall clock, bound and request span in ms, 429s among the requests. */
function figure(
  n: number,
  workload: WaitFigure["workload"],
  layout: string,
  m: { wallMs: number; boundMs: number; spanMs: number; failed: number; throttled: number; requests: number; earlyRetries: number },
): WaitFigure {
  return {
    n,
    workload,
    layout,
    wallSeconds: round(m.wallMs / 1000),
    boundSeconds: round(m.boundMs / 1000),
    wallRatio: round(m.wallMs / m.boundMs),
    spanRatio: round(m.spanMs / m.boundMs),
    failed: m.failed,
    throttledPercent: percent(m.throttled, m.requests),
    earlyRetries: m.earlyRetries,
  };
}

export function waitFigures(results: SizeResult[]): WaitFigure[] {
  return results.flatMap((r) => {
    const { consent: c, users: u, refresh: f } = r;
    return [
      figure(r.n, "consents", "one stack", {
        wallMs: c.wallMs,
        boundMs: c.boundMs,
        spanMs: c.firstToLastMs,
        failed: c.failedResources,
        throttled: c.consent429,
        requests: c.consentRequests,
        earlyRetries: c.earlyRetries,
      }),
      ...sideBySideLayouts(r).map((g) =>
        figure(r.n, "consents", g.layout ?? `${g.stacks} stacks side by side`, {
          wallMs: g.wallMs,
          boundMs: c.boundMs,
          spanMs: g.firstToLastMs,
          failed: g.failedResources,
          throttled: g.consent429,
          requests: g.consentRequests,
          earlyRetries: g.earlyRetries,
        }),
      ),
      // The same one-stack rollout under each engine option but the consents' first (that one is the row above, again),
      // and the users alone in a stack of their own.
      ...(r.engine ?? [])
        .filter((e) => !(e.name === "base" && e.workload === "consents"))
        .map((e) =>
          figure(r.n, e.workload, `${e.workload === "users" ? "own stack" : "one stack"}, ${e.what}`, {
            wallMs: e.wallMs,
            boundMs: e.boundMs,
            spanMs: e.spanMs,
            failed: e.failed,
            throttled: e.consent429,
            requests: e.consentRequests,
            earlyRetries: e.earlyRetries,
          }),
        ),
      figure(r.n, "users", "one stack", {
        wallMs: u.wallMs,
        boundMs: u.boundMs,
        spanMs: u.firstToLastMs,
        failed: u.failedResources,
        throttled: u.throttled429,
        requests: u.userRequests,
        earlyRetries: u.earlyRetries,
      }),
      ...(r.userLayouts ?? []).map((l) =>
        figure(r.n, "users", `own stacks, ${l.layout}`, {
          wallMs: l.wallMs,
          boundMs: l.boundMs,
          spanMs: l.firstToLastMs,
          failed: l.failedResources,
          throttled: l.user429,
          requests: l.userRequests,
          earlyRetries: l.earlyRetries,
        }),
      ),
      figure(r.n, "refresh", "one stack", {
        wallMs: f.wallMs,
        boundMs: f.serviceBoundMs,
        spanMs: f.readsSpanMs,
        failed: 0,
        throttled: f.throttled429,
        requests: f.apiRequests,
        earlyRetries: f.earlyRetries,
      }),
      ...f.alternatives.map((d) =>
        figure(r.n, "refresh", `one stack, \`${d.command}\`${d.setting ? `, ${d.setting}` : ""}${d.floor ? `, ${floorLabel}` : ""}`, {
          wallMs: d.wallMs,
          boundMs: f.serviceBoundMs,
          spanMs: d.readsSpanMs,
          failed: d.status === 0 ? 0 : f.consents + f.users,
          throttled: d.throttled429,
          requests: d.apiRequests,
          earlyRetries: d.earlyRetries,
        }),
      ),
      ...(r.runner ?? []).map((g) =>
        figure(g.n, g.workload, runnerLayout(g), {
          wallMs: g.wallMs,
          boundMs: g.boundMs,
          spanMs: g.spanMs,
          failed: g.failedResources,
          throttled: g.throttled429,
          requests: g.requests,
          earlyRetries: g.earlyRetries,
        }),
      ),
    ];
  });
}

/** How a row through the rollout runner is named: its shards, its variant, and a refresh's command. */
export const runnerLayout = (g: RunnerRow) =>
  `through the runner, ${g.shards} shards${g.variant ? `, ${g.variant}` : ""}${g.workload === "refresh" ? ", `partnercenter-rollout refresh --preview-only`" : ""}`;

/** The headline table of results.md: wall clock first, the request span beside it. */
export function waitTable(figures: WaitFigure[]): string {
  const rows = figures.map(
    (f) =>
      `| ${f.n} | ${f.workload} | ${f.layout} | ${f.wallSeconds.toFixed(1)} s | ${f.boundSeconds.toFixed(1)} s | **${f.wallRatio.toFixed(2)}×** | ${f.spanRatio.toFixed(2)}× | ${f.failed} | ${f.throttledPercent} % | ${f.earlyRetries} |`,
  );
  return [
    "| N | workload | layout | wall clock | bound | wall / bound | request span / bound | failed | 429s | early retries |",
    "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}
