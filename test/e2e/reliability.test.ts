/**
 * The reliability suite in its reduced size (what CI runs): `node dist/test/reliability/run.js --quick`
 * must exit 0 and print a table whose duplicates, orphans, lost resources and secret hits are all 0.
 * `npm test`'s pretest builds dist/ and ensures the CLI.
 */
import { spawn } from "child_process";
import * as path from "path";

const repo = path.resolve(__dirname, "..", "..");

function runQuick(): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repo, "dist", "test", "reliability", "run.js"), "--quick"], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("reliability suite (--quick)", () => {
  it("runs faults, interruptions, bad input, auth and secrets with nothing duplicated, orphaned, lost or leaked", async () => {
    const { code, out } = await runQuick();
    const header = out.split("\n").findIndex((l) => l.startsWith("| runs |"));
    expect(header).toBeGreaterThanOrEqual(0);
    const cells = out.split("\n")[header + 2].split("|").slice(1, -1).map((c) => Number(c.trim()));
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
