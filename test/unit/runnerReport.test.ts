/**
 * results.md's runner rows (bench/runnerReport.ts): each row is judged against its own layout's
 * engine floor (the same runner and shards, with or without the fast mode) when the run measured it,
 * the floor's rows are no attempt at a target, and a one-stack floor is used only where no runner
 * floor exists. A full bench alone runs the floor variants, so CI's quick bench never renders them.
 */
import { runnerSection, runnerTargetRows } from "../../bench/runnerReport";
import type { RunnerRow } from "../../bench/runner";
import type { SizeResult } from "../../bench/run";

const row = (o: Partial<RunnerRow> & Pick<RunnerRow, "workload" | "wallMs">): RunnerRow => ({
  n: 1000,
  command: "up --shards 2",
  variant: "",
  shards: 2,
  exitCode: 0,
  summaryWallMs: o.wallMs,
  result: "succeeded",
  shardRuns: [],
  boundMs: 20_000,
  spanMs: 20_000,
  resources: 1000,
  failedResources: 0,
  requests: 1000,
  throttled429: 0,
  earlyRetries: 0,
  ...o,
});

const plain = row({ workload: "consents", wallMs: 56_000 });
const fast = row({ workload: "consents", wallMs: 25_000, variant: "fast mode", skipCheckpoints: true });
const plainFloor = row({ workload: "consents", wallMs: 50_000, variant: "engine floor", floor: true });
const fastFloor = row({ workload: "consents", wallMs: 27_000, spanMs: 23_000, variant: "fast mode, engine floor", floor: true, skipCheckpoints: true });
const at5000 = row({ workload: "consents", n: 5000, shards: 10, boundMs: 100_000, wallMs: 300_000 });

/** A size result with the one-stack engine floor of the consents at 73 s, and these runner rows. */
const results = (runner: RunnerRow[]): SizeResult[] => [
  {
    n: 1000,
    runner,
    engine: [{ name: "floor", workload: "consents", status: 0, failed: 0, wallMs: 73_000 }],
    refresh: { alternatives: [] },
  } as unknown as SizeResult,
];

describe("the runner's rows in results.md", () => {
  it("judges each row against the floor of its own layout and mode, and leaves the floor's rows out of the targets", () => {
    const targets = runnerTargetRows(results([plain, fast, plainFloor, fastFloor, at5000]));
    expect(targets).toHaveLength(3);
    const [p, f, big] = targets;
    expect(p[1]).toContain("engine floor (through the runner, 2 shards) 50.00 s, 2.50×");
    expect(p[2]).toBe("**missed: bound by the engine (its floor through the runner, on the same shards, alone is above the target)**");
    expect(f[0]).toContain("fast mode");
    expect(f[1]).toContain("engine floor (through the runner, 2 shards, fast mode) 27.00 s, 1.35×, of it 4.00 s outside the calls the engine made on it");
    expect(f[2]).toBe("**met**");
    // No runner floor at 5000, and no one-stack floor measured at that N either.
    expect(big[1]).toContain("no engine floor measured at this N");
    expect(big[2]).toBe("**missed**");
  });

  it("says when the floor's start-up and end alone, with the service's bound on top, are above the target", () => {
    // The floor's creates are instant (2 s of 12 s): 10 s outside them, and the bound of 20 s on top is above 26 s.
    const quickFloor = row({ ...fastFloor, wallMs: 12_000, spanMs: 2_000 });
    const slow = row({ ...fast, wallMs: 33_000 });
    const [, f] = runnerTargetRows(results([plain, slow, plainFloor, quickFloor]));
    expect(f[1]).toContain("12.00 s, 0.60×, of it 10.00 s outside the calls the engine made on it");
    expect(f[2]).toBe(
      "**missed: bound by the engine's start-up and end: its floor's time outside its creates (10.00 s) plus the service's bound (20.00 s) is 30.00 s, above the target's 26.00 s**",
    );
    // A floor that leaves room under the target: a plain miss, ours.
    const roomy = row({ ...fastFloor, wallMs: 8_000, spanMs: 4_000 });
    expect(runnerTargetRows(results([slow, roomy]))[0][2]).toBe("**missed**");
  });

  it("falls back to the one-stack floor when the run measured no floor through the runner", () => {
    const [p] = runnerTargetRows(results([plain]));
    expect(p[1]).toContain("engine floor (one stack) 73.00 s, 3.65×");
    expect(p[2]).toBe("**missed: bound by the engine (its floor in one stack alone is above the target)**");
  });

  it("takes no failed floor run as a floor", () => {
    const [p] = runnerTargetRows(results([plain, { ...plainFloor, result: "failed" }]));
    expect(p[1]).toContain("engine floor (one stack)");
  });

  it("shows the floor's rows in the section, marked as the floor, not judged", () => {
    const section = runnerSection({ results: results([plain, plainFloor]) }).join("\n");
    const lines = section.split("\n").filter((l) => l.startsWith("| 1000 |"));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("≤ 1.3×: **missed: bound by the engine (its floor through the runner");
    expect(lines[0]).toContain("50.00 s, 2.50× (through the runner, 2 shards)");
    expect(lines[1]).toContain("the floor of the rows above");
    expect(lines[1]).not.toContain("≤ 1.3×");
  });
});
