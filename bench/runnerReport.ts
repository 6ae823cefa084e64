/** results.md's section on the rows through the rollout runner (bench/runner.ts), with issue 29's targets for them. */
import type { EngineVariantResult } from "./engineOptions";
import type { SizeResult } from "./run";
import type { RunnerRow, RunnerWorkload } from "./runner";
import { runnerLayout } from "./summary";

const s = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : "n/a");
const x = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : "n/a");

/** Issue 29's targets, wall clock over the bound, on the runner's rows. */
export const runnerTargets: Record<RunnerWorkload, { ratio: number; what: string }> = {
  consents: { ratio: 1.3, what: "consents through the runner" },
  users: { ratio: 3, what: "users through the runner" },
  refresh: { ratio: 3, what: "`refresh --preview-only` through the runner of everything rolled out" },
};

interface Floor {
  wallMs: number;
  /** What the floor's run is, for the reader. */
  what: string;
  /** Measured through the runner itself (else one stack's). */
  runner?: boolean;
  /**
   * A runner floor's wall clock outside the span of the calls the engine made on it (its creates, or a
   * refresh's reads): the start-ups before the first and the engine's work after the last. With a
   * service behind it that part stays, and the service's bound comes on top of it.
   */
  outsideMs?: number;
}

/**
 * The engine floor (bench/floor.ts) of a runner row: the same work through the runner on the same
 * shards, with the same fast mode or without it, when this run measured it; else the same work in one
 * stack at the same N.
 */
function floorOf(g: RunnerRow, all: RunnerRow[], r: SizeResult | undefined): Floor | undefined {
  const same = all.find(
    (f) => f.floor && f.n === g.n && f.workload === g.workload && f.shards === g.shards && !!f.skipCheckpoints === !!g.skipCheckpoints && ok(f),
  );
  if (same)
    return {
      wallMs: same.wallMs,
      what: `through the runner, ${same.shards} shards${same.skipCheckpoints ? ", fast mode" : ""}`,
      runner: true,
      outsideMs: Math.max(0, same.wallMs - same.spanMs),
    };
  return oneStackFloor(r, g.workload);
}

function oneStackFloor(r: SizeResult | undefined, workload: RunnerWorkload): Floor | undefined {
  if (!r) return undefined;
  if (workload === "refresh") {
    const f = r.refresh.alternatives.find((d) => d.floor && d.status === 0);
    return f && { wallMs: f.wallMs, what: `\`${f.command}\`, one stack` };
  }
  const f = r.engine?.find((v: EngineVariantResult) => v.name === "floor" && v.workload === workload && v.status === 0 && v.failed === 0);
  return f && { wallMs: f.wallMs, what: workload === "users" ? "the users in a stack of their own" : "one stack" };
}

const ok = (g: RunnerRow) => g.exitCode === 0 && g.result === "succeeded" && g.failedResources === 0;

/** met, or missed (saying so when the engine floor alone, no service behind it, is above the target). */
function verdict(g: RunnerRow, floor: Floor | undefined): string {
  const target = runnerTargets[g.workload].ratio;
  if (ok(g) && g.wallMs <= target * g.boundMs) return "**met**";
  if (!ok(g)) return `**missed: ${g.failedResources} resource(s) failed, runner ${g.result}, exit ${g.exitCode}**`;
  if (floor && floor.wallMs > target * g.boundMs)
    return `**missed: bound by the engine (its floor ${floor.runner ? "through the runner, on the same shards," : "in one stack"} alone is above the target)**`;
  if (floor?.outsideMs !== undefined && floor.outsideMs + g.boundMs > target * g.boundMs)
    return (
      `**missed: bound by the engine's start-up and end: its floor's time outside its ${g.workload === "refresh" ? "reads" : "creates"} (${s(floor.outsideMs)} s) ` +
      `plus the service's bound (${s(g.boundMs)} s) is ${s(floor.outsideMs + g.boundMs)} s, above the target's ${s(target * g.boundMs)} s**`
    );
  return "**missed**";
}

/** Every runner row of the run, in size order. */
export const runnerRowsOf = (results: SizeResult[]): { row: RunnerRow; at?: SizeResult }[] =>
  results
    .flatMap((r) => r.runner ?? [])
    .sort((a, b) => a.n - b.n)
    .map((row) => ({ row, at: results.find((r) => r.n === row.n) }));

/** One line per runner row for the Targets table (the floor's own rows are no attempt at it): the target, the figure, met or missed. */
export function runnerTargetRows(results: SizeResult[]): string[][] {
  const rows = runnerRowsOf(results);
  const all = rows.map((r) => r.row);
  return rows
    .filter(({ row }) => !row.floor)
    .map(({ row: g, at }) => {
      const floor = floorOf(g, all, at);
      return [
        `${runnerTargets[g.workload].what}${g.variant ? `, ${g.variant},` : ""} within ${runnerTargets[g.workload].ratio}× the bound, wall clock (N = ${g.n}${g.workload === "users" ? `, ${g.resources} users` : ""})`,
        `${g.shards} shards: ${s(g.wallMs)} s for a bound of ${s(g.boundMs)} s: ${x(g.wallMs / g.boundMs)}` +
          (floor
            ? `; engine floor (${floor.what}) ${s(floor.wallMs)} s, ${x(floor.wallMs / g.boundMs)}` +
              (floor.outsideMs !== undefined ? `, of it ${s(floor.outsideMs)} s outside the calls the engine made on it` : "")
            : "; no engine floor measured at this N"),
        verdict(g, floor),
      ];
    });
}

export function runnerSection({ results }: { results: SizeResult[] }): string[] {
  const rows = runnerRowsOf(results);
  if (!rows.length) return [];
  const all = rows.map((r) => r.row);
  const out: string[] = [];
  out.push("## Through the rollout runner");
  out.push("");
  out.push(
    'The same work through `partnercenter-rollout` (rollout/, README "Rollout runner"): its bin, on the bench\'s program and emulator, ' +
      "its shards side by side on this machine, each with its share of the consent limit. The consents first (`up`), then the users added " +
      "to the same stacks (`up` again: each stack's users are those of its own customers), then `refresh --preview-only` of everything they hold. " +
      "Wall clock is the bin's, start to exit; the shards' figures are the runner's own `--summary`. Beside each row, the engine floor " +
      "(bench/floor.ts: the same program and state through a provider that calls no service) of the same work: through the runner on the same shards, " +
      'with or without the fast mode as the row, when this run measured it (its own rows below, "engine floor"), else in one stack at that N: the part Pulumi itself needs.',
  );
  out.push("");
  const header =
    "| N | work | layout | wall clock | bound | wall / bound | request span / bound | target | failed | 429s | each shard: wall clock, 429s, failures (the engine's changes) | engine floor: wall / bound |";
  out.push(header, "|---:|---|---|---:|---:|---:|---:|---|---:|---:|---|---|");
  for (const { row: g, at } of rows) {
    const floor = g.floor ? undefined : floorOf(g, all, at);
    const shards = g.shardRuns
      .map((sh) => {
        const changes = Object.entries(sh.changes).map(([op, k]) => `${op} ${k}`);
        return `${sh.shard}: ${s(sh.wallMs)} s, ${sh.throttled429}, ${sh.failures}${sh.status === "succeeded" ? "" : ` (${sh.status})`}${changes.length ? ` (${changes.join(", ")})` : ""}`;
      })
      .join("; ");
    out.push(
      `| ${g.n} | ${g.workload === "users" ? `${g.resources} users` : g.workload === "refresh" ? `${g.resources} resources` : `${g.resources} consents`} | ${runnerLayout(g)} | ` +
        `${s(g.wallMs)} s | ${s(g.boundMs)} s | **${x(g.wallMs / g.boundMs)}** | ${x(g.spanMs / g.boundMs)} | ${g.floor ? "the floor of the rows above" : `≤ ${runnerTargets[g.workload].ratio}×: ${verdict(g, floor)}`} | ` +
        `${g.failedResources} | ${g.throttled429} | ${shards || "no summary"} | ${g.floor ? "this row" : floor ? `${s(floor.wallMs)} s, ${x(floor.wallMs / g.boundMs)} (${floor.what})` : "not measured at this N"} |`,
    );
  }
  out.push("");
  return out;
}
