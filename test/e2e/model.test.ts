/**
 * The model-based reliability test (test/reliability/model) in CI's size: the fixed sequences (defects
 * found before) and a few generated sequences from a fixed seed, with the real Pulumi CLI against the emulator. A failure prints the violated
 * invariant, the shrunk command sequence and the one command that replays it.
 *
 *   MODEL_SEQUENCES=N MODEL_SEED=N MODEL_SHRINK_SECONDS=N to change the size; `npm run test:reliability -- --model` for a full run.
 */
import { defaultMaxCommands, failureReport, runModel, summaryTable } from "../reliability/model/runner";
import { stackCount } from "../reliability/model/model";

const sequences = Number(process.env.MODEL_SEQUENCES ?? 8);
const seed = Number(process.env.MODEL_SEED ?? 14014);
const shrinkSeconds = Number(process.env.MODEL_SHRINK_SECONDS ?? 240);

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
    },
    20 * 60_000,
  );
});
