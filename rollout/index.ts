/**
 * partnercenter-rollout as a function: a program's stacks, one per shard of each wave, run side by
 * side through Pulumi's Automation API (no processes of its own), each with its share of the
 * service's consent rate limit; the waves one after another, a wave's failures beyond its threshold
 * stopping the later ones. The stacks' state is the record of what is done: a second run after a kill
 * or a failed wave finishes what is left, and what succeeded shows as unchanged.
 *
 *   import { rollout } from "pulumi-partnercenter/rollout";
 *   const summary = await rollout({ command: "up", dir: ".", shards: 4, plan: { waves: [{ name: "all", config: {} }] } });
 */
import * as fs from "fs";
import { LocalWorkspace, Stack, StackAlreadyExistsError, type ConfigMap } from "@pulumi/pulumi/automation";
import { configNamespace } from "../provider/config";
import { rateLimitPerShard } from "../sdk/rollout";
import { readConfigFile, toConfigMap } from "./configFile";
import { newProgress } from "./events";
import { defaultStackName, stackName, UsageError, type RolloutCommand, type RolloutOptions, type Wave } from "./plan";
import { ProgressDisplay } from "./progress";
import { runShard, type ShardRun, type ShardStatus } from "./shard";

export { matrix, parseCommandLine, readPlan, UsageError, type Plan, type RolloutOptions } from "./plan";

export interface ShardSummary {
  shard: string;
  stack: string;
  status: ShardStatus;
  note?: string;
  /** README's recovery ran first (the stack showed a killed run). */
  recovered: boolean;
  wallMs: number;
  resources: { total: number; done: number; failed: number };
  /** The engine's count per operation: create, same, update, delete, … */
  changes: Record<string, number>;
  throttled429: number;
  failures: { urn?: string; customer?: string; message: string }[];
}

export interface WaveSummary {
  name: string;
  /** "not started" when an earlier wave stopped the rollout. */
  status: "succeeded" | "failed" | "stopped" | "not started";
  maxFailures: number;
  failures: number;
  shards: ShardSummary[];
}

export interface RolloutSummary {
  command: RolloutCommand;
  dir: string;
  plan?: string;
  shards: number;
  /** Only this shard ran (`--shard`). */
  shard?: string;
  consentRateLimitPerShard: number;
  /** The fast mode (`--skip-checkpoints`) was on. */
  skipCheckpoints?: boolean;
  startedAt: string;
  wallMs: number;
  result: "succeeded" | "failed";
  /** Why later waves did not start. */
  stoppedBecause?: string;
  waves: WaveSummary[];
}

export interface RolloutIo {
  /** Where the progress display goes (default stdout). */
  out?: NodeJS.WritableStream;
  warn?: (message: string) => void;
}

/** The consent limit the stacks share: partnercenter:consentRateLimit of the shared config, else the service's 50/s less a margin. */
function consentShare(shared: ConfigMap, shards: number): number {
  const configured = shared[`${configNamespace}:consentRateLimit`]?.value;
  if (configured === undefined) return rateLimitPerShard(shards);
  const total = Number(configured);
  if (!(total > 0)) throw new UsageError(`--config-file: ${configNamespace}:consentRateLimit must be a number greater than 0, got "${configured}"`);
  // The configured rate already keeps its margin below the service's limit: shared out as it is.
  return rateLimitPerShard(shards, total, 1);
}

export async function rollout(options: RolloutOptions, io: RolloutIo = {}): Promise<RolloutSummary> {
  const out = io.out ?? process.stdout;
  const warn = io.warn ?? ((m: string) => process.stderr.write(`partnercenter-rollout: ${m}\n`));
  const started = Date.now();
  const shared = options.configFile ? readConfigFile(options.configFile) : {};
  const share = consentShare(shared, options.shards);
  const envVars = engineEnv(options);
  const workspace = await LocalWorkspace.create({ workDir: options.dir, envVars });
  const project = (await workspace.projectSettings()).name;
  const backend = process.env.PULUMI_BACKEND_URL ?? (await workspace.whoAmI().catch(() => undefined))?.url ?? "(the CLI's login)";
  const pattern = options.plan.stackName ?? defaultStackName;
  let waves = options.plan.waves.filter((w) => options.wave === undefined || w.name === options.wave);
  // A destroy takes the waves back in the other order: the canary's stacks go last.
  if (options.command === "destroy") waves = [...waves].reverse();
  const summary: RolloutSummary = {
    command: options.command,
    dir: options.dir,
    plan: options.planFile,
    shards: options.shards,
    shard: options.shard ? `${options.shard.index}/${options.shard.count}` : undefined,
    consentRateLimitPerShard: share,
    skipCheckpoints: options.skipCheckpoints,
    startedAt: new Date(started).toISOString(),
    wallMs: 0,
    result: "succeeded",
    waves: waves.map((w) => ({ name: w.name, status: "not started", maxFailures: w.maxFailures ?? options.plan.maxFailures ?? 0, failures: 0, shards: [] })),
  };
  const write = () => {
    summary.wallMs = Date.now() - started;
    if (options.summaryFile) fs.writeFileSync(options.summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  };
  for (const [i, wave] of waves.entries()) {
    const ws = summary.waves[i];
    const runs = await prepareWave(options, workspace, wave, pattern, { ...shared, ...toConfigMap(wave.config) }, share, project);
    const display = new ProgressDisplay(out, options.command, runs);
    display.start();
    try {
      await Promise.all(
        runs.map((run) =>
          runShard(run, { command: options.command, dir: options.dir, parallel: options.parallel, previewOnly: options.previewOnly, envVars, backend, warn }),
        ),
      );
    } finally {
      display.stop();
    }
    ws.shards = runs.map(shardSummary);
    ws.failures = ws.shards.reduce((n, s) => n + s.failures.length, 0);
    const unfinished = ws.shards.filter((s) => s.status === "locked" || s.status === "interrupted");
    ws.status = ws.failures > 0 || unfinished.length ? "failed" : "succeeded";
    if (ws.status === "failed") summary.result = "failed";
    write();
    const later = waves.length - i - 1;
    if (later === 0) break;
    const why = unfinished.length
      ? `wave ${wave.name}: ${unfinished.map((s) => `${s.stack} ${s.status}`).join(", ")}`
      : ws.failures > ws.maxFailures
        ? `wave ${wave.name} had ${ws.failures} failure(s), more than its threshold of ${ws.maxFailures}`
        : undefined;
    if (why) {
      ws.status = "stopped";
      summary.stoppedBecause = why;
      warn(`${why}: the ${later} later wave(s) were not started`);
      break;
    }
  }
  write();
  return summary;
}

/** The environment of every stack's CLI. */
export function engineEnv(options: Pick<RolloutOptions, "previewOnly" | "skipCheckpoints">): Record<string, string> {
  return {
    // The provider writes a line per 429 with PARTNERCENTER_LOG=throttling: counted from the engine's events.
    PARTNERCENTER_LOG: process.env.PARTNERCENTER_LOG || "throttling",
    // The CLI takes PULUMI_SKIP_CONFIRMATIONS (often set in CI) for --yes, which --preview-only refuses.
    ...(options.previewOnly ? { PULUMI_SKIP_CONFIRMATIONS: "false" } : {}),
    // The fast mode: a killed run's creates are in no checkpoint, and the provider's create journal
    // takes them back in the next run (README "Large rollouts"). Without the flag, the CLI's own
    // environment decides, as for a plain `pulumi up`.
    ...(options.skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}),
  };
}

/**
 * The wave's stacks, created or selected side by side through the one workspace (a `pulumi version`
 * once, not per stack), each with its config. They can be: every command names its stack
 * (`--stack`), each stack has its own state and Pulumi.<stack>.yaml, and the CLI writes the
 * workspace's "current stack" file by an atomic rename, so the last select to finish just wins it.
 */
async function prepareWave(
  options: RolloutOptions,
  workspace: LocalWorkspace,
  wave: Wave,
  pattern: string,
  config: ConfigMap,
  share: number,
  project: string,
): Promise<ShardRun[]> {
  const shards = options.shard ? [options.shard] : Array.from({ length: options.shards }, (_, i) => ({ index: i + 1, count: options.shards }));
  return Promise.all(
    shards.map(async (shard): Promise<ShardRun> => {
      const stack = await createOrSelect(stackName(pattern, wave.name, shard), workspace);
      await stack.setAllConfig({
        ...config,
        [`${project}:shard`]: { value: `${shard.index}/${shard.count}` },
        [`${configNamespace}:consentRateLimit`]: { value: String(share) },
      });
      return { wave: wave.name, shard, stack, progress: newProgress(), recovered: false, wallMs: 0 };
    }),
  );
}

/** Another runner on the same plan may create the stack between our look and our create: then it is there to select. */
async function createOrSelect(name: string, workspace: LocalWorkspace): Promise<Stack> {
  try {
    return await Stack.createOrSelect(name, workspace);
  } catch (err) {
    if (!(err instanceof StackAlreadyExistsError)) throw err;
    return Stack.select(name, workspace);
  }
}

const shardSummary = (r: ShardRun): ShardSummary => ({
  shard: `${r.shard.index}/${r.shard.count}`,
  stack: r.stack.name,
  status: r.status ?? "failed",
  note: r.note,
  recovered: r.recovered,
  wallMs: r.wallMs,
  resources: { total: r.progress.total, done: r.progress.done, failed: r.progress.failed },
  changes: r.progress.changes,
  throttled429: r.progress.throttled429,
  failures: r.progress.failures,
});
