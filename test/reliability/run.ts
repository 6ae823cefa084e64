/**
 * `npm run test:reliability`: faults, interruptions, bad input, auth failures and secrets, against the
 * emulator with the real Pulumi CLI. Prints a summary table and exits non-zero when a duplicate, an
 * orphan, a lost resource or a secret is found, or when any check fails. `--help` prints the usage
 * below ({@link usage}).
 *
 * The model-based part (test/reliability/model): a full run ends with it (200 sequences) and writes
 * its summary table into REPORT.md; `--model` runs it alone, e.g. to replay a failure.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { Prng } from "../../emulator/prng";
import { generatedSeed } from "../../bench/seed";
import { startEmulator } from "../../emulator";
import { copyProgram, createEngineSandbox, repoRoot } from "../support/engine";
import { runAuth } from "./auth";
import { runBadInput } from "./badInput";
import { secretHits } from "./common";
import { stackCount } from "./model/model";
import { defaultMaxCommands, failureReport, ModelOptions, ModelResult, runModel, summaryTable } from "./model/runner";
import { baselineRollout, customersOf, Env, faultRun, KillRecord, killRun, RunRecord } from "./rollouts";
import { runSecrets } from "./secrets";
import { tokenRun } from "./tokens";

const usage = `usage:
  node dist/test/reliability/run.js            full size: 50 customers, 20 fault seeds, 6 kills, then the model (200 sequences)
  node dist/test/reliability/run.js --quick    reduced size for CI (a few minutes)
    --only faults,tokens,interruptions,badinput,auth,secrets,model  --customers N --seeds N --kills N --bad-inputs N --json FILE
  node dist/test/reliability/run.js --model [--sequences N] [--seed N] [--path P --replay-path R]
    --replay "seed:path:replayPath"  --max-commands N  --shrink-seconds N  --no-faults  --no-kills  --stacks 1
    --fixed N (run only the Nth fixed sequence, 1-based)  --no-fixed (skip the fixed sequences)
    --native: the same program through the native provider plugin, pulumi-resource-partnercenter
  each flag as \`--x N\` or \`--x=N\``;

/** Every flag of the suite and of its model-based part, as `--x N` or `--x=N`. */
const flags = {
  quick: { type: "boolean" },
  only: { type: "string" },
  customers: { type: "string" },
  seeds: { type: "string" },
  kills: { type: "string" },
  "bad-inputs": { type: "string" },
  json: { type: "string" },
  model: { type: "boolean" },
  sequences: { type: "string" },
  seed: { type: "string" },
  path: { type: "string" },
  "replay-path": { type: "string" },
  replay: { type: "string" },
  "max-commands": { type: "string" },
  "shrink-seconds": { type: "string" },
  "no-faults": { type: "boolean" },
  "no-kills": { type: "boolean" },
  stacks: { type: "string" },
  fixed: { type: "string" },
  "no-fixed": { type: "boolean" },
  native: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof flags }>>["values"];

interface Options {
  quick: boolean;
  customers: number;
  seeds: number;
  kills: number;
  badInputs: number;
  only?: Set<string>;
  json?: string;
}

const numberOr = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));

function suiteOptions(v: Flags): Options {
  const quick = v.quick === true;
  return {
    quick,
    customers: numberOr(v.customers, quick ? 8 : 50),
    seeds: numberOr(v.seeds, quick ? 2 : 20),
    kills: numberOr(v.kills, quick ? 2 : 6),
    badInputs: numberOr(v["bad-inputs"], 1000),
    only: v.only ? new Set(v.only.split(",")) : undefined,
    json: v.json,
  };
}

/** `--replay "seed:path[:replayPath]"` stands for `--seed --path --replay-path`. */
function modelOptions(v: Flags, log: (line: string) => void): ModelOptions {
  const [replaySeed, replayPath, replayReplayPath] = v.replay?.split(":") ?? [];
  return {
    sequences: numberOr(v.sequences, 200),
    seed: numberOr(replaySeed ?? v.seed, (Date.now() ^ (Math.random() * 0x7fffffff)) | 0),
    path: replayPath ?? v.path,
    replayPath: replayReplayPath || v["replay-path"],
    maxCommands: numberOr(v["max-commands"], defaultMaxCommands),
    shrinkSeconds: numberOr(v["shrink-seconds"], 1200),
    fixed: v.fixed === undefined ? undefined : Number(v.fixed),
    noFixed: v["no-fixed"] === true,
    native: v.native === true,
    mix: { faults: v["no-faults"] !== true, kills: v["no-kills"] !== true, stacks: numberOr(v.stacks, stackCount) },
    log,
  };
}

export interface Check {
  part: string;
  name: string;
  ok: boolean;
  detail?: string;
}

/** The model-based test; its table goes into REPORT.md unless it replays one sequence. */
async function modelPart(v: Flags, argv: string[], log: (line: string) => void): Promise<ModelResult> {
  const opts = modelOptions(v, log);
  log(
    `model-based test${opts.native ? " (native provider)" : ""}: ${opts.sequences} sequence(s) of up to ${opts.maxCommands} commands, seed ${opts.seed}${opts.path ? `, replaying path ${opts.path}` : ""}`,
  );
  const r = await runModel(opts);
  const table = summaryTable(r);
  const failure = failureReport(r, opts.seed);
  process.stdout.write(`\n${table}\n${failure ? `\n${failure}\n` : ""}`);
  if (!opts.path) writeModelReport(r, opts.seed, opts.sequences, argv, table, failure);
  return r;
}

function writeModelReport(r: ModelResult, seed: number, sequences: number, argv: string[], table: string, failure: string): void {
  const file = path.join(repoRoot, "test", "reliability", "REPORT.md");
  const begin = "<!-- model-based test: written by `npm run test:reliability` -->";
  const end = "<!-- end of the model-based test -->";
  const section = [
    begin,
    "## Model-based test (last run)",
    "",
    `${"`"}${["node dist/test/reliability/run.js", ...argv].join(" ")}${"`"} — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, seed ${seed}, ${sequences} sequence(s) asked, ${r.seconds} s (${r.totals.sequences ? Math.round(r.seconds / r.totals.sequences) : 0} s a sequence, shrinking included).`,
    ...(r.failed
      ? [
          "",
          "The first failed generated sequence ends the generation (fast-check then shrinks it), so a run on code with a defect does fewer sequences than asked; the sequence counts include the shrinking's replays.",
        ]
      : []),
    "",
    table,
    "",
    failure ? "```\n" + failure + "\n```" : "No invariant violated.",
    end,
  ].join("\n");
  const text = fs.readFileSync(file, "utf8");
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  fs.writeFileSync(file, i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + end.length) : `${text.trimEnd()}\n\n${section}\n`);
}

interface Totals {
  runs: number;
  faults: number;
  kills: number;
  badInputs: number;
  duplicates: number;
  orphans: number;
  lost: number;
  secretHits: number;
  engineTraceHits: number;
}

/** What the parts of one suite run share: its environment and everything they found. */
interface Suite {
  env: Env;
  opts: Options;
  totals: Totals;
  runs: RunRecord[];
  kills: KillRecord[];
  checks: Check[];
  errorMessages: string[];
  secretsReport?: Awaited<ReturnType<typeof runSecrets>>;
  check: (part: string, name: string, ok: boolean, detail?: string) => void;
}

/** Adds a rollout's comparison to the totals and shows its first findings. */
function count(suite: Suite, r: RunRecord): void {
  suite.totals.duplicates += r.comparison.duplicates.length;
  suite.totals.orphans += r.comparison.orphans.length;
  suite.totals.lost += r.comparison.lost.length;
  for (const x of [...r.comparison.duplicates, ...r.comparison.orphans, ...r.comparison.lost].slice(0, 10)) suite.env.log(`   ! ${x}`);
}

const logNotes = (suite: Suite, notes: string[]) => notes.forEach((n) => suite.env.log(`   ${n.split("\n").join("\n   ")}`));
const findings = (c: RunRecord["comparison"]) => `dup ${c.duplicates.length} orphan ${c.orphans.length} lost ${c.lost.length}`;

async function faultsPart(suite: Suite): Promise<void> {
  for (let s = 1; s <= suite.opts.seeds; s++) {
    const r = await faultRun(suite.env, 1000 + s, suite.opts.customers);
    suite.runs.push(r);
    suite.totals.runs += r.ups;
    suite.totals.faults += r.faults + r.throttled;
    count(suite, r);
    suite.env.log(
      `faults seed ${1000 + s}: ${r.converged ? "converged" : "NOT converged"} after ${r.ups} up(s); ${r.faults} faults injected, ${r.throttled} throttled; ` +
        `state ${r.comparison.stateUsers} users/${r.comparison.stateConsents} consents; ${findings(r.comparison)}`,
    );
    logNotes(suite, r.notes);
    suite.check("faults", `seed ${1000 + s} converges within two ups`, r.converged, r.notes.join(" | "));
  }
}

async function tokensPart(suite: Suite): Promise<void> {
  const r = await tokenRun(suite.env, suite.opts.customers);
  suite.runs.push(r);
  suite.totals.runs += r.ups;
  suite.totals.faults += r.faults + r.throttled;
  count(suite, r);
  suite.env.log(
    `token faults, tokens living shorter than the rollout: ${r.converged ? "converged" : "NOT converged"} in one up; ${r.faults} faults injected, ` +
      `${r.throttled} token requests throttled, ${r.tokenRequests} token requests, ${r.expiredAnswers} 401s; ` +
      `state ${r.comparison.stateUsers} users/${r.comparison.stateConsents} consents; ${findings(r.comparison)}`,
  );
  logNotes(suite, r.notes);
  suite.check("tokens", "a rollout through token faults, with tokens shorter-lived than the rollout, converges in one up", r.converged, r.notes.join(" | "));
  suite.check("tokens", "no request went out with an expired token (no 401)", r.expiredAnswers === 0, `${r.expiredAnswers} answers 401`);
}

async function interruptionsPart(suite: Suite): Promise<void> {
  const rolloutMs = await baselineRollout(suite.env, suite.opts.customers);
  suite.env.log(`undisturbed rollout of ${suite.opts.customers} customers: ${rolloutMs} ms`);
  const rng = new Prng(7);
  for (let k = 0; k < suite.opts.kills; k++) {
    const signal = k % 2 === 0 ? "SIGKILL" : "SIGINT";
    const r = await killRun(suite.env, k, signal, suite.opts.customers, rolloutMs, rng);
    suite.kills.push(r);
    suite.totals.kills++;
    suite.totals.runs += r.ups + 1;
    count(suite, r);
    suite.env.log(
      `kill ${k} ${signal} at ${r.afterMs} ms: ${r.pendingBefore} pending op(s); recovery ${r.recoverySteps.join(", ")}; ${findings(r.comparison)}`,
    );
    logNotes(suite, r.notes);
    suite.check("interruptions", `kill ${k} (${signal}) converges after recovery`, r.converged, r.notes.join(" | "));
    suite.check("interruptions", `kill ${k} (${signal}) recovers in at most two ups (took ${r.ups})`, r.ups <= 2);
    suite.check("interruptions", `kill ${k} (${signal}) leaves no process of the killed run behind`, r.leftoverProcesses === 0, r.notes.join(" | "));
  }
}

async function badInputPart(suite: Suite): Promise<void> {
  const b = await runBadInput(suite.env, suite.opts.badInputs, suite.check, suite.errorMessages);
  suite.totals.badInputs += b.tried;
  suite.totals.runs += b.cliRuns;
  for (const [target, n] of Object.entries(b.perTarget)) suite.env.log(`bad input ${target}: ${n} tried`);
}

async function authPart(suite: Suite): Promise<void> {
  const a = await runAuth(suite.env, suite.check, suite.errorMessages);
  suite.totals.runs += a.cliRuns;
  for (const line of a.lines) suite.env.log(`auth ${line}`);
}

async function secretsPart(suite: Suite): Promise<void> {
  suite.secretsReport = await runSecrets(suite.env, suite.check, suite.errorMessages);
  suite.totals.runs += suite.secretsReport.cliRuns;
}

/** The suite's parts in the order they run; `--only` picks among them. */
const parts: [string, (suite: Suite) => Promise<void>][] = [
  ["faults", faultsPart],
  ["tokens", tokensPart],
  ["interruptions", interruptionsPart],
  ["badinput", badInputPart],
  ["auth", authPart],
  ["secrets", secretsPart],
];

/**
 * The secrets scan covers everything the suite saw: every CLI transcript and state export, the
 * verbose and debug logs, and every error message the in-process parts collected.
 */
function scanSecrets(suite: Suite, credentials: { clientSecret: string; refreshToken: string }): void {
  const { env, totals } = suite;
  const secrets: Record<string, string> = {
    clientSecret: credentials.clientSecret,
    refreshToken: credentials.refreshToken,
    ...Object.fromEntries([...new Set(env.passwords)].map((p, i) => [`password#${i}`, p])),
  };
  const corpus = [...env.transcripts, ...suite.errorMessages];
  // Lines of the engine's own glog trace (`-v=9 --logtostderr`: JSON lines ending in "v":N}) are
  // counted apart: the engine logs every RPC's properties there, decrypted secrets included, and no
  // provider can change that (see REPORT.md). Every other text must have no hit at all.
  const engineTraceLine = /^\{"time":.*"v":\d+\}$/;
  const engineHitsBySecret: Record<string, number> = {};
  for (const text of corpus) {
    if (!Object.values(secrets).some((v) => v && text.includes(v))) continue;
    const trace: string[] = [];
    const other: string[] = [];
    for (const line of text.split("\n")) (engineTraceLine.test(line.trim()) ? trace : other).push(line);
    for (const h of secretHits(trace.join("\n"), secrets)) {
      const name = h.name.replace(/#\d+$/, "");
      totals.engineTraceHits += h.count;
      engineHitsBySecret[name] = (engineHitsBySecret[name] ?? 0) + h.count;
    }
    for (const h of secretHits(other.join("\n"), secrets)) {
      totals.secretHits += h.count;
      env.log(`   ! secret ${h.name} x${h.count}: ...${h.where}...`);
    }
  }
  if (totals.engineTraceHits) env.log(`secrets in the engine's own -v=9 RPC trace (not counted as secret hits): ${JSON.stringify(engineHitsBySecret)}`);
  env.log(
    `secrets: scanned ${corpus.length} texts (${(corpus.reduce((a, t) => a + t.length, 0) / 1e6).toFixed(1)} MB) for ${Object.keys(secrets).length} secret values`,
  );
}

/** The summary table, the interruptions' figures and every failed check; the JSON file when asked. */
function report(suite: Suite, seconds: number): void {
  const { totals, checks, kills, opts } = suite;
  const failed = checks.filter((c) => !c.ok);
  const table = [
    "| runs | faults injected | kills | bad inputs tried | duplicates | orphans | lost resources | secret hits |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${totals.runs} | ${totals.faults} | ${totals.kills} | ${totals.badInputs} | ${totals.duplicates} | ${totals.orphans} | ${totals.lost} | ${totals.secretHits} |`,
  ].join("\n");
  process.stdout.write(
    `\n${table}\n\nengine -v=9 trace: ${totals.engineTraceHits} occurrence(s) of secrets in Pulumi's own RPC log lines (reported apart, see REPORT.md)\n` +
      `checks: ${checks.length - failed.length}/${checks.length} passed; ${seconds.toFixed(0)} s\n`,
  );
  if (kills.length) {
    const rounds = kills.map((k) => k.ups);
    const adopt = kills.filter((k) => k.adoptNeeded.length);
    process.stdout.write(
      `interruptions: ${kills.length} kills; recovery ups per kill: ${rounds.join(", ")} (at most ${Math.max(...rounds)}); ` +
        `${adopt.length} kill(s) left users the recovery named for adopt: true; ${kills.reduce((a, k) => a + k.leftoverProcesses, 0)} process(es) left running\n`,
    );
  }
  for (const c of failed) process.stdout.write(`FAILED [${c.part}] ${c.name}${c.detail ? `: ${c.detail.slice(0, 600)}` : ""}\n`);
  if (opts.json) {
    const json = { options: { ...opts, only: opts.only ? [...opts.only] : undefined }, totals, runs: suite.runs, kills, checks, secrets: suite.secretsReport };
    fs.writeFileSync(opts.json, JSON.stringify(json, null, 2));
  }
}

/** The suite: one emulator and one engine sandbox for every part, then the secrets scan and the report. Returns whether anything was found. */
async function runSuite(opts: Options, log: (line: string) => void, started: number): Promise<boolean> {
  const emulator = await startEmulator({ seed: generatedSeed(opts.customers) });
  const sandbox = createEngineSandbox("pcenter-reliability-");
  const program = copyProgram(sandbox, path.join(repoRoot, "test", "reliability", "program"));
  const env: Env = {
    sandbox,
    emu: emulator,
    admin: emulator.admin,
    program,
    workDir: sandbox.dir,
    customers: customersOf(await emulator.admin.inventory()),
    transcripts: [],
    passwords: [],
    log,
  };
  const checks: Check[] = [];
  const suite: Suite = {
    env,
    opts,
    totals: { runs: 0, faults: 0, kills: 0, badInputs: 0, duplicates: 0, orphans: 0, lost: 0, secretHits: 0, engineTraceHits: 0 },
    runs: [],
    kills: [],
    checks,
    errorMessages: [],
    check: (part, name, ok, detail) => {
      checks.push({ part, name, ok, detail });
      if (!ok) log(`CHECK FAILED [${part}] ${name}${detail ? `: ${detail}` : ""}`);
    },
  };
  log(
    `reliability suite (${opts.quick ? "quick" : "full"}): ${opts.customers} customers, ${opts.seeds} fault seeds, ${opts.kills} kills, ${opts.badInputs} bad inputs per target`,
  );
  try {
    for (const [name, part] of parts) if (!opts.only || opts.only.has(name)) await part(suite);
    scanSecrets(suite, emulator.credentials);
  } finally {
    await emulator.stop();
    sandbox.dispose();
  }
  report(suite, (Date.now() - started) / 1000);
  const t = suite.totals;
  return t.duplicates + t.orphans + t.lost + t.secretHits > 0 || checks.some((c) => !c.ok);
}

async function main() {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({ args: argv, options: flags, strict: true });
  if (values.help) {
    console.log(usage);
    return;
  }
  const started = Date.now();
  const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
  if (values.model) {
    process.exitCode = (await modelPart(values, argv, log)).failed ? 1 : 0;
    return;
  }
  const opts = suiteOptions(values);
  const found = await runSuite(opts, log, started);
  const modelFailed = !opts.quick && (!opts.only || opts.only.has("model")) && (await modelPart(values, argv, log)).failed;
  process.exitCode = found || modelFailed ? 1 : 0;
}

main().catch((err) => {
  // A flag parseArgs does not know, or one without its value: the message says which.
  console.error(String(err?.code).startsWith("ERR_PARSE_ARGS") ? `${err.message}\n${usage}` : err);
  process.exitCode = 2;
});
