/**
 * `npm run bench`: consent and user rollouts through the real Pulumi CLI against the emulator, with the
 * service's limits and ~100 ms of latency per call switched on, beside the same work done by a plain
 * script (sequential, and all at once); drift detection; the costs that grow with the number of
 * customers. Writes <out>/results.md and <out>/rps.svg and prints the figures.
 *
 *   node dist/bench/run.js [--quick] [--out <dir>] [--sizes 100,500,1000]
 *
 * Every figure is measured in this run: the emulator's request log and metrics (what the service saw),
 * `pulumi stack export` (state), /proc (the processes' CPU and memory) and wall clocks.
 */
import { waitFigures } from "./summary";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { startEmulator, type EmulatorHandle } from "../emulator";
import type { Metrics } from "../emulator/admin/client";
import type { LoggedRequest } from "../emulator/observability/requestLog";
import { loadConfig, type ProviderConfig } from "../provider/config";
import { defaultConnections } from "../provider/http/transport";
import { rateLimitPerShard, selectShard } from "../sdk/rollout";
import {
  backendQuery,
  copyProgram,
  createEngineSandbox,
  exportState,
  localProgramStack,
  pulumiBinDir,
  repoRoot,
  runPulumi,
  type EngineSandbox,
} from "../test/support/engine";
import { runProcess } from "../test/support/process";
import { configureForEmulator, partnerCenterConfig } from "../test/support/stackConfig";
import { allAtOnceRollout, sequentialRollout, type BaselineRun } from "./baselines";
import { renderChart, perSecond, type Panel } from "./chart";
import { runCli, type CliRun, type CliVariant, type CpuSeconds } from "./cli";
import { renderReport } from "./report";
import { engineOptions, engineVariants, type EngineVariant, type EngineVariantResult } from "./engineOptions";
import { floorEnv, floorModule, floorSpanMs } from "./floorLog";
import { runnerRows, type RunnerRow } from "./runner";
import { generatedSeed } from "./seed";

export interface Options {
  quick: boolean;
  out: string;
  sizes: number[];
  userCustomers: number;
  usersPerCustomer: number;
  latencyMs: number;
  /** Customers per stack in the grouped rollout (README "Large rollouts"): N customers in ceil(N / groupSize) stacks side by side. */
  groupSize: number;
  /** Every layout measured side by side: shard sizes, each with the DIY backend plain, gzip- and zstd-compressed (the first is `groupSize`, plain). */
  layouts: Layout[];
  /** Engine options tried on the one-stack consent rollout (bench/engineOptions.ts); empty with --no-engine-options. */
  engineVariants: EngineVariant[];
  /** The user rollout alone in this many stacks side by side (shards of its customers), at the largest size. */
  userStacks: number[];
  /** Sizes of the rows through the rollout runner (bench/runner.ts); one not among `sizes` gets the consents row alone, on its own emulator. */
  runnerSizes: number[];
  /** --render: write the results of an earlier run (its BENCH_RESULTS_JSON) instead of measuring. */
  render?: string;
}

/** Stacks of at most `groupSize` customers side by side, with extra engine settings (e.g. PULUMI_DIY_BACKEND_GZIP). */
export interface Layout {
  groupSize: number;
  /** What the engine settings are, for the report ("" for none). */
  engine: string;
  env?: Record<string, string>;
}

const gzip = { PULUMI_DIY_BACKEND_GZIP: "true" };
const zstd = { PULUMI_DIY_BACKEND_ZSTD: "true" };

const usage =
  "usage: node dist/bench/run.js [--quick] [--out <dir>] [--sizes 100,500,1000] [--group-size 500] [--group-sizes 500,250] [--user-stacks 2,5] [--runner-sizes 1000,5000] [--no-engine-options] [--render <raw.json>]";

function positiveInteger(flag: string, value: string): number {
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be positive integers, got '${value}'`);
  return n;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean" },
      out: { type: "string" },
      sizes: { type: "string" },
      "group-size": { type: "string" },
      "group-sizes": { type: "string" },
      "user-stacks": { type: "string" },
      "runner-sizes": { type: "string" },
      render: { type: "string" },
      "no-engine-options": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const quick = values.quick === true;
  const sizes = values.sizes ? values.sizes.split(",").map((s) => positiveInteger("--sizes", s)) : quick ? [20] : [100, 500, 1000];
  // The runner's rows: at the largest size; a full run of the default sizes also at 5000 (consents alone).
  const runnerSizes =
    values["runner-sizes"]?.split(",").map((x) => positiveInteger("--runner-sizes", x)) ??
    (quick || values.sizes ? [Math.max(...sizes)] : [Math.max(...sizes), 5000]);
  const groupSize = values["group-size"] ? positiveInteger("--group-size", values["group-size"]) : quick ? 10 : 500;
  const sizesOfGroups =
    values["group-sizes"]?.split(",").map((x) => positiveInteger("--group-sizes", x)) ??
    (quick ? [groupSize] : [groupSize, Math.max(1, Math.floor(groupSize / 2))]);
  const groupSizes = [...new Set([groupSize, ...sizesOfGroups])];
  // Each shard size plain, then with a gzip- and a zstd-compressed checkpoint (see bench/engineOptions.ts).
  const layouts: Layout[] = [
    ...groupSizes.map((g) => ({ groupSize: g, engine: "" })),
    ...(quick ? [] : groupSizes.map((g) => ({ groupSize: g, engine: "PULUMI_DIY_BACKEND_GZIP=true", env: gzip }))),
    ...(quick ? [] : groupSizes.map((g) => ({ groupSize: g, engine: "PULUMI_DIY_BACKEND_ZSTD=true", env: zstd }))),
  ];
  return {
    quick,
    // A quick run is a smoke test: it must not overwrite the committed results of a full run.
    out: path.resolve(values.out ?? (quick ? path.join(repoRoot, "bench", "out") : path.join(repoRoot, "bench"))),
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    userCustomers: quick ? 5 : 50,
    usersPerCustomer: quick ? 2 : 10,
    latencyMs: 100,
    groupSize,
    layouts,
    render: values.render,
    runnerSizes: [...new Set(runnerSizes)].sort((a, b) => a - b),
    userStacks: values["user-stacks"]?.split(",").map((x) => positiveInteger("--user-stacks", x)) ?? (quick ? [2] : [2, 5]),
    engineVariants: values["no-engine-options"]
      ? []
      : quick
        ? engineVariants.filter((v) => ["base", "gzip", "floor", "native", "skip-checkpoints"].includes(v.name))
        : engineVariants,
  };
}

// ---------------------------------------------------------------- what a phase saw on the service

export interface Observed {
  requests: LoggedRequest[];
  metrics: Metrics;
}

const startOf = (r: LoggedRequest) => Date.parse(r.time);
const endOf = (r: LoggedRequest) => Date.parse(r.time) + r.durationMs;

/** First request start to last request end, in ms (0 when there were none). */
export function serviceSpanMs(requests: LoggedRequest[]): number {
  if (requests.length === 0) return 0;
  let first = Infinity;
  let last = -Infinity;
  for (const r of requests) {
    first = Math.min(first, startOf(r));
    last = Math.max(last, endOf(r));
  }
  return last - first;
}

/** First request start to last request start, in ms. */
function startSpanMs(requests: LoggedRequest[]): number {
  if (requests.length < 2) return 0;
  const starts = requests.map(startOf);
  return Math.max(...starts) - Math.min(...starts);
}

const sum = (o: Record<string, number> | undefined) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
const countStatus = (m: Metrics, group: string, status: string) => m.requests[group]?.[status] ?? 0;
const groupTotal = (m: Metrics, group: string) => sum(m.requests[group]);
const apiRequests = (m: Metrics) => Object.entries(m.requests).reduce((a, [, v]) => a + sum(v), 0);
const all429 = (m: Metrics) => Object.values(m.requests).reduce((a, v) => a + (v["429"] ?? 0), 0);

export interface Tokens {
  /** Requests to the token endpoint (whatever their answer). */
  requests: number;
  /** Tokens issued in the partner's tenant (Partner Center, delegated admin). */
  partnerTenant: number;
  /** Tokens issued in customer tenants (Graph read-back of consents). */
  customerTenants: number;
}

function tokens(m: Metrics, partnerTenantId: string): Tokens {
  let partnerTenant = 0;
  let customerTenants = 0;
  for (const [key, n] of Object.entries(m.tokensIssued)) {
    if (key.split("|")[0] === partnerTenantId) partnerTenant += n;
    else customerTenants += n;
  }
  return { requests: groupTotal(m, "token"), partnerTenant, customerTenants };
}

/** Requests per customer tenant (by the caller's tenant, or the tenant in a token request's path). */
function perTenant(requests: LoggedRequest[], partnerTenantId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const tenant = r.group === "token" ? r.path.split("/")[1] : r.tenantId;
    if (!tenant || tenant === partnerTenantId) continue;
    counts.set(tenant, (counts.get(tenant) ?? 0) + 1);
  }
  return counts;
}

/** The customer id in a Partner Center request's path (`…/customers/{id}/…`). */
const customerOf = (r: LoggedRequest) => /\/customers\/([^/]+)\//.exec(r.path)?.[1];

/** Users-group requests per customer (the path's customer id). */
function usersPerCustomer(requests: LoggedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) {
    if (r.group !== "users") continue;
    const id = customerOf(r);
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** The most consent requests the service saw in one second, over every consents limiter key. */
const peakConsentsPerSecond = (m: Metrics) =>
  Math.max(
    0,
    ...Object.entries(m.maxRequestsPerSecond)
      .filter(([k]) => k.startsWith("consents|"))
      .map(([, v]) => v),
  );

async function observe<T>(emu: EmulatorHandle, run: () => Promise<T>): Promise<{ result: T } & Observed> {
  await emu.admin.resetMetrics();
  await emu.admin.clearRequests();
  const result = await run();
  const [metrics, requests] = await Promise.all([emu.admin.metrics(), emu.admin.requests()]);
  return { result, metrics, requests };
}

// ---------------------------------------------------------------- results of one size

export interface CliPhase {
  wallMs: number;
  status: number;
  serviceSpanMs: number;
  engineMs: number;
  peakProviderRssKb: number;
  apiRequests: number;
  throttled429: number;
  earlyRetries: number;
  /** TLS connections the service accepted during the run: our pool's set-ups (the emulator's count). */
  tlsHandshakes: number;
  tokens: Tokens;
}

export interface ConsentRollout extends CliPhase {
  n: number;
  boundMs: number;
  firstToLastMs: number;
  ratio: number;
  failedResources: number;
  consentRequests: number;
  consent429: number;
  peakObservedPerSecond: number;
  perSecond: number[];
  perSecond429: number[];
}

export interface UserRollout extends CliPhase {
  customers: number;
  users: number;
  boundMs: number;
  firstToLastMs: number;
  ratio: number;
  failedResources: number;
  userRequests: number;
  maxRequestsPerCustomer: number;
}

export interface Refresh extends CliPhase {
  consents: number;
  users: number;
  requestsByGroup: Record<string, number>;
  changesFound: string;
  /** What the service's read limits allow at best: max users reads in one customer / the users limit, or the latency chain of one consent. */
  serviceBoundMs: number;
  serviceBoundWhy: string;
  /** The same with our client's own limits (userRateLimit per customer, requestRateLimit per tenant for Graph, the connection pool). */
  clientBoundMs: number;
  /** First to last of the resource reads (the program's delegated-admin list left out). */
  readsSpanMs: number;
  /** CPU seconds during the preview: the CLI's processes (from /proc) and this process, which hosts the emulator. */
  cpuSeconds: CpuSeconds & { emulator: number };
  /** The other ways to check for drift, on the same stack, one after another (see `driftChecks`). */
  alternatives: DriftCheck[];
}

/** One drift check: its command, and what it cost. */
export interface DriftCheck {
  command: string;
  /** An environment setting it runs with, `NAME=value`. */
  setting?: string;
  /** Whether the command runs the program. */
  runsProgram: boolean;
  /** Run through the engine floor's provider (bench/floor.ts): what Pulumi alone needs for the same stack. */
  floor?: boolean;
  wallMs: number;
  status: number;
  readsSpanMs: number;
  apiRequests: number;
  throttled429: number;
  earlyRetries: number;
  /** TLS connections the service accepted during the check. */
  tlsHandshakes: number;
  cpuSeconds: CpuSeconds;
}

/**
 * The drift checks beside `pulumi preview --refresh`, each failing on drift: with `--run-program` (the
 * engine then refreshes each resource as the program registers it, with the current provider
 * configuration: README "When the endpoints or a secret change"; without it, it refreshes the whole
 * state first with the stored configuration, then runs the program), and `pulumi refresh
 * --preview-only`, which shows the drift but not what `up` would do about it, with the program and
 * without it (pkg/resource/deploy/deployment_executor.go of the CLI).
 */
export const driftChecks: { args: string[]; runsProgram: boolean; setting?: string; floor?: boolean }[] = [
  { args: ["preview", "--refresh", "--run-program", "--expect-no-changes"], runsProgram: true },
  { args: ["refresh", "--preview-only", "--run-program", "--expect-no-changes"], runsProgram: true },
  { args: ["refresh", "--preview-only", "--expect-no-changes"], runsProgram: false },
  // The same preview as the main row, with the stack trace @pulumi/pulumi stamps on each promise of
  // a resource's properties, which our resources are declared without unless this is set
  // (sdk/packagedProvider.ts): the program's cost of those stacks, measured in the same run.
  { args: ["preview", "--refresh"], runsProgram: true, setting: "PULUMI_DEBUG_PROMISE_LEAKS=1" },
  // The same preview with a smaller connection pool (README's `connectionsPerOrigin`): fewer TLS
  // set-ups, which are the provider's largest CPU owner in a refresh, against fewer reads in flight.
  { args: ["preview", "--refresh"], runsProgram: true, setting: "PARTNERCENTER_CONNECTIONS_PER_ORIGIN=64" },
  // The engine floor: the same preview of the same state, every resource's provider swapped for one
  // that calls no service (bench/floor.ts). What is left is Pulumi's own time for this stack.
  { args: ["preview", "--refresh"], runsProgram: true, floor: true },
];

export interface Baseline {
  wallMs: number;
  firstToLastMs: number;
  ratio: number;
  succeeded: number;
  failed: number;
  throttled429: number;
  earlyRetries: number;
  outcomes: Record<string, number>;
  perSecond: number[];
  perSecond429: number[];
}

export interface StateCost {
  resources: number;
  stateBytes: number;
  bytesPerResource: number;
  providerBytesMax: number;
  providerBytesAvg: number;
}

export interface DefaultParallelRollout {
  wallMs: number;
  firstToLastMs: number;
  ratio: number;
  failedResources: number;
  consent429: number;
  earlyRetries: number;
  perSecond: number[];
}

/** The same consent rollout in `stacks` stacks side by side, each owning its shard of the customers. */
export interface GroupedRollout {
  /** "2 stacks side by side", with the engine settings when there are any. */
  layout: string;
  groupSize: number;
  engine: string;
  stacks: number;
  /** Customers in the largest shard. */
  largestShard: number;
  /** partnercenter:consentRateLimit of each stack: rateLimitPerShard(stacks). */
  rateLimitPerStack: number;
  /** The slowest stack's `pulumi up`. */
  wallMs: number;
  status: number[];
  firstToLastMs: number;
  ratio: number;
  /** From the first consent request of any stack to the first of the stack that started last. */
  startSkewMs: number;
  failedResources: number;
  consentRequests: number;
  consent429: number;
  earlyRetries: number;
  peakObservedPerSecond: number;
  perSecond: number[];
}

/** The user rollout alone in `stacks` stacks side by side, each owning whole customers (bench program's `shard`). */
export interface UserLayout {
  layout: string;
  stacks: number;
  /** Users in the largest stack. */
  largestShard: number;
  /** The slowest stack's `pulumi up`. */
  wallMs: number;
  status: number[];
  /** The busiest customer's users at the users limit (the same bound as the one-stack rollout). */
  boundMs: number;
  firstToLastMs: number;
  ratio: number;
  failedResources: number;
  userRequests: number;
  user429: number;
  earlyRetries: number;
}

export interface SizeResult {
  n: number;
  /** The user rollout alone, in stacks side by side (measured at the largest size only: it does not depend on N). */
  userLayouts?: UserLayout[];
  /** Absent when N fits in one group (the single stack above is that rollout). */
  grouped?: GroupedRollout;
  /** Through the rollout runner (bench/runner.ts): at this size, and on the largest size's result, those of the runner sizes not measured otherwise. */
  runner?: RunnerRow[];
  /** Every layout of more than one stack measured at this size (`grouped` first). */
  layouts: GroupedRollout[];
  /** The one-stack consent rollout under each engine option (measured after the rest, on its own emulator). */
  engine?: EngineVariantResult[];
  consent: ConsentRollout;
  users: UserRollout;
  refresh: Refresh;
  state: StateCost;
  sequential: Baseline;
  allAtOnce: Baseline;
  defaultParallel: DefaultParallelRollout;
}

export interface Environment {
  date: string;
  mode: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  node: string;
  pulumiCli: string;
  pulumiSdk: string;
  latency: unknown;
  limits: Record<string, any>;
  client: Pick<ProviderConfig, "consentRateLimit" | "userRateLimit" | "requestRateLimit" | "maxRetries">;
  parallel: string;
  /** PULUMI_BACKEND_URL of every run, with the sandbox's directory left out. */
  backend: string;
  /** Pulumi 3.x's default --parallel: 4 x GOMAXPROCS (the cores), unless PULUMI_PARALLEL is set. */
  defaultParallel: string;
}

function cliPhase(run: CliRun, seen: Observed, partnerTenantId: string): CliPhase {
  const span = serviceSpanMs(seen.requests);
  return {
    wallMs: run.wallMs,
    status: run.status,
    serviceSpanMs: span,
    engineMs: run.wallMs - span,
    peakProviderRssKb: run.peakProviderRssKb,
    apiRequests: apiRequests(seen.metrics),
    throttled429: all429(seen.metrics),
    earlyRetries: sum(seen.metrics.earlyRetries),
    tlsHandshakes: seen.metrics.tlsHandshakes,
    tokens: tokens(seen.metrics, partnerTenantId),
  };
}

function failure(run: CliRun): string {
  const text = `${run.stdout}\n${run.stderr}`;
  const errors = text.split("\n").filter((l) => /error:/i.test(l));
  return errors.slice(0, 5).join("\n") || text.slice(-2000);
}

function baseline(run: BaselineRun, seen: Observed, boundMs: number): Baseline {
  const consents = seen.requests.filter((r) => r.group === "consents");
  const firstToLast = startSpanMs(consents);
  return {
    wallMs: run.wallMs,
    firstToLastMs: firstToLast,
    ratio: firstToLast / boundMs,
    succeeded: run.succeeded,
    failed: run.failed,
    throttled429: countStatus(seen.metrics, "consents", "429"),
    earlyRetries: sum(seen.metrics.earlyRetries),
    outcomes: run.outcomes,
    perSecond: perSecond(consents.map(startOf)),
    perSecond429: perSecondAligned(consents, (r) => r.status === 429),
  };
}

/** Per-second counts of the matching requests, on the same bins as all of them. */
function perSecondAligned(requests: LoggedRequest[], match: (r: LoggedRequest) => boolean): number[] {
  if (requests.length === 0) return [];
  const first = Math.min(...requests.map(startOf));
  const bins = new Array<number>(Math.floor((Math.max(...requests.map(startOf)) - first) / 1000) + 1).fill(0);
  for (const r of requests) if (match(r)) bins[Math.floor((startOf(r) - first) / 1000)]++;
  return bins;
}

/** `--parallel` at this value is the engine's "infinite parallelism" (Pulumi: math.MaxInt32). */
const unboundedParallel = 2147483647;

const log = (text: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What the phases of one size share: its emulator, sandbox and stack, and the bounds the service's limits set. */
interface SizeRun {
  n: number;
  opts: Options;
  latencyMs: number;
  emu: EmulatorHandle;
  sandbox: EngineSandbox;
  program: string;
  planFile: string;
  customers: { id: string; domain: string }[];
  partnerTenantId: string;
  applicationId: string;
  consentLimit: number;
  usersLimit: number;
  /** N / the consent limit. */
  boundMs: number;
  /** Unbounded engine parallelism: our rate limiter paces the calls; the CLI's default (4 x cores) is measured separately. */
  parallel: string[];
}

const upArgs = (stack: string, parallel: string[] = []) => ["up", "--yes", "--skip-preview", "--stack", stack, ...parallel];

/** The program declares a consent for every delegated-admin customer (all N); the plan adds users. */
function writePlan(run: SizeRun, file: string, userCustomers: SizeRun["customers"], usersPerCustomer = run.opts.usersPerCustomer): void {
  fs.writeFileSync(file, JSON.stringify({ applicationId: run.applicationId, userCustomers, usersPerCustomer }));
}

/** `pulumi up` and what the service saw meanwhile; a failed run is logged with its errors. */
async function observedUp(run: SizeRun, args: string[], what: string, variant: CliVariant = {}) {
  const seen = await observe(run.emu, () => runCli(run.sandbox, args, run.program, variant));
  if (seen.result.status !== 0) log(`N=${run.n}: pulumi ${args[0]} (${what}) exited with ${seen.result.status}:\n${failure(seen.result)}`);
  return seen;
}

/** 1. The consent rollout through `pulumi up`. */
async function consentPhase(run: SizeRun): Promise<{ consent: ConsentRollout; consentsInState: number }> {
  const { n, boundMs } = run;
  log(`N=${n}: consent rollout (pulumi up, ${n} ApplicationConsent)`);
  writePlan(run, run.planFile, []);
  const c = await observedUp(run, upArgs("bench", run.parallel), "consents");
  const consentsInState = dynamicResources(JSON.parse(await exportState(run.sandbox, "bench", run.program))).filter((r) =>
    r.type.includes("ApplicationConsent"),
  ).length;
  const consentReqs = c.requests.filter((r) => r.group === "consents");
  const firstToLast = startSpanMs(consentReqs);
  const consent: ConsentRollout = {
    ...cliPhase(c.result, c, run.partnerTenantId),
    n,
    boundMs,
    firstToLastMs: firstToLast,
    ratio: firstToLast / boundMs,
    failedResources: n - consentsInState,
    consentRequests: consentReqs.length,
    consent429: countStatus(c.metrics, "consents", "429"),
    peakObservedPerSecond: peakConsentsPerSecond(c.metrics),
    perSecond: perSecond(consentReqs.map(startOf)),
    perSecond429: perSecondAligned(consentReqs, (r) => r.status === 429),
  };
  log(
    `N=${n}: consents first→last ${secs(consent.firstToLastMs)} (bound ${secs(boundMs)}, ratio ${consent.ratio.toFixed(2)}), ` +
      `up ${secs(consent.wallMs)}, failed ${consent.failedResources}, 429s ${consent.consent429}, early retries ${consent.earlyRetries}`,
  );
  return { consent, consentsInState };
}

/** 2. The user rollout: usersPerCustomer users in each of userCustomers customers, added to the same stack. */
async function userPhase(run: SizeRun): Promise<{ users: UserRollout; state: any }> {
  const { n, opts } = run;
  const userCustomers = run.customers.slice(0, Math.min(opts.userCustomers, run.customers.length));
  const userCount = userCustomers.length * opts.usersPerCustomer;
  log(`N=${n}: user rollout (pulumi up, ${opts.usersPerCustomer} users in each of ${userCustomers.length} customers)`);
  writePlan(run, run.planFile, userCustomers);
  const u = await observedUp(run, upArgs("bench", run.parallel), "users");
  const state = JSON.parse(await exportState(run.sandbox, "bench", run.program));
  const usersInState = dynamicResources(state).filter((r) => r.type.includes("CustomerUser")).length;
  const userReqs = u.requests.filter((r) => r.group === "users");
  // The service's bound: every user needs at least its POST, and a customer takes usersLimit
  // requests/s; what our client adds on top (directory reads) counts against us, not in the bound.
  const userBoundMs = (Math.ceil(userCount / userCustomers.length) / run.usersLimit) * 1000;
  const users: UserRollout = {
    ...cliPhase(u.result, u, run.partnerTenantId),
    customers: userCustomers.length,
    users: userCount,
    boundMs: userBoundMs,
    firstToLastMs: startSpanMs(userReqs),
    ratio: userBoundMs > 0 ? startSpanMs(userReqs) / userBoundMs : NaN,
    failedResources: userCount - usersInState,
    userRequests: userReqs.length,
    maxRequestsPerCustomer: Math.max(0, ...usersPerCustomer(u.requests).values()),
  };
  log(
    `N=${n}: users first→last ${secs(users.firstToLastMs)} (bound ${secs(userBoundMs)}), up ${secs(users.wallMs)}, ` +
      `failed ${users.failedResources}, 429s ${users.throttled429}, early retries ${users.earlyRetries}`,
  );
  return { users, state };
}

/** 3. State costs (a plain export: secrets stay ciphertext). */
function stateCost(state: any): StateCost {
  const resources = dynamicResources(state);
  const providerBytes = resources.map((r) => Buffer.byteLength(String(r.outputs?.__provider ?? r.inputs?.__provider ?? "")));
  return {
    resources: resources.length,
    stateBytes: Buffer.byteLength(JSON.stringify(state)),
    bytesPerResource: resources.length ? resources.reduce((a, r) => a + Buffer.byteLength(JSON.stringify(r)), 0) / resources.length : 0,
    providerBytesMax: Math.max(0, ...providerBytes),
    providerBytesAvg: providerBytes.length ? providerBytes.reduce((a, b) => a + b, 0) / providerBytes.length : 0,
  };
}

/** 4b. Another drift check on the same stack (nothing changed out of band: each must exit 0). */
async function driftCheck(run: SizeRun, { args: command, runsProgram, setting, floor }: (typeof driftChecks)[number]): Promise<DriftCheck> {
  // The sandbox sets PULUMI_SKIP_CONFIRMATIONS, which the CLI takes for --yes; --preview-only refuses --yes.
  const args = [...command, "--stack", "bench", ...run.parallel];
  const floorLog = path.join(run.sandbox.dir, "floor-refresh.log");
  const env = {
    PULUMI_SKIP_CONFIRMATIONS: "false",
    ...(setting ? Object.fromEntries([setting.split("=")]) : {}),
    ...(floor ? floorEnv(floorLog) : {}),
  };
  const restore = floor ? await swapInFloor(run) : async () => {};
  const q = await observedUp(run, args, [...command, setting ?? "", floor ? "(engine floor)" : ""].filter(Boolean).join(" "), { env }).finally(restore);
  const result: DriftCheck = {
    command: `pulumi ${command.join(" ")}`,
    setting,
    runsProgram,
    floor,
    wallMs: q.result.wallMs,
    status: q.result.status,
    readsSpanMs: floor ? floorSpanMs(floorLog, "read") : serviceSpanMs(q.requests),
    apiRequests: apiRequests(q.metrics),
    throttled429: all429(q.metrics),
    earlyRetries: sum(q.metrics.earlyRetries),
    tlsHandshakes: q.metrics.tlsHandshakes,
    cpuSeconds: q.result.cpuSeconds,
  };
  log(
    `N=${run.n}: ${result.command}${setting ? ` (${setting})` : ""}: ${secs(result.wallMs)}, exit ${result.status}, ${result.apiRequests} requests, CPU s ${JSON.stringify(result.cpuSeconds)}`,
  );
  return result;
}

/**
 * Points every resource of the bench stack at the engine floor's provider (bench/floor.ts) through
 * `pulumi stack export` and `import`, and returns what puts the stack back as it was.
 */
async function swapInFloor(run: SizeRun): Promise<() => Promise<void>> {
  const original = await exportState(run.sandbox, "bench", run.program);
  const file = path.join(run.sandbox.dir, "bench-state.json");
  const importState = async (text: string) => {
    fs.writeFileSync(file, text);
    const res = await runPulumi(run.sandbox, ["stack", "import", "--stack", "bench", "--file", file], run.program);
    if (res.status !== 0) throw new Error(`pulumi stack import failed: ${res.stderr}`);
  };
  // The module text is JSON-escaped in the export: `require(\"pulumi-partnercenter/dynamic\")`.
  const escaped = (module: string) => JSON.stringify(JSON.stringify(module)).slice(1, -1);
  const swapped = original.split(escaped("pulumi-partnercenter/dynamic")).join(escaped(floorModule));
  if (swapped === original) throw new Error("the engine floor found no resource to point at bench/floor.ts");
  await importState(swapped);
  return () => importState(original);
}

/** 4. Drift detection over everything rolled out, with the bounds the service's limits and our client's set. */
async function refreshPhase(run: SizeRun, resources: number, consentsInState: number, usersInState: number): Promise<Refresh> {
  const { n, latencyMs, usersLimit } = run;
  log(`N=${n}: drift detection (pulumi preview --refresh over ${resources} resources)`);
  // The emulator answers from this process: its CPU is this process's while the preview runs.
  const cpuBefore = process.cpuUsage();
  const r = await observedUp(run, ["preview", "--refresh", "--stack", "bench", ...run.parallel], "refresh");
  const cpuOfThis = process.cpuUsage(cpuBefore);
  const tenantCounts = perTenant(r.requests, run.partnerTenantId);
  const maxChain = Math.max(0, ...tenantCounts.values());
  const maxUserReads = Math.max(0, ...usersPerCustomer(r.requests).values());
  const latencyBound = maxChain * latencyMs;
  const usersReadBound = usersLimit > 0 ? (maxUserReads / usersLimit) * 1000 : 0;
  const cfg = clientConfig(run.emu);
  // Our client's own limits: its rate limits, and its connection pool (each request in flight holds
  // a connection for about the latency: no more than defaultConnections per latency).
  const poolBound = (apiRequests(r.metrics) * latencyMs) / defaultConnections;
  const clientBound = Math.max((maxUserReads / cfg.userRateLimit) * 1000, (maxChain / cfg.requestRateLimit) * 1000, latencyBound, poolBound);
  const changes = /([+~-]+\d+ to (create|update|replace|delete)|\d+ to (create|update|replace|delete))/.exec(r.result.stdout);
  const refresh: Refresh = {
    ...cliPhase(r.result, r, run.partnerTenantId),
    consents: consentsInState,
    users: usersInState,
    requestsByGroup: Object.fromEntries(Object.entries(r.metrics.requests).map(([g, v]) => [g, sum(v)])),
    changesFound: r.result.status !== 0 ? `preview failed (exit ${r.result.status})` : changes ? changes[0] : "none",
    serviceBoundMs: Math.max(latencyBound, usersReadBound),
    serviceBoundWhy:
      usersReadBound >= latencyBound
        ? `${maxUserReads} user reads in one customer at ${usersLimit}/s`
        : `${maxChain} sequential calls for one customer tenant at ${latencyMs} ms each`,
    clientBoundMs: clientBound,
    // The reads of the resources, without the program's own delegated-admin list (it runs after them).
    readsSpanMs: serviceSpanMs(r.requests.filter((q) => q.group !== "delegatedAdmin")),
    cpuSeconds: { ...r.result.cpuSeconds, emulator: (cpuOfThis.user + cpuOfThis.system) / 1e6 },
    alternatives: [],
  };
  for (const check of driftChecks) refresh.alternatives.push(await driftCheck(run, check));
  log(
    `N=${n}: refresh ${secs(refresh.wallMs)} (service span ${secs(refresh.serviceSpanMs)}), ${refresh.apiRequests} requests, changes: ${refresh.changesFound}`,
  );
  return refresh;
}

/** 5. The same consent rollout the way people do it today, each against a fresh emulator. */
async function baselinePhase(run: SizeRun): Promise<{ sequential: Baseline; allAtOnce: Baseline }> {
  const { n, emu, boundMs } = run;
  const ids = run.customers.map((x) => x.id);
  log(`N=${n}: baseline, one call after another`);
  await emu.admin.reset();
  const s = await observe(emu, () => sequentialRollout(emu, ids, run.applicationId));
  const sequential = baseline(s.result, s, boundMs);
  log(`N=${n}: sequential ${secs(sequential.firstToLastMs)} (ratio ${sequential.ratio.toFixed(2)}), failed ${sequential.failed}`);
  log(`N=${n}: baseline, all at once`);
  await emu.admin.reset();
  const a = await observe(emu, () => allAtOnceRollout(emu, ids, run.applicationId));
  const allAtOnce = baseline(a.result, a, boundMs);
  log(`N=${n}: all at once ${secs(allAtOnce.firstToLastMs)}, failed ${allAtOnce.failed}, 429s ${allAtOnce.throttled429}`);
  return { sequential, allAtOnce };
}

/** 6. The consent rollout again with the CLI's default --parallel, on a fresh emulator and stack. */
async function defaultParallelPhase(run: SizeRun, consentsOnlyPlan: string): Promise<DefaultParallelRollout> {
  const { n, emu, sandbox, program, boundMs } = run;
  log(`N=${n}: consent rollout with the CLI's default --parallel`);
  await emu.admin.reset();
  const stack = await localProgramStack(sandbox, program, "bench-default");
  await configureForEmulator(stack, emu, { planFile: { value: consentsOnlyPlan }, userPassword: { value: "Unused-Passw0rd!", secret: true } });
  const d = await observedUp(run, upArgs("bench-default"), "default --parallel");
  const defaultState = JSON.parse(await exportState(sandbox, "bench-default", program));
  const consents = d.requests.filter((r) => r.group === "consents");
  const result: DefaultParallelRollout = {
    wallMs: d.result.wallMs,
    firstToLastMs: startSpanMs(consents),
    ratio: startSpanMs(consents) / boundMs,
    failedResources: n - dynamicResources(defaultState).length,
    consent429: countStatus(d.metrics, "consents", "429"),
    earlyRetries: sum(d.metrics.earlyRetries),
    perSecond: perSecond(consents.map(startOf)),
  };
  log(`N=${n}: default --parallel: first→last ${secs(result.firstToLastMs)} (ratio ${result.ratio.toFixed(2)}), failed ${result.failedResources}`);
  return result;
}

/** A fresh emulator seeded with N customers, a sandbox and the bench stack configured for it. */
async function startSize(n: number, opts: Options, latencyMs: number): Promise<SizeRun> {
  const seed = generatedSeed(n);
  // Keep every request of the largest phase (a refresh makes ~4 per consent and 1-3 per user).
  seed.settings = { ...(seed.settings ?? {}), requestLogSize: 20 * n + 50 * opts.userCustomers * opts.usersPerCustomer + 10_000 };
  const emu = await startEmulator({ seed, latencyMs: opts.latencyMs });
  const sandbox = createEngineSandbox("pcenter-bench-");
  const limits = await emu.admin.getLimits();
  const consentLimit = limits.consents?.requestsPerSecond ?? NaN;
  const program = copyProgram(sandbox, path.join(repoRoot, "bench", "program"));
  const planFile = path.join(sandbox.dir, "plan.json");
  const stack = await localProgramStack(sandbox, program, "bench");
  await configureForEmulator(stack, emu, {
    planFile: { value: planFile },
    userPassword: { value: `Bench-${Math.random().toString(36).slice(2, 10)}-Aa1!`, secret: true },
  });
  return {
    n,
    opts,
    latencyMs,
    emu,
    sandbox,
    program,
    planFile,
    customers: (seed.customers as any[]).map((c) => ({ id: c.id as string, domain: c.domains[0].name as string })),
    partnerTenantId: emu.credentials.partnerTenantId,
    applicationId: emu.credentials.controlPanelApplicationId,
    consentLimit,
    usersLimit: limits.users?.requestsPerSecond ?? NaN,
    boundMs: (n / consentLimit) * 1000,
    parallel: ["--parallel", String(unboundedParallel)],
  };
}

async function benchSize(n: number, opts: Options, latencyMs: number): Promise<SizeResult> {
  const run = await startSize(n, opts, latencyMs);
  try {
    const { consent, consentsInState } = await consentPhase(run);
    const { users, state: finalState } = await userPhase(run);
    const state = stateCost(finalState);
    const usersInState = dynamicResources(finalState).filter((r) => r.type.includes("CustomerUser")).length;
    const refresh = await refreshPhase(run, state.resources, consentsInState, usersInState);
    const { sequential, allAtOnce } = await baselinePhase(run);
    const consentsOnlyPlan = path.join(run.sandbox.dir, "plan-default.json");
    writePlan(run, consentsOnlyPlan, [], 0);
    const defaultParallel = await defaultParallelPhase(run, consentsOnlyPlan);

    // 7. The consent rollout as README "Large rollouts" recommends: one stack per group of at most
    //    groupSize customers, all side by side, each limited to its share of the service's limit.
    //    Then the other layouts: smaller shards, and each with a compressed checkpoint.
    const layouts: GroupedRollout[] = [];
    for (const [i, layout] of opts.layouts.entries()) {
      const stacks = Math.ceil(n / layout.groupSize);
      if (stacks < 2) continue;
      const g = await groupedRollout(run, consentsOnlyPlan, stacks, layout, `l${i}`);
      log(
        `N=${n}: ${g.layout}: first→last ${secs(g.firstToLastMs)} (ratio ${g.ratio.toFixed(2)}, start skew ${secs(g.startSkewMs)}), ` +
          `slowest up ${secs(g.wallMs)} (${(g.wallMs / run.boundMs).toFixed(2)}x the bound), failed ${g.failedResources}, 429s ${g.consent429}, early retries ${g.earlyRetries}`,
      );
      layouts.push(g);
    }
    const grouped = layouts.find((l) => l.groupSize === opts.groupSize && !l.engine);
    const userLayouts = n === opts.sizes[opts.sizes.length - 1] ? await userLayoutsPhase(run) : undefined;
    const runner = opts.runnerSizes.includes(n) ? await runnerRows(runnerContext(run, refresh.serviceBoundMs)) : undefined;
    return { n, grouped, layouts, userLayouts, runner, consent, users, refresh, state, sequential, allAtOnce, defaultParallel };
  } finally {
    await run.emu.stop();
    run.sandbox.dispose();
  }
}

/** 9. The rows through the rollout runner: with the user and refresh rows when the size's refresh bound is known. */
function runnerContext(run: SizeRun, refreshBoundMs?: number): Parameters<typeof runnerRows>[0] {
  const { n, opts } = run;
  return {
    n,
    emu: run.emu,
    sandbox: run.sandbox,
    program: run.program,
    applicationId: run.applicationId,
    consentLimit: run.consentLimit,
    usersLimit: run.usersLimit,
    parallel: String(unboundedParallel),
    groupSize: opts.groupSize,
    userCustomers: refreshBoundMs === undefined ? [] : run.customers.slice(0, Math.min(opts.userCustomers, run.customers.length)),
    usersPerCustomer: opts.usersPerCustomer,
    refreshBoundMs,
    observe,
    log,
    quick: opts.quick,
  };
}

/** The consents through the runner at a size not measured otherwise (e.g. 5000), on an emulator of its own. */
async function runnerOnly(n: number, opts: Options): Promise<RunnerRow[]> {
  const run = await startSize(n, opts, opts.latencyMs);
  try {
    return await runnerRows(runnerContext(run));
  } finally {
    await run.emu.stop();
    run.sandbox.dispose();
  }
}

/** N consents in `stacks` stacks side by side (each the bench program with `shard: i/stacks`), on a fresh emulator. */
async function groupedRollout(run: SizeRun, planFile: string, stacks: number, layout: Layout, tag: string): Promise<GroupedRollout> {
  const { n, emu, sandbox, program, consentLimit, boundMs, parallel } = run;
  const customerIds = run.customers.map((c) => c.id);
  const label = `${stacks} stacks side by side${layout.engine ? `, ${layout.engine}` : ""}`;
  log(`N=${n}: consent rollout in ${label}`);
  await emu.admin.reset();
  const rate = rateLimitPerShard(stacks, consentLimit);
  const names = Array.from({ length: stacks }, (_, i) => `bench-group${tag}-${i + 1}`);
  const shardOf = new Map<string, number>();
  const shardSizes: number[] = [];
  for (let i = 0; i < stacks; i++) {
    const shard = selectShard(customerIds, `${i + 1}/${stacks}`);
    shardSizes.push(shard.length);
    for (const id of shard) shardOf.set(id.toLowerCase(), i);
    const stack = await localProgramStack(sandbox, program, names[i], layout.env ?? {});
    await configureForEmulator(stack, emu, {
      planFile: { value: planFile },
      userPassword: { value: "Unused-Passw0rd!", secret: true },
      shard: { value: `${i + 1}/${stacks}` },
      "partnercenter:consentRateLimit": { value: String(rate) },
    });
  }
  const { inState, ...g } = await upSideBySide(emu, sandbox, program, names, parallel, `N=${n}`, { env: layout.env });
  const consents = g.requests.filter((r) => r.group === "consents");
  const firstOfStack = new Array<number>(stacks).fill(Infinity);
  for (const r of consents) {
    const i = shardOf.get(customerOf(r)?.toLowerCase() ?? "");
    if (i !== undefined) firstOfStack[i] = Math.min(firstOfStack[i], startOf(r));
  }
  const seen = firstOfStack.filter(Number.isFinite);
  const firstToLast = startSpanMs(consents);
  return {
    layout: label,
    groupSize: layout.groupSize,
    engine: layout.engine,
    stacks,
    largestShard: Math.max(...shardSizes),
    rateLimitPerStack: rate,
    wallMs: Math.max(...g.result.map((r) => r.wallMs)),
    status: g.result.map((r) => r.status),
    firstToLastMs: firstToLast,
    ratio: firstToLast / boundMs,
    startSkewMs: seen.length ? Math.max(...seen) - Math.min(...seen) : NaN,
    failedResources: n - inState,
    consentRequests: consents.length,
    consent429: countStatus(g.metrics, "consents", "429"),
    earlyRetries: sum(g.metrics.earlyRetries),
    peakObservedPerSecond: peakConsentsPerSecond(g.metrics),
    perSecond: perSecond(consents.map(startOf)),
  };
}

/** 8. The user rollout alone (no consents), in 2, 5, … stacks side by side, each owning whole customers; a fresh emulator each time. */
async function userLayoutsPhase(run: SizeRun): Promise<UserLayout[]> {
  const { n, opts, emu, sandbox, program } = run;
  const userCustomers = run.customers.slice(0, Math.min(opts.userCustomers, run.customers.length));
  const plan = path.join(sandbox.dir, "plan-users-only.json");
  fs.writeFileSync(plan, JSON.stringify({ applicationId: run.applicationId, userCustomers, usersPerCustomer: opts.usersPerCustomer, consents: false }));
  const userCount = userCustomers.length * opts.usersPerCustomer;
  const boundMs = (opts.usersPerCustomer / run.usersLimit) * 1000;
  const out: UserLayout[] = [];
  for (const stacks of opts.userStacks) {
    if (stacks < 2 || stacks > userCustomers.length) continue;
    const label = `${stacks} stacks side by side`;
    log(`N=${n}: user rollout alone (${userCount} users) in ${label}`);
    await emu.admin.reset();
    const names = Array.from({ length: stacks }, (_, i) => `bench-users-${stacks}-${i + 1}`);
    const shardSizes: number[] = [];
    for (let i = 0; i < stacks; i++) {
      shardSizes.push(selectShard(userCustomers, `${i + 1}/${stacks}`, (c) => c.id).length * opts.usersPerCustomer);
      const stack = await localProgramStack(sandbox, program, names[i]);
      await configureForEmulator(stack, emu, {
        planFile: { value: plan },
        userPassword: { value: "Bench-Users-Passw0rd!", secret: true },
        shard: { value: `${i + 1}/${stacks}` },
      });
    }
    const { inState, ...g } = await upSideBySide(emu, sandbox, program, names, run.parallel, `N=${n}`);
    const userReqs = g.requests.filter((r) => r.group === "users");
    const layout: UserLayout = {
      layout: label,
      stacks,
      largestShard: Math.max(...shardSizes),
      wallMs: Math.max(...g.result.map((r) => r.wallMs)),
      status: g.result.map((r) => r.status),
      boundMs,
      firstToLastMs: startSpanMs(userReqs),
      ratio: startSpanMs(userReqs) / boundMs,
      failedResources: userCount - inState,
      userRequests: userReqs.length,
      user429: countStatus(g.metrics, "users", "429"),
      earlyRetries: sum(g.metrics.earlyRetries),
    };
    log(
      `N=${n}: users in ${label}: slowest up ${secs(layout.wallMs)} (${(layout.wallMs / boundMs).toFixed(2)}x the bound), ` +
        `first→last ${secs(layout.firstToLastMs)}, failed ${layout.failedResources}, 429s ${layout.user429}, early retries ${layout.earlyRetries}`,
    );
    out.push(layout);
  }
  return out;
}

/** `pulumi up` of every stack in `names` at once, what the service saw meanwhile, and how many resources their states hold then. */
async function upSideBySide(
  emu: EmulatorHandle,
  sandbox: EngineSandbox,
  program: string,
  names: string[],
  parallel: string[],
  label: string,
  variant: CliVariant = {},
): Promise<{ result: CliRun[]; inState: number } & Observed> {
  const g = await observe(emu, () => Promise.all(names.map((name) => runCli(sandbox, upArgs(name, parallel), program, variant))));
  g.result.forEach((r, i) => r.status !== 0 && log(`${label}: pulumi up (${names[i]}) exited with ${r.status}:\n${failure(r)}`));
  let inState = 0;
  for (const name of names) inState += dynamicResources(JSON.parse(await exportState(sandbox, name, program))).length;
  return { ...g, inState };
}

function dynamicResources(state: any): any[] {
  return (state?.deployment?.resources ?? []).filter((r: any) => typeof r.type === "string" && r.type.startsWith("pulumi-nodejs:dynamic"));
}

/** The client's effective settings for this stack (its defaults, or PARTNERCENTER_* from the environment). */
function clientConfig(emu: EmulatorHandle): ProviderConfig {
  const stack = partnerCenterConfig(emu);
  return loadConfig((key) => stack[`partnercenter:${key}`]?.value);
}

function execText(file: string, args: string[]): Promise<string> {
  return runProcess(file, args).then(
    (r) => (r.status === 0 ? r.stdout.trim() : "unknown"),
    () => "unknown",
  );
}

async function environment(opts: Options): Promise<Environment> {
  // A throwaway emulator to read the limits and latency it applies (what the benchmark runs against).
  const emu = await startEmulator({ seed: generatedSeed(1), latencyMs: opts.latencyMs });
  try {
    const cfg = clientConfig(emu);
    return {
      date: new Date().toISOString(),
      mode: opts.quick ? "quick (--quick)" : "full",
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      cores: os.cpus().length,
      memoryGiB: os.totalmem() / 1024 ** 3,
      os: `${os.type()} ${os.release()} (${os.arch()})`,
      loadAverageAtStart: os.loadavg(),
      node: process.version,
      pulumiCli: await execText(path.join(pulumiBinDir(), "pulumi"), ["version"]),
      pulumiSdk: JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] }), "utf8")).version,
      latency: await emu.admin.call("GET", "/latency"),
      limits: (await emu.admin.call<Record<string, any>>("GET", "/limits")) ?? {},
      client: { consentRateLimit: cfg.consentRateLimit, userRateLimit: cfg.userRateLimit, requestRateLimit: cfg.requestRateLimit, maxRetries: cfg.maxRetries },
      backend: `file://<temporary directory>${backendQuery}`,
      parallel: `--parallel ${unboundedParallel} (the engine's "infinite parallelism") for every measured run but one`,
      defaultParallel: process.env.PULUMI_PARALLEL ? `PULUMI_PARALLEL=${process.env.PULUMI_PARALLEL}` : `4 × cores = ${4 * os.cpus().length} on this machine`,
    };
  } finally {
    await emu.stop();
  }
}

/** results.md, results.json and rps.svg in `out`, from the figures of one run. */
function writeResults(env: Environment, opts: Options, results: SizeResult[]): string {
  const consentLimit: number = env.limits.consents?.requestsPerSecond;
  const panels: Panel[] = results.map((r) => ({
    title: `N = ${r.n} customers: consent requests per second`,
    limit: consentLimit,
    series: [
      { name: "pulumi up (ours), one stack", color: "#1f5fbf", perSecond: r.consent.perSecond },
      ...(r.grouped ? [{ name: `pulumi up (ours), ${r.grouped.stacks} stacks side by side`, color: "#0b8a8a", perSecond: r.grouped.perSecond }] : []),
      { name: "pulumi up, default --parallel", color: "#1f9f5f", perSecond: r.defaultParallel.perSecond },
      { name: "one after another", color: "#777777", perSecond: r.sequential.perSecond },
      { name: "all at once", color: "#e08a00", perSecond: r.allAtOnce.perSecond },
      { name: "all at once: 429s", color: "#b00000", perSecond: r.allAtOnce.perSecond429, dashed: true },
      ...(r.consent.consent429 > 0 ? [{ name: "pulumi up: 429s", color: "#7a1fbf", perSecond: r.consent.perSecond429, dashed: true }] : []),
    ],
  }));
  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, "rps.svg"), renderChart(panels, "CPV consent rollout against the 50 requests/s limit per applicationId"));
  const report = renderReport(env, opts, results);
  fs.writeFileSync(path.join(opts.out, "results.md"), report);
  fs.writeFileSync(
    path.join(opts.out, "results.json"),
    `${JSON.stringify({ date: env.date, mode: env.mode, machine: `${env.cpuModel}, ${env.cores} cores`, node: env.node, pulumiCli: env.pulumiCli, figures: waitFigures(results) }, null, 2)}\n`,
  );
  return report;
}

async function main() {
  const opts = options(process.argv.slice(2));
  if (opts.render) {
    // The figures of an earlier run (its BENCH_RESULTS_JSON file) written again, e.g. after a change to the report's layout.
    const raw = JSON.parse(fs.readFileSync(opts.render, "utf8")) as { env: Environment; opts: Options; results: SizeResult[] };
    writeResults(raw.env, { ...raw.opts, out: opts.out }, raw.results);
    console.log(`wrote ${path.join(opts.out, "results.md")}, results.json and rps.svg from ${opts.render}`);
    return;
  }
  const env = await environment(opts);
  log(`sizes ${opts.sizes.join(", ")}; ${env.cores} cores, ${env.cpuModel}; node ${env.node}, pulumi ${env.pulumiCli}, @pulumi/pulumi ${env.pulumiSdk}`);
  const results: SizeResult[] = [];
  for (const n of opts.sizes) {
    const r = await benchSize(n, opts, opts.latencyMs);
    if (opts.engineVariants.length) {
      log(`N=${n}: engine options, one stack of ${n} consents each (${opts.engineVariants.map((v) => v.name).join(", ")})`);
      // The CLI's CPU profile of the base run at the largest size: where the engine's time goes.
      r.engine = await engineOptions(n, opts.engineVariants, {
        latencyMs: opts.latencyMs,
        profile: n === opts.sizes[opts.sizes.length - 1],
        log,
        // The user rollout alone, in a stack of its own (not added to the N consents): plain, compressed, with fewer creates in flight, and without checkpoints.
        users: {
          customers: Math.min(opts.userCustomers, n),
          perCustomer: opts.usersPerCustomer,
          variants: ["base", "gzip", "parallel-64", "floor", "native", "skip-checkpoints"],
        },
      });
    }
    results.push(r);
  }
  for (const n of opts.runnerSizes.filter((x) => !opts.sizes.includes(x))) {
    const last = results[results.length - 1];
    last.runner = [...(last.runner ?? []), ...(await runnerOnly(n, opts))];
  }
  env.loadAverageAtEnd = os.loadavg();
  // The raw figures, for a later look or `--render` (bench/out/ and temporary directories are not committed).
  if (process.env.BENCH_RESULTS_JSON) fs.writeFileSync(process.env.BENCH_RESULTS_JSON, JSON.stringify({ env, opts, results }, null, 1));
  const report = writeResults(env, opts, results);
  console.log("\n" + report);
  console.log(`wrote ${path.join(opts.out, "results.md")}, results.json and rps.svg`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      const badFlag = String(err?.code).startsWith("ERR_PARSE_ARGS");
      console.error(badFlag ? `${err.message}\n${usage}` : `bench failed: ${(err as Error).stack ?? err}`);
      process.exit(1);
    },
  );
}
