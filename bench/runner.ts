/**
 * The bench's rollouts through the rollout runner (rollout/, README "Rollout runner"): its bin, as a
 * partner or a CI job starts it, on the bench's program and emulator, its shards side by side on this
 * machine. The consents first, then the users added to the same stacks, then `refresh --preview-only`
 * of everything they hold: the one-stack rows' work, with the runner doing the sharding.
 */
import * as fs from "fs";
import * as path from "path";
import type { EmulatorHandle } from "../emulator";
import type { Metrics } from "../emulator/admin/client";
import type { LoggedRequest } from "../emulator/observability/requestLog";
import type { RolloutSummary } from "../rollout";
import { floorEnv, floorSpanMs } from "./floorLog";
import { exportState, repoRoot, type EngineSandbox } from "../test/support/engine";
import { runProcess } from "../test/support/process";
import { partnerCenterConfig } from "../test/support/stackConfig";

export type RunnerWorkload = "consents" | "users" | "refresh";

/** One shard as the runner's --summary reports it. */
export interface RunnerShard {
  shard: string;
  status: string;
  wallMs: number;
  throttled429: number;
  failures: number;
  changes: Record<string, number>;
}

export interface RunnerRow {
  n: number;
  workload: RunnerWorkload;
  /** The runner's command line after `partnercenter-rollout` (without --dir, --config-file, --summary). */
  command: string;
  /** Runner variant beyond the plain one ("" for none), e.g. a fast mode. */
  variant: string;
  /** Through the engine floor's provider (bench/floor.ts): what Pulumi and the runner need with no service behind them. */
  floor?: boolean;
  /** With `--skip-checkpoints` (the fast mode). */
  skipCheckpoints?: boolean;
  shards: number;
  /** The bin's wall clock, start to exit: what a partner waits for. */
  wallMs: number;
  exitCode: number;
  /** The runner's own figures: its summary's wall clock and result, and each shard's. */
  summaryWallMs: number;
  result: string;
  shardRuns: RunnerShard[];
  boundMs: number;
  /** First to last request of the workload the service saw. */
  spanMs: number;
  /** Resources the work is about (consents, users, or everything a refresh reads). */
  resources: number;
  /** up: resources not in the stacks' state afterwards; refresh: resources of shards that did not succeed. */
  failedResources: number;
  requests: number;
  throttled429: number;
  earlyRetries: number;
}

/** What the runner rows need from the bench's size run (bench/run.ts). */
export interface RunnerContext {
  n: number;
  emu: EmulatorHandle;
  sandbox: EngineSandbox;
  program: string;
  applicationId: string;
  consentLimit: number;
  usersLimit: number;
  /** The engine's --parallel of every stack. */
  parallel: string;
  /** Customers per stack: the runner gets ceil(N / groupSize) shards, at least 2. */
  groupSize: number;
  /** For the user row: these customers' users (none: consents only). */
  userCustomers: { id: string; domain: string }[];
  usersPerCustomer: number;
  /** The service's bound of a drift check of these resources (the one-stack refresh row's): absent, no refresh row. */
  refreshBoundMs?: number;
  observe: <T>(emu: EmulatorHandle, run: () => Promise<T>) => Promise<{ result: T; metrics: Metrics; requests: LoggedRequest[] }>;
  log: (text: string) => void;
  /** A quick run (`--quick`): the plain variant only. */
  quick: boolean;
}

export interface RunnerVariant {
  name: string;
  args: string[];
  /** A full run only: a quick run is CI's smoke test of the rows, not a measurement. */
  fullOnly?: boolean;
  /** Every resource through the engine floor's provider (bench/floor.ts). */
  floor?: boolean;
}

/**
 * The runner's variants: each runs every row again on fresh stacks. The fast mode (issue 29 item 6:
 * PULUMI_SKIP_CHECKPOINTS=true through the runner's --skip-checkpoints, README "Large rollouts"), and
 * each of the two again through the engine floor: the same runner, shards, program and state with no
 * service behind them, so that a row's part that is Pulumi's (and the runner's) stays visible beside
 * it. A one-stack floor is no floor for shards side by side: both the engine's N² checkpoint cost and
 * the start-ups change with the layout.
 */
export const runnerVariants: RunnerVariant[] = [
  { name: "", args: [] },
  { name: "fast mode (`--skip-checkpoints`)", args: ["--skip-checkpoints"], fullOnly: true },
  { name: "engine floor (bench/floor.ts)", args: [], fullOnly: true, floor: true },
  { name: "fast mode (`--skip-checkpoints`), engine floor (bench/floor.ts)", args: ["--skip-checkpoints"], fullOnly: true, floor: true },
];

const cli = path.join(repoRoot, "dist", "rollout", "cli.js");
const startOf = (r: LoggedRequest) => Date.parse(r.time);
const sum = (o: Record<string, number> | undefined) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);

/** First to last request start (a drift check's reads: to the last one's end). */
function spanMs(requests: LoggedRequest[], toEnd = false): number {
  if (!requests.length) return 0;
  const first = Math.min(...requests.map(startOf));
  return Math.max(...requests.map((r) => startOf(r) + (toEnd ? r.durationMs : 0))) - first;
}

/** The rows of every runner variant at ctx.n, on the emulator reset before each. */
export async function runnerRows(ctx: RunnerContext): Promise<RunnerRow[]> {
  const rows: RunnerRow[] = [];
  for (const [i, variant] of runnerVariants.entries()) {
    if (ctx.quick && variant.fullOnly) continue;
    rows.push(...(await variantRows(ctx, variant, `runner${i}`)));
  }
  return rows;
}

async function variantRows(ctx: RunnerContext, variant: RunnerVariant, tag: string): Promise<RunnerRow[]> {
  const { n, emu, sandbox, program } = ctx;
  const shards = Math.max(2, Math.ceil(n / ctx.groupSize));
  const stackName = `${tag}-{shard}of{shards}`;
  const plan = path.join(sandbox.dir, `${tag}-plan.json`);
  const configFile = path.join(sandbox.dir, `${tag}-config.yaml`);
  const config = {
    ...Object.fromEntries(Object.entries(partnerCenterConfig(emu)).map(([k, v]) => [k, v.secret ? { secret: v.value } : v.value])),
    planFile: plan,
    userPassword: { secret: `Bench-Runner-${Math.random().toString(36).slice(2, 10)}-Aa1!` },
  };
  // JSON is YAML: the runner's --config-file reads it as it reads `partnercenter-emulator --config-yaml`.
  fs.writeFileSync(configFile, JSON.stringify({ config }));
  const writePlan = (users: boolean) =>
    fs.writeFileSync(
      plan,
      JSON.stringify({ applicationId: ctx.applicationId, userCustomers: users ? ctx.userCustomers : [], usersPerCustomer: users ? ctx.usersPerCustomer : 0 }),
    );
  const names = Array.from({ length: shards }, (_, i) => stackName.replace("{shard}", String(i + 1)).replace("{shards}", String(shards)));
  const inState = async (type: string) => {
    let count = 0;
    for (const name of names) {
      const state = JSON.parse(await exportState(sandbox, name, program));
      count += (state?.deployment?.resources ?? []).filter((r: any) => typeof r.type === "string" && r.type.includes(type)).length;
    }
    return count;
  };

  const run = async (workload: RunnerWorkload, args: string[]) => {
    const summaryFile = path.join(sandbox.dir, `${tag}-${workload}-summary.json`);
    const command = [...args, "--shards", String(shards), "--parallel", ctx.parallel, ...variant.args];
    ctx.log(`N=${n}: ${workload} through the runner: partnercenter-rollout ${command.join(" ")}${variant.name ? ` (${variant.name})` : ""}`);
    fs.rmSync(summaryFile, { force: true });
    const floorLog = path.join(sandbox.dir, `${tag}-${workload}-floor.log`);
    fs.rmSync(floorLog, { force: true });
    const started = Date.now();
    const seen = await ctx.observe(emu, () =>
      runProcess(process.execPath, [cli, ...command, "--stack-name", stackName, "--dir", program, "--config-file", configFile, "--summary", summaryFile], {
        // The floor: the bench program points each new resource at bench/floor.ts, and a refresh's
        // reads go to the provider the state names, so the floor's stacks stay the floor's.
        env: { ...process.env, ...sandbox.env, ...(variant.floor ? floorEnv(floorLog) : {}) },
      }),
    );
    const wallMs = Date.now() - started;
    if (seen.result.status !== 0) ctx.log(`N=${n}: the runner exited with ${seen.result.status}:\n${seen.result.output.slice(-3000)}`);
    const summary: RolloutSummary | undefined = fs.existsSync(summaryFile) ? JSON.parse(fs.readFileSync(summaryFile, "utf8")) : undefined;
    const shardRuns = (summary?.waves ?? []).flatMap((w) =>
      w.shards.map((s) => ({
        shard: s.shard,
        status: s.status,
        wallMs: s.wallMs,
        throttled429: s.throttled429,
        failures: s.failures.length,
        changes: s.changes,
      })),
    );
    return { seen, wallMs, summary, shardRuns, command: command.join(" "), floorLog };
  };
  const row = (
    workload: RunnerWorkload,
    r: Awaited<ReturnType<typeof run>>,
    m: { boundMs: number; group?: string; resources: number; failedResources: number },
  ): RunnerRow => {
    const requests = m.group ? r.seen.requests.filter((q) => q.group === m.group) : r.seen.requests.filter((q) => q.group !== "delegatedAdmin");
    const metricsOf = (g: string | undefined, status?: string) =>
      g ? (status ? (r.seen.metrics.requests[g]?.[status] ?? 0) : sum(r.seen.metrics.requests[g])) : 0;
    const all = (status?: string) =>
      Object.keys(r.seen.metrics.requests).reduce((a, g) => a + (status ? (r.seen.metrics.requests[g]?.[status] ?? 0) : sum(r.seen.metrics.requests[g])), 0);
    const result: RunnerRow = {
      n,
      workload,
      command: r.command,
      variant: variant.name,
      floor: variant.floor,
      skipCheckpoints: variant.args.includes("--skip-checkpoints"),
      shards,
      wallMs: r.wallMs,
      exitCode: r.seen.result.status,
      summaryWallMs: r.summary?.wallMs ?? NaN,
      result: r.summary?.result ?? "no summary",
      shardRuns: r.shardRuns,
      boundMs: m.boundMs,
      // The floor sends no request for the work: the span of the calls the engine made on it.
      spanMs: variant.floor ? floorSpanMs(r.floorLog, workload === "refresh" ? "read" : "create") : spanMs(requests, !m.group),
      resources: m.resources,
      failedResources: m.failedResources,
      requests: m.group ? metricsOf(m.group) : all(),
      throttled429: m.group ? metricsOf(m.group, "429") : all("429"),
      earlyRetries: sum(r.seen.metrics.earlyRetries),
    };
    ctx.log(
      `N=${n}: ${workload} through the runner (${shards} shards): ${(result.wallMs / 1000).toFixed(1)} s, ${(result.wallMs / result.boundMs).toFixed(2)}x the bound, ` +
        `${result.result}, failed ${result.failedResources}, 429s ${result.throttled429}; shards ${r.shardRuns.map((s) => `${s.shard} ${(s.wallMs / 1000).toFixed(1)} s`).join(", ")}`,
    );
    return result;
  };

  await emu.admin.reset();
  const rows: RunnerRow[] = [];
  writePlan(false);
  const consents = await run("consents", ["up"]);
  rows.push(
    row("consents", consents, {
      boundMs: (n / ctx.consentLimit) * 1000,
      group: "consents",
      resources: n,
      failedResources: n - (await inState("ApplicationConsent")),
    }),
  );
  if (!ctx.userCustomers.length) return rows;

  const userCount = ctx.userCustomers.length * ctx.usersPerCustomer;
  writePlan(true);
  const users = await run("users", ["up"]);
  rows.push(
    row("users", users, {
      boundMs: (ctx.usersPerCustomer / ctx.usersLimit) * 1000,
      group: "users",
      resources: userCount,
      failedResources: userCount - (await inState("CustomerUser")),
    }),
  );
  if (ctx.refreshBoundMs === undefined) return rows;

  const refresh = await run("refresh", ["refresh", "--preview-only"]);
  const unfinished = refresh.shardRuns.filter((s) => s.status !== "succeeded").length;
  rows.push(
    row("refresh", refresh, {
      boundMs: ctx.refreshBoundMs,
      resources: n + userCount,
      failedResources: refresh.seen.result.status === 0 && unfinished === 0 ? 0 : n + userCount,
    }),
  );
  return rows;
}
