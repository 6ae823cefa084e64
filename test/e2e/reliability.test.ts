/**
 * The reliability suite in its reduced size (what CI runs): `node dist/test/reliability/run.js --quick`
 * must exit 0 and print a table whose duplicates, orphans, lost resources and secret hits are all 0.
 * `npm test`'s pretest builds dist/ and ensures the CLI.
 */
import * as path from "path";
import { runProcess } from "../support/process";

const repo = path.resolve(__dirname, "..", "..");

async function runQuick(): Promise<{ code: number; out: string }> {
  const r = await runProcess(process.execPath, [path.join(repo, "dist", "test", "reliability", "run.js"), "--quick"], { cwd: repo });
  return { code: r.status, out: r.output };
}

describe("reliability suite's command line", () => {
  it("prints its usage for --help, and names an unknown flag with the usage after it, exit 2", async () => {
    const run = path.join(repo, "dist", "test", "reliability", "run.js");
    const help = await runProcess(process.execPath, [run, "--help"], { cwd: repo });
    expect(help.status).toBe(0);
    expect(help.output).toMatch(/^usage:\n/);
    expect(help.output).toContain("--model");
    const bad = await runProcess(process.execPath, [run, "--bogus"], { cwd: repo });
    expect(bad.status).toBe(2);
    expect(bad.output).toMatch(/Unknown option '--bogus'\nusage:/);
  });
});

describe("reliability suite (--quick)", () => {
  it("runs faults, interruptions, bad input, auth and secrets with nothing duplicated, orphaned, lost or leaked", async () => {
    const { code, out } = await runQuick();
    const header = out.split("\n").findIndex((l) => l.startsWith("| runs |"));
    expect(header).toBeGreaterThanOrEqual(0);
    const row = out.split("\n")[header + 2];
    const cells = row
      .split("|")
      .slice(1, -1)
      .map((c) => Number(c.trim()));
    const [runs, faults, kills, badInputs, duplicates, orphans, lost, secretHits] = cells;
    if (code !== 0) console.log(out.slice(-6000));
    expect({ duplicates, orphans, lost, secretHits }).toEqual({ duplicates: 0, orphans: 0, lost: 0, secretHits: 0 });
    expect(runs).toBeGreaterThan(0);
    expect(faults).toBeGreaterThan(0);
    expect(kills).toBeGreaterThan(0);
    expect(badInputs).toBeGreaterThanOrEqual(6000);
    expect(code).toBe(0);
  }, 600_000);
});
