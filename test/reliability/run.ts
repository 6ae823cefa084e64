/**
 * `npm run test:reliability`: faults, interruptions, bad input, auth failures and secrets, against the
 * emulator with the real Pulumi CLI. Prints a summary table and exits non-zero when a duplicate, an
 * orphan, a lost resource or a secret is found, or when any check fails.
 *
 *   node dist/test/reliability/run.js            full size: 50 customers, 20 fault seeds, 6 kills
 *   node dist/test/reliability/run.js --quick    reduced size for CI (a few minutes)
 *   options: --only=faults,tokens,interruptions,badinput,auth,secrets,model  --customers=N --seeds=N --kills=N --json=FILE
 *
 * The model-based part (test/reliability/model): a full run ends with it (200 sequences) and writes
 * its summary table into REPORT.md; `--model` runs it alone, e.g. to replay a failure:
 *   node dist/test/reliability/run.js --model [--sequences N] [--seed N] [--path P --replay-path R]
 *   (also: --replay "seed:path:replayPath", --max-commands N, --shrink-seconds N, --no-faults, --no-kills, --stacks 1)
 */
import * as fs from "fs";
import * as path from "path";
import { Prng } from "../../emulator/prng";
import { generatedSeed } from "../../bench/seed";
import { startEmulator } from "../../emulator";
import { copyProgram, createEngineSandbox, repoRoot } from "../support/engine";
import { runAuth } from "./auth";
import { runBadInput } from "./badInput";
import { secretHits } from "./common";
import { failureReport, modelOptionsFromArgv, ModelResult, runModel, summaryTable } from "./model/runner";
import { baselineRollout, customersOf, Env, faultRun, KillRecord, killRun, RunRecord } from "./rollouts";
import { runSecrets } from "./secrets";
import { tokenRun } from "./tokens";

interface Options {
  quick: boolean;
  customers: number;
  seeds: number;
  kills: number;
  badInputs: number;
  only?: Set<string>;
  json?: string;
}

function options(argv: string[]): Options {
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const quick = argv.includes("--quick");
  return {
    quick,
    customers: Number(flag("customers") ?? (quick ? 8 : 50)),
    seeds: Number(flag("seeds") ?? (quick ? 2 : 20)),
    kills: Number(flag("kills") ?? (quick ? 2 : 6)),
    badInputs: Number(flag("bad-inputs") ?? 1000),
    only: flag("only") ? new Set(flag("only")!.split(",")) : undefined,
    json: flag("json"),
  };
}

export interface Check {
  part: string;
  name: string;
  ok: boolean;
  detail?: string;
}

/** The model-based test; its table goes into REPORT.md unless it replays one sequence. */
async function modelPart(argv: string[], log: (line: string) => void): Promise<ModelResult> {
  const opts = modelOptionsFromArgv(argv, { sequences: 200 }, log);
  log(`model-based test: ${opts.sequences} sequence(s) of up to ${opts.maxCommands} commands, seed ${opts.seed}${opts.path ? `, replaying path ${opts.path}` : ""}`);
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
    ...(r.failed ? ["", "The first failed generated sequence ends the generation (fast-check then shrinks it), so a run on code with a defect does fewer sequences than asked; the sequence counts include the shrinking's replays."] : []),
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

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes("--model")) {
    const started = Date.now();
    const r = await modelPart(argv, (line) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`));
    process.exitCode = r.failed ? 1 : 0;
    return;
  }
  const opts = options(argv);
  const wants = (part: string) => !opts.only || opts.only.has(part);
  const started = Date.now();
  const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
  const checks: Check[] = [];
  const check = (part: string, name: string, ok: boolean, detail?: string) => {
    checks.push({ part, name, ok, detail });
    if (!ok) log(`CHECK FAILED [${part}] ${name}${detail ? `: ${detail}` : ""}`);
  };

  const seed = generatedSeed(opts.customers);
  const emulator = await startEmulator({ seed });
  const admin = emulator.admin;
  const sandbox = createEngineSandbox("pcenter-reliability-");
  const program = copyProgram(sandbox, path.join(repoRoot, "test", "reliability", "program"));
  const env: Env = {
    sandbox,
    emu: emulator,
    admin,
    program,
    workDir: sandbox.dir,
    customers: customersOf(await admin.inventory()),
    transcripts: [],
    passwords: [],
    log,
  };
  const totals = { runs: 0, faults: 0, kills: 0, badInputs: 0, duplicates: 0, orphans: 0, lost: 0, secretHits: 0, engineTraceHits: 0 };
  const runs: RunRecord[] = [];
  const kills: KillRecord[] = [];
  const errorMessages: string[] = [];
  let secretsReport: Awaited<ReturnType<typeof runSecrets>> | undefined;
  const count = (r: RunRecord) => {
    totals.duplicates += r.comparison.duplicates.length;
    totals.orphans += r.comparison.orphans.length;
    totals.lost += r.comparison.lost.length;
    for (const x of [...r.comparison.duplicates, ...r.comparison.orphans, ...r.comparison.lost].slice(0, 10)) log(`   ! ${x}`);
  };
  log(`reliability suite (${opts.quick ? "quick" : "full"}): ${opts.customers} customers, ${opts.seeds} fault seeds, ${opts.kills} kills, ${opts.badInputs} bad inputs per target`);

  try {
    if (wants("faults")) {
      for (let s = 1; s <= opts.seeds; s++) {
        const r = await faultRun(env, 1000 + s, opts.customers);
        runs.push(r);
        totals.runs += r.ups;
        totals.faults += r.faults + r.throttled + 0;
        count(r);
        log(`faults seed ${1000 + s}: ${r.converged ? "converged" : "NOT converged"} after ${r.ups} up(s); ${r.faults} faults injected, ${r.throttled} throttled; state ${r.comparison.stateUsers} users/${r.comparison.stateConsents} consents; dup ${r.comparison.duplicates.length} orphan ${r.comparison.orphans.length} lost ${r.comparison.lost.length}`);
        for (const n of r.notes) log(`   ${n.split("\n").join("\n   ")}`);
        check("faults", `seed ${1000 + s} converges within two ups`, r.converged, r.notes.join(" | "));
      }
    }

    if (wants("tokens")) {
      const r = await tokenRun(env, opts.customers);
      runs.push(r);
      totals.runs += r.ups;
      totals.faults += r.faults + r.throttled;
      count(r);
      log(`token faults, tokens living shorter than the rollout: ${r.converged ? "converged" : "NOT converged"} in one up; ${r.faults} faults injected, ${r.throttled} token requests throttled, ${r.tokenRequests} token requests, ${r.expiredAnswers} 401s; state ${r.comparison.stateUsers} users/${r.comparison.stateConsents} consents; dup ${r.comparison.duplicates.length} orphan ${r.comparison.orphans.length} lost ${r.comparison.lost.length}`);
      for (const n of r.notes) log(`   ${n.split("\n").join("\n   ")}`);
      check("tokens", "a rollout through token faults, with tokens shorter-lived than the rollout, converges in one up", r.converged, r.notes.join(" | "));
      check("tokens", "no request went out with an expired token (no 401)", r.expiredAnswers === 0, `${r.expiredAnswers} answers 401`);
    }

    if (wants("interruptions")) {
      const rolloutMs = await baselineRollout(env, opts.customers);
      log(`undisturbed rollout of ${opts.customers} customers: ${rolloutMs} ms`);
      const rng = new Prng(7);
      for (let k = 0; k < opts.kills; k++) {
        const signal = k % 2 === 0 ? "SIGKILL" : "SIGINT";
        const r = await killRun(env, k, signal, opts.customers, rolloutMs, rng);
        kills.push(r);
        totals.kills++;
        totals.runs += r.ups + 1;
        count(r);
        log(`kill ${k} ${signal} at ${r.afterMs} ms: ${r.pendingBefore} pending op(s); recovery ${r.recoverySteps.join(", ")}; dup ${r.comparison.duplicates.length} orphan ${r.comparison.orphans.length} lost ${r.comparison.lost.length}`);
        for (const n of r.notes) log(`   ${n.split("\n").join("\n   ")}`);
        check("interruptions", `kill ${k} (${signal}) converges after recovery`, r.converged, r.notes.join(" | "));
        check("interruptions", `kill ${k} (${signal}) recovers in at most two ups (took ${r.ups})`, r.ups <= 2);
        check("interruptions", `kill ${k} (${signal}) leaves no process of the killed run behind`, r.leftoverProcesses === 0, r.notes.join(" | "));
      }
    }

    if (wants("badinput")) {
      const b = await runBadInput(env, opts.badInputs, check, errorMessages);
      totals.badInputs += b.tried;
      totals.runs += b.cliRuns;
      for (const [target, n] of Object.entries(b.perTarget)) log(`bad input ${target}: ${n} tried`);
    }

    if (wants("auth")) {
      const a = await runAuth(env, check, errorMessages);
      totals.runs += a.cliRuns;
      for (const line of a.lines) log(`auth ${line}`);
    }

    if (wants("secrets")) {
      secretsReport = await runSecrets(env, check, errorMessages);
      totals.runs += secretsReport.cliRuns;
    }

    // The secrets scan covers everything the suite saw: every CLI transcript and state export, the
    // verbose and debug logs, and every error message the in-process parts collected.
    const secrets: Record<string, string> = {
      clientSecret: emulator.credentials.clientSecret,
      refreshToken: emulator.credentials.refreshToken,
      ...Object.fromEntries([...new Set(env.passwords)].map((p, i) => [`password#${i}`, p])),
    };
    const corpus = [...env.transcripts, ...errorMessages];
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
        totals.engineTraceHits += h.count;
        engineHitsBySecret[h.name.replace(/#\d+$/, "")] = (engineHitsBySecret[h.name.replace(/#\d+$/, "")] ?? 0) + h.count;
      }
      for (const h of secretHits(other.join("\n"), secrets)) {
        totals.secretHits += h.count;
        log(`   ! secret ${h.name} x${h.count}: ...${h.where}...`);
      }
    }
    if (totals.engineTraceHits) log(`secrets in the engine's own -v=9 RPC trace (not counted as secret hits): ${JSON.stringify(engineHitsBySecret)}`);
    log(`secrets: scanned ${corpus.length} texts (${(corpus.reduce((a, t) => a + t.length, 0) / 1e6).toFixed(1)} MB) for ${Object.keys(secrets).length} secret values`);
  } finally {
    await emulator.stop();
    sandbox.dispose();
  }

  const failed = checks.filter((c) => !c.ok);
  const table = [
    "| runs | faults injected | kills | bad inputs tried | duplicates | orphans | lost resources | secret hits |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${totals.runs} | ${totals.faults} | ${totals.kills} | ${totals.badInputs} | ${totals.duplicates} | ${totals.orphans} | ${totals.lost} | ${totals.secretHits} |`,
  ].join("\n");
  process.stdout.write(`\n${table}\n\nengine -v=9 trace: ${totals.engineTraceHits} occurrence(s) of secrets in Pulumi's own RPC log lines (reported apart, see REPORT.md)\nchecks: ${checks.length - failed.length}/${checks.length} passed; ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
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
    fs.writeFileSync(opts.json, JSON.stringify({ options: { ...opts, only: opts.only ? [...opts.only] : undefined }, totals, runs, kills, checks, secrets: secretsReport }, null, 2));
  }
  let modelFailed = false;
  if (!opts.quick && wants("model")) modelFailed = (await modelPart(argv, log)).failed;
  const bad = totals.duplicates + totals.orphans + totals.lost + totals.secretHits > 0 || failed.length > 0 || modelFailed;
  process.exitCode = bad ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
