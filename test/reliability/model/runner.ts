/**
 * Runs the model-based test: fast-check generates command sequences (commands.ts), each one runs
 * against a reset emulator and two fresh stacks (world.ts), the invariants are checked after every
 * run (invariants.ts), and each sequence ends with GDAP roles restored and an `up` of both stacks.
 * A failure is shrunk (within a time budget) to a minimal sequence, printed with the one command
 * that replays it.
 */
import fc from "fast-check";
import { startEmulator } from "../../../emulator";
import { createEngineSandbox } from "../../support/engine";
import { commandArbitraries, fixedSequences, Mix, runAndCheck } from "./commands";
import { initialModel, Model, stackCount } from "./model";
import { ourProcesses, Totals, Violation, World } from "./world";

export interface ModelOptions {
  sequences: number;
  seed: number;
  /** fast-check's counterexample path and the commands' replayPath: replay one sequence */
  path?: string;
  replayPath?: string;
  maxCommands: number;
  /** how long to keep shrinking after the first failure */
  shrinkSeconds: number;
  mix: Mix;
  /** run only this fixed sequence (1-based) */
  fixed?: number;
  /** skip the fixed sequences */
  noFixed?: boolean;
  log: (line: string) => void;
}

export interface ModelResult {
  totals: Totals;
  seconds: number;
  failed: boolean;
  /** the fixed sequences that failed, each with its replay */
  fixedFailures: string[];
  /** the sequence (1-based, counting the fixed ones) that first failed */
  firstFailureAt?: number;
  firstFailure?: string;
  /** the shrunk failure */
  counterexample?: string;
  violation?: string;
  shrinks?: number;
  replay?: string;
}

const fullRoles = ["User Administrator", "Cloud Application Administrator", "Global Reader"];

/** The one command that replays a sequence: the same arbitraries (mix, size) and fast-check's seed, path and replayPath. */
export function replayCommand(opts: ModelOptions, seed: number, path: string, replayPath?: string): string {
  const mix = [
    opts.mix.faults ? "" : " --no-faults",
    opts.mix.kills ? "" : " --no-kills",
    opts.mix.stacks !== stackCount ? ` --stacks ${opts.mix.stacks}` : "",
    opts.maxCommands !== defaultMaxCommands ? ` --max-commands ${opts.maxCommands}` : "",
  ].join("");
  return `npm run test:reliability -- --model${mix} --seed ${seed} --path "${path}"${replayPath ? ` --replay-path "${replayPath}"` : ""}`;
}

export const defaultMaxCommands = 16;

export async function runModel(opts: ModelOptions): Promise<ModelResult> {
  const started = Date.now();
  const emulator = await startEmulator();
  const sandbox = createEngineSandbox("pcenter-model-");
  const world = new World(emulator, sandbox, opts.log);
  // Stopped from outside (Ctrl-C, a cancelled job): end the runs this test started and remove its sandbox.
  const stop = (signal: NodeJS.Signals) => {
    for (const p of ourProcesses(sandbox)) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    sandbox.dispose();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let firstFailureAt: number | undefined;
  let firstFailure: string | undefined;
  let shrinkDeadline = Infinity;
  let lastViolation: string | undefined;

  /** One sequence: a reset service, fresh stacks, the commands, then GDAP roles back and each stack's `up`. Throws a Violation. */
  const runSequence = async (cmds: Iterable<fc.AsyncCommand<Model, World>>, label: string) => {
    // A failed sequence may have left an interrupted run's processes: end them (we started them) before the next.
    for (const p of ourProcesses(sandbox)) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    world.totals.sequences++;
    opts.log(label);
    const traced = [...cmds].map((c) => ({
      check: (m: Readonly<Model>) => c.check(m),
      run: async (m: Model, w: World) => {
        world.totals.commands++;
        world.currentCommand = c.toString();
        opts.log(`  ${world.currentCommand}`);
        await c.run(m, w);
      },
      toString: () => c.toString(),
    }));
    await world.startSequence();
    let model = initialModel();
    await fc.asyncModelRun(() => ({ model: (model = initialModel()), real: world }), traced);
    for (const c of [...model.reducedGdap]) await world.admin.call("PATCH", `/customers/${world.customers[c].id}`, { gdapRoles: fullRoles });
    model.reducedGdap.clear();
    for (let s = 0; s < stackCount; s++) {
      world.currentCommand = `(end) ${"AB"[s]}.up()`;
      opts.log(`  ${world.currentCommand}`);
      await runAndCheck(model, world, s, "up");
    }
    if (world.violations.length)
      throw new Violation(
        [...new Set(world.violations.map((v) => v.kind))],
        world.violations.map((v) => `[${v.kind}] ${v.detail}`),
      );
  };
  const describe = (err: unknown) => (err instanceof Violation ? err.message : `error: ${(err as Error).stack ?? err}`);

  // The fixed sequences (defects found before), unless replaying one generated sequence.
  const fixedFailures: string[] = [];
  if (!opts.path && !opts.noFixed) {
    for (const [i, cmds] of fixedSequences().entries()) {
      if (opts.fixed !== undefined && opts.fixed !== i + 1) continue;
      try {
        await runSequence(cmds, `fixed sequence ${i + 1}`);
      } catch (err) {
        fixedFailures.push(
          `fixed sequence ${i + 1} (${cmds.map(String).join(", ")}):\n  ${describe(err).split("\n").join("\n  ")}\n  replay: npm run test:reliability -- --model --fixed ${i + 1} --sequences 0`,
        );
        opts.log(`  FAILED: ${describe(err).split("\n").slice(0, 12).join("\n    ")}`);
      }
    }
  }

  const property = fc.asyncProperty(
    fc.commands(commandArbitraries(opts.mix), { maxCommands: opts.maxCommands, size: "max", replayPath: opts.replayPath }),
    async (cmds) => {
      if (Date.now() > shrinkDeadline) return; // shrink budget spent: the candidate counts as passing, the last failure stands
      const n = world.totals.sequences + 1;
      try {
        await runSequence(cmds, `sequence ${n}${firstFailureAt ? " (shrinking)" : ""}`);
      } catch (err) {
        const message = describe(err);
        opts.log(`  FAILED: ${message.split("\n").slice(0, 12).join("\n    ")}`);
        lastViolation = message;
        if (firstFailureAt === undefined) {
          firstFailureAt = n;
          firstFailure = message;
          shrinkDeadline = Date.now() + opts.shrinkSeconds * 1000;
        }
        throw err;
      }
    },
  );

  let details: fc.RunDetails<[Iterable<fc.AsyncCommand<Model, World>>]> | undefined;
  try {
    if (opts.sequences > 0) {
      details = await fc.check(property, {
        numRuns: opts.sequences,
        seed: opts.seed,
        ...(opts.path ? { path: opts.path, endOnFailure: true } : {}),
      });
    }
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await world.close();
    await emulator.stop();
    sandbox.dispose();
  }
  const generatedFailed = details?.failed === true;
  const result: ModelResult = {
    totals: world.totals,
    seconds: Math.round((Date.now() - started) / 1000),
    failed: generatedFailed || fixedFailures.length > 0,
    fixedFailures,
    firstFailureAt,
    firstFailure,
  };
  if (details?.failed && details.counterexample) {
    const text = fc.stringify(details.counterexample[0]);
    const replayPath = /replayPath="([^"]*)"/.exec(text)?.[1];
    result.counterexample = text.replace(/\s*\/\*replayPath=.*?\*\//, "");
    result.shrinks = details.numShrinks;
    result.violation = lastViolation ?? String((details.errorInstance as Error)?.stack ?? details.errorInstance);
    result.replay = replayCommand(opts, details.seed, details.counterexamplePath ?? "", replayPath);
  }
  return result;
}

export function summaryTable(r: ModelResult): string {
  const t = r.totals;
  return [
    "| sequences | commands | runs | faults | kills | invariant checks | violations | time |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${t.sequences} | ${t.commands} | ${t.runs} | ${t.faults} | ${t.kills} | ${t.invariantChecks} | ${t.violations} | ${r.seconds} s |`,
  ].join("\n");
}

export function failureReport(r: ModelResult, seed: number): string {
  if (!r.failed) return "";
  const fixed = r.fixedFailures.map((f) => `FAILED ${f.split("\n").slice(0, 10).join("\n")}`);
  if (r.firstFailureAt === undefined) return fixed.join("\n");
  return [
    ...fixed,
    `generated: first failure in sequence ${r.firstFailureAt} (seed ${seed}, the fixed sequences counted):`,
    `  ${(r.firstFailure ?? "").split("\n").slice(0, 8).join("\n  ")}`,
    `shrunk (${r.shrinks ?? 0} shrink(s)) to: ${r.counterexample}`,
    `  ${(r.violation ?? "").split("\n").slice(0, 8).join("\n  ")}`,
    `replay: ${r.replay}`,
  ].join("\n");
}
