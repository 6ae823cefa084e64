/**
 * What a partner waits for, per size, workload and layout: the wall clock of `pulumi up` (or of the
 * refresh's `preview`) against the fastest the service's limits allow, beside the span of the requests
 * the service saw. bench/results.json is this list; results.md headlines it.
 */
import type { SizeResult } from "./run";

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

export function waitFigures(results: SizeResult[]): WaitFigure[] {
  const out: WaitFigure[] = [];
  for (const r of results) {
    const c = r.consent;
    const bound = c.boundMs / 1000;
    out.push({
      n: r.n,
      workload: "consents",
      layout: "one stack",
      wallSeconds: round(c.wallMs / 1000),
      boundSeconds: round(bound),
      wallRatio: round(c.wallMs / c.boundMs),
      spanRatio: round(c.ratio),
      failed: c.failedResources,
      throttledPercent: percent(c.consent429, c.consentRequests),
      earlyRetries: c.earlyRetries,
    });
    if (r.grouped) {
      const g = r.grouped;
      out.push({
        n: r.n,
        workload: "consents",
        layout: `${g.stacks} stacks side by side`,
        wallSeconds: round(g.wallMs / 1000),
        boundSeconds: round(bound),
        wallRatio: round(g.wallMs / c.boundMs),
        spanRatio: round(g.ratio),
        failed: g.failedResources,
        throttledPercent: percent(g.consent429, g.consentRequests),
        earlyRetries: g.earlyRetries,
      });
    }
    const u = r.users;
    out.push({
      n: r.n,
      workload: "users",
      layout: "one stack",
      wallSeconds: round(u.wallMs / 1000),
      boundSeconds: round(u.boundMs / 1000),
      wallRatio: round(u.wallMs / u.boundMs),
      spanRatio: round(u.ratio),
      failed: u.failedResources,
      throttledPercent: percent(u.throttled429, u.userRequests),
      earlyRetries: u.earlyRetries,
    });
    const f = r.refresh;
    out.push({
      n: r.n,
      workload: "refresh",
      layout: "one stack",
      wallSeconds: round(f.wallMs / 1000),
      boundSeconds: round(f.serviceBoundMs / 1000),
      wallRatio: round(f.wallMs / f.serviceBoundMs),
      spanRatio: round(f.readsSpanMs / f.serviceBoundMs),
      failed: 0,
      throttledPercent: percent(f.throttled429, f.apiRequests),
      earlyRetries: f.earlyRetries,
    });
  }
  return out;
}

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
