/**
 * The engine's own options for a one-stack consent rollout, measured side by side: the same N
 * consents through `pulumi up`, each variant on a fresh stack against a freshly reset emulator, one
 * after another. The wall clock minus the request span is the engine's tail (its checkpoints); the
 * CPU seconds per process say who spends it.
 *
 *   node dist/bench/engineOptions.js [--n 500] [--variants base,cli-3.276.0,gzip,...] [--profile]
 *
 * `npm run bench` calls `engineVariants` for its "engine options" table; this entry point is for
 * trying one size or one variant alone.
 */
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startEmulator, type EmulatorHandle } from "../emulator";
import type { LoggedRequest } from "../emulator/observability/requestLog";
import { copyProgram, createEngineSandbox, exportState, localProgramStack, repoRoot, type EngineSandbox } from "../test/support/engine";
import { configureForEmulator } from "../test/support/stackConfig";
import { runCli, type CliVariant, type CpuSeconds } from "./cli";
import { generatedSeed } from "./seed";
import { floorEnv, floorSpanMs } from "./floorLog";
import { floorLabel } from "./summary";

export interface EngineVariant {
  name: string;
  /** What it changes, for the report. */
  what: string;
  /** A CLI version other than the default (built or cached by scripts/ensure-pulumi.sh). */
  cliVersion?: string;
  env?: Record<string, string>;
  args?: string[];
  /** Through the engine floor's provider (bench/floor.ts) instead of this package's. */
  floor?: boolean;
  /** The native resources (`partnercenter:index:*`, the plugin pulumi-resource-partnercenter) instead of the dynamic ones. */
  native?: boolean;
}

/**
 * The options tried. Each is documented in Pulumi's sources (sdk/go/common/env/env.go and
 * pkg/backend/diy/state.go of the CLI versions we build):
 *  - PULUMI_DIY_BACKEND_GZIP / _ZSTD: compress the checkpoint the DIY backend writes;
 *  - PULUMI_DIY_BACKEND_DISABLE_CHECKPOINT_BACKUPS: no copy of the previous checkpoint before each write;
 *  - PULUMI_SKIP_CHECKPOINTS: "Skip saving state checkpoints and only save the final deployment"
 *    (pulumi/pulumi#10668): the engine then keeps no record of a create until the run ends, so an
 *    interrupted run leaves resources it made but no state of them;
 *  - --disable-integrity-checking: no verification of the snapshot after each write.
 * And one that is not an option: the engine floor, the same rollout with no service behind it.
 */
export const engineVariants: EngineVariant[] = [
  { name: "base", what: "the default CLI, `?metadata=skip` (what every other row uses)" },
  { name: "cli-3.276.0", what: "the newest CLI, 3.276.0 (built like the default one, scripts/ensure-pulumi.sh)", cliVersion: "3.276.0" },
  { name: "no-backups", what: "PULUMI_DIY_BACKEND_DISABLE_CHECKPOINT_BACKUPS=true", env: { PULUMI_DIY_BACKEND_DISABLE_CHECKPOINT_BACKUPS: "true" } },
  { name: "gzip", what: "PULUMI_DIY_BACKEND_GZIP=true", env: { PULUMI_DIY_BACKEND_GZIP: "true" } },
  { name: "zstd", what: "PULUMI_DIY_BACKEND_ZSTD=true", env: { PULUMI_DIY_BACKEND_ZSTD: "true" } },
  { name: "no-integrity", what: "`pulumi up --disable-integrity-checking`", args: ["--disable-integrity-checking"] },
  { name: "parallel-64", what: "`pulumi up --parallel 64` (fewer creates pending in each checkpoint)", args: ["--parallel", "64"] },
  { name: "floor", what: floorLabel, floor: true },
  {
    name: "native",
    what: "the native provider: `partnercenter:index:*` through the plugin pulumi-resource-partnercenter",
    env: { BENCH_NATIVE: "1" },
    native: true,
  },
  {
    name: "skip-checkpoints",
    what: "PULUMI_SKIP_CHECKPOINTS=true (state written once, at the end: the fast mode, see README)",
    env: { PULUMI_SKIP_CHECKPOINTS: "true" },
  },
];

/** What the stack rolls out: N consents, or only users (`customers` × `perCustomer`, no consents). */
export type Workload = { kind: "consents" } | { kind: "users"; customers: number; perCustomer: number };

export interface EngineVariantResult {
  name: string;
  what: string;
  n: number;
  workload: Workload["kind"];
  /** The fastest the service's limits allow (consents: N / limit; users: the busiest customer's users / limit). */
  boundMs: number;
  wallMs: number;
  status: number;
  /** First to last request start of the workload's group (the bench's "first → last"). */
  spanMs: number;
  /** Wall clock after the last request the service saw (the engine's tail). */
  tailMs: number;
  failed: number;
  /** The workload's requests (consents, or the users group) and how many were answered 429. */
  consentRequests: number;
  consent429: number;
  earlyRetries: number;
  cpuSeconds: CpuSeconds;
  stateBytesPerResource: number;
  /** `go tool pprof -top` of the engine's CPU profile (the first lines), when profiled. */
  engineProfileTop?: string[];
  /** One consent as `pulumi stack export` shows it. */
  sampleResource?: unknown;
}

const unboundedParallel = "2147483647";

function binOf(version: string): string {
  const out = execFileSync("bash", [path.join(repoRoot, "scripts", "ensure-pulumi.sh")], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_PARTNERCENTER_CLI_VERSION: version },
    stdio: ["ignore", "pipe", "ignore"],
  });
  return out.trim().split("\n").pop()!;
}

/** The sandboxes the native plugin is installed in (scripts/install-plugin.sh, into the sandbox's PULUMI_HOME). */
const withPlugin = new WeakSet<EngineSandbox>();

function installPlugin(sandbox: EngineSandbox): void {
  if (withPlugin.has(sandbox)) return;
  execFileSync("bash", [path.join(repoRoot, "scripts", "install-plugin.sh")], { env: { ...process.env, ...sandbox.env }, stdio: "pipe" });
  withPlugin.add(sandbox);
}

/** This package's resources in a state, dynamic or native (not the stack, not the providers). */
export const isPackageResource = (r: { type?: unknown }) => /^(pulumi-nodejs:dynamic|partnercenter:index:)/.test(String(r.type));

const startOf = (r: LoggedRequest) => Date.parse(r.time);
const endOf = (r: LoggedRequest) => Date.parse(r.time) + r.durationMs;

/** The top of `go tool pprof -top` for a CPU profile, or a note why there is none. */
function pprofTop(file: string, lines = 14): Promise<string[]> {
  const go = fs.existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : "go";
  return new Promise((resolve) =>
    execFile(go, ["tool", "pprof", "-top", "-cum", `-nodecount=${lines}`, file], { maxBuffer: 8 * 1024 * 1024 }, (err, stdout) =>
      resolve(err ? [`(no profile summary: ${err.message.split("\n")[0]})`] : stdout.trim().split("\n")),
    ),
  );
}

/** N consents in one fresh stack with this variant; the emulator is reset first. */
export async function runVariant(
  emu: EmulatorHandle,
  sandbox: EngineSandbox,
  program: string,
  planFile: string,
  v: EngineVariant,
  n: number,
  profile = false,
  workload: Workload = { kind: "consents" },
): Promise<EngineVariantResult> {
  await emu.admin.reset();
  const stackName = `engine-${workload.kind}-${v.name}`;
  const profileDir = fs.mkdtempSync(path.join(sandbox.dir, `profile-${v.name}-`));
  // The engine floor has no requests to span: it logs when the engine called it (bench/floor.ts).
  const floorLog = v.floor ? path.join(profileDir, "floor.log") : undefined;
  const cli: CliVariant = { env: { ...v.env, ...(floorLog ? floorEnv(floorLog) : {}) }, bin: v.cliVersion ? binOf(v.cliVersion) : undefined };
  if (v.native) installPlugin(sandbox);
  const stack = await localProgramStack(sandbox, program, stackName, v.env ?? {});
  await configureForEmulator(stack, emu, { planFile: { value: planFile }, userPassword: { value: "Unused-Passw0rd!", secret: true } });
  const args = ["up", "--yes", "--skip-preview", "--stack", stackName, "--parallel", unboundedParallel, ...(v.args ?? [])];
  if (profile) args.push("--profiling", path.join(profileDir, "pulumi"));
  await emu.admin.resetMetrics();
  await emu.admin.clearRequests();
  const run = await runCli(sandbox, args, program, cli);
  const [requests, metrics] = await Promise.all([emu.admin.requests(), emu.admin.metrics()]);
  const group = workload.kind === "users" ? "users" : "consents";
  const consents = requests.filter((r) => r.group === group);
  const first = Math.min(...consents.map(startOf));
  const lastEnd = Math.max(...requests.map(endOf));
  const state = JSON.parse(await exportState(sandbox, stackName, program));
  const resources = (state?.deployment?.resources ?? []).filter(isPackageResource);
  const expected = workload.kind === "users" ? workload.customers * workload.perCustomer : n;
  const limits = (await emu.admin.call<Record<string, any>>("GET", "/limits")) ?? {};
  const boundMs = workload.kind === "users" ? (workload.perCustomer / limits.users?.requestsPerSecond) * 1000 : (n / limits.consents?.requestsPerSecond) * 1000;
  let engineProfileTop: string[] | undefined;
  if (profile) {
    const cpu = fs.readdirSync(profileDir).filter((f) => f.endsWith(".cpu"));
    // The CLI writes <prefix>.<pid>.cpu; the largest is the `up` itself.
    const biggest = cpu.map((f) => path.join(profileDir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
    engineProfileTop = biggest ? await pprofTop(biggest) : ["(the CLI wrote no CPU profile)"];
  }
  return {
    name: v.name,
    what: v.what,
    n,
    workload: workload.kind,
    boundMs,
    wallMs: run.wallMs,
    status: run.status,
    spanMs: floorLog ? floorSpanMs(floorLog, "create") : consents.length ? Math.max(...consents.map(startOf)) - first : 0,
    tailMs: requests.length ? run.endMs - lastEnd : run.wallMs,
    failed: expected - resources.length,
    consentRequests: consents.length,
    consent429: metrics.requests[group]?.["429"] ?? 0,
    earlyRetries: Object.values(metrics.earlyRetries ?? {}).reduce((a: number, b) => a + (b as number), 0),
    cpuSeconds: run.cpuSeconds,
    stateBytesPerResource: resources.length ? resources.reduce((a: number, r: any) => a + Buffer.byteLength(JSON.stringify(r)), 0) / resources.length : 0,
    engineProfileTop,
    sampleResource: resources[0],
  };
}

/** Every variant for N consents, one after another, against one emulator. */
export async function engineOptions(
  n: number,
  variants: EngineVariant[],
  opts: { latencyMs: number; profile?: boolean; log?: (s: string) => void; users?: { customers: number; perCustomer: number; variants: string[] } },
): Promise<EngineVariantResult[]> {
  const seed = generatedSeed(n);
  seed.settings = { ...(seed.settings ?? {}), requestLogSize: 20 * n + 10_000 };
  const emu = await startEmulator({ seed, latencyMs: opts.latencyMs });
  const sandbox = createEngineSandbox("pcenter-engine-options-");
  try {
    const program = copyProgram(sandbox, path.join(repoRoot, "bench", "program"));
    const planFile = path.join(sandbox.dir, "plan.json");
    fs.writeFileSync(planFile, JSON.stringify({ applicationId: emu.credentials.controlPanelApplicationId, userCustomers: [], usersPerCustomer: 0 }));
    const usersPlan = path.join(sandbox.dir, "plan-users.json");
    const u = opts.users;
    if (u) {
      const userCustomers = (seed.customers as any[]).slice(0, u.customers).map((c) => ({ id: c.id as string, domain: c.domains[0].name as string }));
      fs.writeFileSync(
        usersPlan,
        JSON.stringify({ applicationId: emu.credentials.controlPanelApplicationId, userCustomers, usersPerCustomer: u.perCustomer, consents: false }),
      );
    }
    const runs: [EngineVariant, Workload, string][] = [
      ...variants.map((v): [EngineVariant, Workload, string] => [v, { kind: "consents" }, planFile]),
      ...(u
        ? variants
            .filter((v) => u.variants.includes(v.name))
            .map((v): [EngineVariant, Workload, string] => [v, { kind: "users", customers: u.customers, perCustomer: u.perCustomer }, usersPlan])
        : []),
    ];
    const out: EngineVariantResult[] = [];
    for (const [v, workload, plan] of runs) {
      const r = await runVariant(emu, sandbox, program, plan, v, n, opts.profile && v.name === "base", workload);
      opts.log?.(
        `N=${n} ${workload.kind} engine option ${v.name}: up ${(r.wallMs / 1000).toFixed(1)} s (bound ${(r.boundMs / 1000).toFixed(1)} s), span ${(r.spanMs / 1000).toFixed(1)} s, tail ${(r.tailMs / 1000).toFixed(1)} s, ` +
          `failed ${r.failed}, CPU s engine ${r.cpuSeconds.engine} program ${r.cpuSeconds.program} provider ${r.cpuSeconds.provider} other ${r.cpuSeconds.other}, ` +
          `${Math.round(r.stateBytesPerResource)} B/resource, 429s ${r.consent429}, early retries ${r.earlyRetries}`,
      );
      out.push(r);
    }
    return out;
  } finally {
    await emu.stop();
    sandbox.dispose();
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const value = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const n = Number(value("--n") ?? 500);
  const names = value("--variants")?.split(",");
  const variants = names ? engineVariants.filter((v) => names.includes(v.name)) : engineVariants;
  const log = (s: string) => console.log(`[engine ${new Date().toISOString().slice(11, 19)}] ${s}`);
  // As npm run bench does: no more user customers than the seed has.
  const users = argv.includes("--users") ? { customers: Math.min(50, n), perCustomer: 10, variants: variants.map((v) => v.name) } : undefined;
  engineOptions(n, variants, { latencyMs: 100, profile: argv.includes("--profile"), log, users }).then(
    (results) => {
      for (const r of results) if (r.engineProfileTop) console.log(`\n${r.name}: engine CPU profile (pprof -top -cum)\n${r.engineProfileTop.join("\n")}`);
      if (process.env.ENGINE_RESULTS_JSON) fs.writeFileSync(process.env.ENGINE_RESULTS_JSON, JSON.stringify(results, null, 1));
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** The share (%) of the engine's sampled CPU spent saving checkpoints, from the profile's `-cum` column; undefined without a profile. */
export function checkpointShare(e: EngineVariantResult): number | undefined {
  for (const line of e.engineProfileTop ?? []) {
    const m = /([\d.]+)%\s+\S*\(\*SnapshotManager\)\.saveSnapshot$/.exec(line.trim());
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** results.md's "Engine options" section: one row per size and option, and the engine's CPU profile of the base run. */
export function engineOptionsSection(results: { n: number; engine?: EngineVariantResult[] }[]): string[] {
  const withEngine = results.filter((r) => r.engine?.length);
  if (!withEngine.length) return [];
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const out = [
    "### Engine options: the same rollout in one stack",
    "",
    "The one-stack consent rollout again, once per engine option (and the user rollout alone in a stack of its own, with some of them), each on a fresh stack against a freshly reset emulator, one after another " +
      '(bench/engineOptions.ts; every option is named in Pulumi\'s own sources, sdk/go/common/env/env.go). "tail" is the wall clock after the ' +
      "last request the service saw: the engine writing checkpoints. CPU seconds per process come from /proc (sampled: slightly low).",
    "",
    "| N | workload | option | `pulumi up` wall (s) | bound (s) | wall / bound | first → last (s) | tail (s) | failed | 429s | CPU s: engine / program / provider / other | state bytes per resource |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of withEngine) {
    for (const e of r.engine!) {
      const c = e.cpuSeconds;
      out.push(
        `| ${r.n} | ${e.workload === "users" ? "users only (own stack)" : "consents"} | ${e.what} | ${s(e.wallMs)} | ${s(e.boundMs)} | ${(e.wallMs / e.boundMs).toFixed(2)}× | ${s(e.spanMs)} | ${s(e.tailMs)} | ${e.failed} | ${e.consent429} | ${c.engine} / ${c.program} / ${c.provider} / ${c.other} | ${Math.round(e.stateBytesPerResource)} |`,
      );
    }
  }
  out.push("");
  const profiled = withEngine.flatMap((r) => r.engine!.filter((e) => e.engineProfileTop).map((e) => ({ n: r.n, e })));
  for (const { n, e } of profiled) {
    const share = checkpointShare(e);
    out.push(
      `Where the engine's CPU goes, N = ${n}, ${e.workload === "users" ? "users only (own stack)" : "consents"}, ${e.what} (\`pulumi up --profiling\`, then \`go tool pprof -top -cum\`)` +
        (share === undefined
          ? ":"
          : `: ${share.toFixed(0)} % of it under \`SnapshotManager.saveSnapshot\`, the checkpoint written before and after each operation, one at a time:`),
    );
    out.push("");
    out.push("```", ...e.engineProfileTop!, "```", "");
  }
  return out;
}
