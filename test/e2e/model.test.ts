/**
 * The model-based reliability test (test/reliability/model) in CI's size: the fixed sequences (defects
 * found before) and a few generated sequences from a fixed seed, with the real Pulumi CLI against the emulator. A failure prints the violated
 * invariant, the shrunk command sequence and the one command that replays it.
 *
 *   MODEL_SEQUENCES=N MODEL_SEED=N MODEL_SHRINK_SECONDS=N to change the size; `npm run test:reliability -- --model` for a full run.
 *
 * The seed is chosen so that CI's generated sequences exercise the events of issue 27 (a crash of
 * the provider process alone, another stack's recovery file, a stale one) at least once each: the
 * earlier seed 14014 drew none of them. A change to the arbitraries reshuffles what a seed draws;
 * the check below then fails and names what is missing, and another seed must be chosen. A stale
 * recovery file is also refused in fixed sequence 6 on every seed: the seed's own stale file fell on
 * a stack no update had run on yet (not stale; refused before only because it named no stack).
 */
import { defaultMaxCommands, exercisedLine, failureReport, runModel, summaryTable } from "../reliability/model/runner";
import { stackCount } from "../reliability/model/model";

const ciSequences = 8;
const ciSeed = 19241;
const sequences = Number(process.env.MODEL_SEQUENCES ?? ciSequences);
const seed = Number(process.env.MODEL_SEED ?? ciSeed);
/** What CI's run must really exercise (world.ts counts a kill that landed and a wrong file that was refused). */
const mustExercise = ["kill provider", "foreign recovery file refused", "stale recovery file refused"];
/** What the fixed sequences must really do whatever the seed: in fixed sequence 5 the second stack takes over a consent and a relationship with adopt: true. */
const fixedMustExercise = ["adopted consent", "adopted relationship"];
const shrinkSeconds = Number(process.env.MODEL_SHRINK_SECONDS ?? 240);
/**
 * The native path (issue 26): the same program through the native provider plugin
 * (pulumi-resource-partnercenter), generated sequences only, short. Seed 4071's two sequences of at
 * most 8 commands draw a kill of the CLI, a kill of the plugin's process alone and a stale recovery
 * file, all three landed (checked below; chosen by running seeds).
 */
const nativeSeed = 4071;
const nativeSequences = 2;
const nativeMaxCommands = 8;
const nativeMustExercise = ["kill provider", "kill cli", "stale recovery file refused"];

describe("model-based reliability test", () => {
  it(
    `keeps every invariant over the fixed sequences and ${sequences} generated sequences of edits, out-of-band changes, faults, kills and runs (seed ${seed})`,
    async () => {
      const lines: string[] = [];
      const r = await runModel({
        sequences,
        seed,
        maxCommands: defaultMaxCommands,
        shrinkSeconds,
        mix: { faults: true, kills: true, stacks: stackCount },
        log: (line) => lines.push(line),
      });
      const report = `${summaryTable(r)}\n${failureReport(r, seed)}`;
      if (r.failed) console.log(`${lines.slice(-60).join("\n")}\n\n${report}`);
      expect(r.failed ? report : "").toBe("");
      expect(r.totals.sequences).toBeGreaterThanOrEqual(sequences);
      console.log(`model test, seed ${seed}: exercised ${exercisedLine(r.totals.exercised)}`);
      expect(fixedMustExercise.filter((k) => !r.totals.exercised[k])).toEqual([]);
      if (seed === ciSeed && sequences === ciSequences) expect(mustExercise.filter((k) => !r.totals.exercised[k])).toEqual([]);
    },
    20 * 60_000,
  );

  it(
    `keeps every invariant on the native provider over ${nativeSequences} generated sequences (seed ${nativeSeed})`,
    async () => {
      const lines: string[] = [];
      const r = await runModel({
        sequences: nativeSequences,
        seed: nativeSeed,
        maxCommands: nativeMaxCommands,
        shrinkSeconds,
        noFixed: true,
        native: true,
        mix: { faults: true, kills: true, stacks: stackCount },
        log: (line) => lines.push(line),
      });
      const report = `${summaryTable(r)}\n${failureReport(r, nativeSeed)}`;
      if (r.failed) console.log(`${lines.slice(-60).join("\n")}\n\n${report}`);
      expect(r.failed ? report : "").toBe("");
      console.log(`model test (native), seed ${nativeSeed}: exercised ${exercisedLine(r.totals.exercised)}`);
      expect(nativeMustExercise.filter((k) => !r.totals.exercised[k])).toEqual([]);
    },
    20 * 60_000,
  );
});
