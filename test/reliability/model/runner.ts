/**
 * Runs the model-based test: fast-check generates command sequences (commands.ts), each one runs
 * against a reset emulator and two fresh stacks (world.ts), the invariants are checked after every
 * run (invariants.ts), and each sequence ends with GDAP roles restored and an `up` of both stacks.
 * A failure is shrunk (within a time budget) to a minimal sequence, printed with the one command
 * that replays it.
 */
import fc from "fast-check";
import { startEmulator } from "../../../emulator";
import { createEngineSandbox, EngineSandbox } from "../../support/engine";
import { commandArbitraries, fixedSequences, Mix, runAndCheck } from "./commands";
import { initialModel, Model, stackCount } from "./model";
import { killSandboxProcesses, sandboxProcesses } from "../../support/sandboxProcesses";
import { Totals, Violation, World } from "./world";

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
  /** the native provider plugin instead of the dynamic providers */
  native?: boolean;
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
    opts.native ? " --native" : "",
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
  const world = new World(emulator, sandbox, opts.log, opts.native === true);
  const removeStopHandlers = stopOnSignals(sandbox);
  const failures: Failures = { shrinkDeadline: Infinity };
  // The fixed sequences (defects found before), unless replaying one generated sequence.
  const fixedFailures = !opts.path && !opts.noFixed ? await runFixedSequences(world, opts) : [];
  const property = generatedProperty(world, opts, failures);
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
    removeStopHandlers();
    await world.close();
    await emulator.stop();
    sandbox.dispose();
  }
  const result: ModelResult = {
    totals: world.totals,
    seconds: Math.round((Date.now() - started) / 1000),
    failed: details?.failed === true || fixedFailures.length > 0,
    fixedFailures,
    firstFailureAt: failures.firstAt,
    firstFailure: failures.first,
  };
  if (details?.failed && details.counterexample) Object.assign(result, counterexampleOf(details, opts, failures.last));
  return result;
}

/** Ends the processes of ours still running in the sandbox (we started them): an interrupted run's, a failed sequence's. */
function killOurProcesses(sandbox: EngineSandbox): void {
  killSandboxProcesses(sandboxProcesses(sandbox));
}

/** Stopped from outside (Ctrl-C, a cancelled job): end the runs this test started and remove its sandbox. Returns what removes the handlers. */
function stopOnSignals(sandbox: EngineSandbox): () => void {
  const stop = (signal: NodeJS.Signals) => {
    killOurProcesses(sandbox);
    sandbox.dispose();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return () => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  };
}

/** One sequence: a reset service, fresh stacks, the commands, then GDAP roles back and each stack's `up`. Throws a Violation. */
async function runSequence(world: World, opts: ModelOptions, cmds: Iterable<fc.AsyncCommand<Model, World>>, label: string): Promise<void> {
  // A failed sequence may have left an interrupted run's processes: end them (we started them) before the next.
  killOurProcesses(world.sandbox);
  world.totals.sequences++;
  opts.log(label);
  const commands = traced(world, opts, cmds);
  await world.startSequence();
  let model = initialModel();
  await fc.asyncModelRun(() => ({ model: (model = initialModel()), real: world }), commands);
  await endSequence(world, opts, model);
  if (world.violations.length)
    throw new Violation(
      [...new Set(world.violations.map((v) => v.kind))],
      world.violations.map((v) => `[${v.kind}] ${v.detail}`),
    );
}

/** The commands, each counted and logged before it runs, and named in world.currentCommand for the violations it finds. */
function traced(world: World, opts: ModelOptions, cmds: Iterable<fc.AsyncCommand<Model, World>>): fc.AsyncCommand<Model, World>[] {
  return [...cmds].map((c) => ({
    check: (m: Readonly<Model>) => c.check(m),
    run: async (m: Model, w: World) => {
      world.totals.commands++;
      world.currentCommand = c.toString();
      opts.log(`  ${world.currentCommand}`);
      await c.run(m, w);
    },
    toString: () => c.toString(),
  }));
}

/** The end of every sequence: GDAP roles back in full, then an `up` of each stack, checked: whatever happened, both must converge. */
async function endSequence(world: World, opts: ModelOptions, model: Model): Promise<void> {
  for (const c of [...model.reducedGdap]) await world.admin.call("PATCH", `/customers/${world.customers[c].id}`, { gdapRoles: fullRoles });
  model.reducedGdap.clear();
  for (let s = 0; s < stackCount; s++) {
    world.currentCommand = `(end) ${"AB"[s]}.up()`;
    opts.log(`  ${world.currentCommand}`);
    await runAndCheck(model, world, s, "up");
  }
}

const describe = (err: unknown) => (err instanceof Violation ? err.message : `error: ${(err as Error).stack ?? err}`);

/** Runs the fixed sequences (all, or the one --fixed names); returns each failure with the command that replays it. */
async function runFixedSequences(world: World, opts: ModelOptions): Promise<string[]> {
  const fixedFailures: string[] = [];
  for (const [i, cmds] of fixedSequences().entries()) {
    if (opts.fixed !== undefined && opts.fixed !== i + 1) continue;
    try {
      await runSequence(world, opts, cmds, `fixed sequence ${i + 1}`);
    } catch (err) {
      fixedFailures.push(
        `fixed sequence ${i + 1} (${cmds.map(String).join(", ")}):\n  ${describe(err).split("\n").join("\n  ")}\n  replay: npm run test:reliability -- --model${opts.native ? " --native" : ""} --fixed ${i + 1} --sequences 0`,
      );
      opts.log(`  FAILED: ${describe(err).split("\n").slice(0, 12).join("\n    ")}`);
    }
  }
  return fixedFailures;
}

/** The generated sequences' failures: the first one (and the end of the shrink budget it starts), and the last one, which is the shrunk one's. */
interface Failures {
  firstAt?: number;
  first?: string;
  shrinkDeadline: number;
  last?: string;
}

/** fast-check's property: a generated sequence runs without violation; a failure is noted in `failures` and thrown for fast-check to shrink. */
function generatedProperty(world: World, opts: ModelOptions, failures: Failures) {
  return fc.asyncProperty(
    fc.commands(commandArbitraries(opts.mix), { maxCommands: opts.maxCommands, size: "max", replayPath: opts.replayPath }),
    async (cmds) => {
      if (Date.now() > failures.shrinkDeadline) return; // shrink budget spent: the candidate counts as passing, the last failure stands
      const n = world.totals.sequences + 1;
      try {
        await runSequence(world, opts, cmds, `sequence ${n}${failures.firstAt ? " (shrinking)" : ""}`);
      } catch (err) {
        const message = describe(err);
        opts.log(`  FAILED: ${message.split("\n").slice(0, 12).join("\n    ")}`);
        failures.last = message;
        if (failures.firstAt === undefined) {
          failures.firstAt = n;
          failures.first = message;
          failures.shrinkDeadline = Date.now() + opts.shrinkSeconds * 1000;
        }
        throw err;
      }
    },
  );
}

/** A failed check's shrunk sequence, its violation and the one command that replays it. */
function counterexampleOf(
  details: fc.RunDetails<[Iterable<fc.AsyncCommand<Model, World>>]>,
  opts: ModelOptions,
  lastViolation: string | undefined,
): Pick<ModelResult, "counterexample" | "shrinks" | "violation" | "replay"> {
  const text = fc.stringify(details.counterexample?.[0]);
  const replayPath = /replayPath="([^"]*)"/.exec(text)?.[1];
  return {
    counterexample: text.replace(/\s*\/\*replayPath=.*?\*\//, ""),
    shrinks: details.numShrinks,
    violation: lastViolation ?? String((details.errorInstance as Error)?.stack ?? details.errorInstance),
    replay: replayCommand(opts, details.seed, details.counterexamplePath ?? "", replayPath),
  };
}

export function summaryTable(r: ModelResult): string {
  const t = r.totals;
  return [
    "| sequences | commands | runs | faults | kills | invariant checks | violations | time |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${t.sequences} | ${t.commands} | ${t.runs} | ${t.faults} | ${t.kills} | ${t.invariantChecks} | ${t.violations} | ${r.seconds} s |`,
    "",
    `exercised: ${exercisedLine(t.exercised)}`,
  ].join("\n");
}

/** The kinds of interruption and wrong recovery file a run really exercised, with their counts ("none" when it exercised none). */
export function exercisedLine(exercised: Record<string, number>): string {
  const kinds = Object.keys(exercised).sort();
  return kinds.length ? kinds.map((k) => `${k} ${exercised[k]}`).join(", ") : "none";
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
