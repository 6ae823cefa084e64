/**
 * `npm run bench --quick` produces the report: every section and figure, and the chart. No timing
 * assertions (CI machines vary); the benchmark runs in its own process, asynchronously.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { engineVariants } from "../../bench/engineOptions";
import { floorLabel } from "../../bench/summary";
import { runProcess } from "../support/process";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

jest.setTimeout(900_000);

describe("npm run bench -- --quick", () => {
  const repo = path.join(__dirname, "..", "..");
  let out: string;
  let run: { code: number; output: string };
  let report: string;

  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "pcenter-bench-test-"));
    const r = await runProcess(process.execPath, [path.join(repo, "dist", "bench", "run.js"), "--quick", "--out", out], { cwd: repo });
    run = { code: r.status, output: r.output };
    report = fs.existsSync(path.join(out, "results.md")) ? fs.readFileSync(path.join(out, "results.md"), "utf8") : "";
  });

  afterAll(() => {
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });

  it("exits 0 and writes results.md and rps.svg", () => {
    if (run.code !== 0) console.log(run.output.slice(-4000));
    expect(run.code).toBe(0);
    expect(report).not.toBe("");
    const svg = fs.readFileSync(path.join(out, "rps.svg"), "utf8");
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(svg).toContain("limit 50/s");
    expect(svg).toContain("pulumi up (ours), one stack");
    expect(svg).toContain("pulumi up (ours), 2 stacks side by side");
  });

  it("has every section", () => {
    for (const heading of [
      "# Benchmarks",
      "## Machine and versions",
      "## Targets",
      "## Consent rollout through `pulumi up`",
      "### The same rollout in stacks side by side",
      "## Side by side: the way people do it today",
      "## Drift detection: `pulumi preview --refresh`",
      "## User rollout",
      "## Through the rollout runner",
      "## Costs that grow with N",
      "## How the figures grow with N",
    ]) {
      expect(report).toContain(heading);
    }
    expect(report).toContain("](rps.svg)");
  });

  it("has the machine, the versions and the settings it ran with", () => {
    for (const label of [
      "| CPU |",
      "| memory |",
      "| Node.js |",
      "| Pulumi CLI |",
      "| @pulumi/pulumi |",
      "| emulator latency |",
      "| emulator limits |",
      "| client settings |",
      "| state backend |",
      "| engine parallelism |",
    ]) {
      expect(report).toContain(label);
    }
    expect(report).toContain(`| Node.js | ${process.version} |`);
    expect(report).toMatch(/\| Pulumi CLI \| v?\d+\.\d+\.\d+/);
    expect(report).toContain('{"fixedMs":100}');
    expect(report).toMatch(/consents: 50\/s per application/);
    expect(report).toContain("`file://<temporary directory>?metadata=skip`");
  });

  it("writes results.json with what a partner waits for, per workload and layout, and headlines it", () => {
    const json = JSON.parse(fs.readFileSync(path.join(out, "results.json"), "utf8"));
    const keys = ["n", "workload", "layout", "wallSeconds", "boundSeconds", "wallRatio", "spanRatio", "failed", "throttledPercent", "earlyRetries"];
    expect(json.figures.map((f: any) => `${f.workload}/${f.layout}`)).toEqual(
      expect.arrayContaining([
        "consents/one stack",
        "consents/2 stacks side by side",
        "users/one stack",
        "users/own stacks, 2 stacks side by side",
        "refresh/one stack",
        "refresh/one stack, `pulumi preview --refresh --run-program --expect-no-changes`",
        "refresh/one stack, `pulumi refresh --preview-only --run-program --expect-no-changes`",
        "refresh/one stack, `pulumi refresh --preview-only --expect-no-changes`",
        "refresh/one stack, `pulumi preview --refresh`, PULUMI_DEBUG_PROMISE_LEAKS=1",
      ]),
    );
    for (const f of json.figures) {
      expect(Object.keys(f).sort()).toEqual([...keys].sort());
      // The wall clock holds the requests' span: a ratio to the bound at least the span's.
      expect(f.wallSeconds).toBeGreaterThan(0);
      expect(f.wallRatio).toBeCloseTo(f.wallSeconds / f.boundSeconds, 1);
      expect(f.wallRatio + 0.05).toBeGreaterThanOrEqual(f.spanRatio);
    }
    expect(report.indexOf("## What a partner waits for")).toBeLessThan(report.indexOf("## Machine and versions"));
    // The engine options (bench/engineOptions.ts), side by side in the same run: each a row, every resource made.
    const layouts = json.figures.map((f: any) => `${f.workload}/${f.layout}`);
    expect(layouts).toEqual(expect.arrayContaining(["consents/one stack, PULUMI_DIY_BACKEND_GZIP=true", "users/own stack, PULUMI_DIY_BACKEND_GZIP=true"]));
    for (const f of json.figures) expect(f.failed).toBe(0);
    expect(report).toContain("### Engine options: the same rollout in one stack");
    expect(report).toMatch(/\| 20 \| users only \(own stack\) \| PULUMI_DIY_BACKEND_GZIP=true \| [\d.]+ \| 0\.20 \|/);
    // The native provider (the plugin, `partnercenter:index:*`) beside the dynamic one, on the same run: every resource made,
    // its provider's CPU counted as the provider's.
    const native = engineVariants.find((v) => v.native)!.what;
    for (const workload of ["consents", "users"]) {
      const row = json.figures.find((f: any) => f.workload === workload && f.layout === `${workload === "users" ? "own" : "one"} stack, ${native}`);
      expect(row).toEqual(expect.objectContaining({ failed: 0 }));
    }
    // The CPU columns are /proc samples 200 ms apart, so a short quick-size row can read 0.00: the two
    // native rows together must show the plugin's CPU under "provider".
    const nativeCpu = ["consents", "users only \\(own stack\\)"].map((w) =>
      Number(
        new RegExp(`\\| 20 \\| ${w} \\| ${escapeRegExp(native)} \\|.*\\| [\\d.]+ / [\\d.]+ / ([\\d.]+) / [\\d.]+ \\| \\d+ \\|\n`).exec(report)?.[1] ?? NaN,
      ),
    );
    expect(nativeCpu.every(Number.isFinite)).toBe(true);
    expect(Math.max(...nativeCpu)).toBeGreaterThan(0);
  });

  it("has every figure, for the quick size", () => {
    // Consent rollout: bound, first to last, ratio, failed resources, 429s, early retries.
    expect(report).toMatch(/\| 20 \| 0\.40 \| \d+\.\d\d \| \d+\.\d\d× \| \d+\.\d\d \| \d+ \| 20 \| \d+ \(\d+\.\d\d %\) \| \d+ \| \d+ \|/);
    // The same 20 customers in 2 stacks of the quick group size (10) side by side, each at rateLimitPerShard(2) = 24/s:
    // every consent made, each once.
    expect(report).toMatch(
      /\| 20 \| 2 \| none \| \d+ \| 24 \| \d+\.\d\d \| \d+\.\d\d× \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d× \| 0 \| 20 \| \d+ \(\d+\.\d\d %\) \| \d+ \| \d+ \|/,
    );
    // The three approaches side by side, and the CLI's default parallelism.
    expect(report).toContain("`pulumi up` (this provider), one stack");
    expect(report).toContain("`pulumi up` (this provider), 2 stacks side by side");
    expect(report).toContain("`pulumi up`, the CLI's default --parallel");
    expect(report).toMatch(/\| 20 \| one after another \| \d+\.\d\d \| \d+\.\d\d× \|/);
    expect(report).toMatch(/\| 20 \| all at once \| \d+\.\d\d \| \d+\.\d\d× \|/);
    // Drift detection: 20 consents + 5 customers × 2 users, requests per resource, no changes found.
    // Drift detection also: the reads' own span, and CPU seconds of the engine, program, provider and emulator.
    expect(report).toMatch(
      /\| 20 \| 30 \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d \| -?\d+\.\d\d \| \d+ \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d \| \d+ \| \d+ \| none \| \d+\.\d\d \| \d+\.\d\d \| \d+ \/ \d+ \/ \d+ \/ \d+\.\d \|/,
    );
    // User rollout: 5 customers, 10 users.
    expect(report).toMatch(/\| 20 \| 5 \| 10 \| \d+ \| \d+ \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\d\d× \| \d+\.\d\d \| \d+ \| \d+ \| \d+ \|/);
    // Costs: tokens, state and __provider bytes, peak RSS, engine time.
    expect(report).toMatch(
      /\| 20 \| \d+ \(\d+ partner tenant\) \| \d+ \(\d+ \/ \d+\) \| [\d,]+ \| [\d,]+ \| [\d,]+ \/ [\d,]+ \| \d+ MiB \/ \d+ MiB \/ \d+ MiB \| -?\d+\.\d\d \/ -?\d+\.\d\d \/ -?\d+\.\d\d \| -?\d+\.\d \|/,
    );
    // The targets, each judged.
    const targets = report.split("## Targets")[1].split("## Consent rollout")[0];
    // The page's eleven, and the runner's three (consents, users, refresh: bench/runnerReport.ts).
    expect(targets.match(/\*\*(met|missed|partly met)(: [^*]+)?\*\*/g)).toHaveLength(14);
    // Issue 17's four: what a partner waits for, the wall clock, each with its measured ratio.
    expect(targets).toMatch(/\| `pulumi up` of the consents in one stack within 2× the bound, wall clock \| [\d.]+ s for a bound of 0\.40 s: [\d.]+×/);
    expect(targets).toMatch(
      /\| the best layout \(shards side by side\) within 1\.5× the bound, wall clock \| .+: [\d.]+ s, [\d.]+×; measured: one stack [\d.]+×, 2 stacks side by side [\d.]+×/,
    );
    expect(targets).toMatch(
      /\| users within 2× their bound \(10 users, 0\.20 s\).*in 2 stacks side by side [\d.]+× \/ [\d.]+×; users requests per user created: [\d.]+ for N = 20/,
    );
    expect(targets).toMatch(
      /\| drift detection .* within 2× the service's read bound, wall clock \| [\d.]+ s for a bound of [\d.]+ s .*The other drift checks: `pulumi preview --refresh --run-program --expect-no-changes` [\d.]+ s/,
    );
    // The drift checks, each exit 0 (no drift), with how often each runs the program.
    for (const [command, runs] of [
      ["pulumi preview --refresh --run-program --expect-no-changes", "yes"],
      ["pulumi refresh --preview-only --run-program --expect-no-changes", "yes"],
      ["pulumi refresh --preview-only --expect-no-changes", "no"],
    ]) {
      expect(report).toMatch(new RegExp(`\\| 20 \\| \`${command}\` \\| ${runs} \\| [\\d.]+ \\| [\\d.]+ \\| \\d+ \\| 0 \\| \\d+ / \\d+ / \\d+ / \\d+ \\|`));
    }
    // The first preview again with a pool of 64 connections per host; every drift check counts the TLS connections the service accepted.
    expect(report).toMatch(
      /\| 20 \| `pulumi preview --refresh` with PARTNERCENTER_CONNECTIONS_PER_ORIGIN=64 \| yes \| [\d.]+ \| [\d.]+ \| \d+ \| 0 \| \d+ \/ \d+ \/ \d+ \/ \d+ \| [1-9]\d* \|/,
    );
    expect(report).toMatch(
      /\| 20 \| `pulumi preview --refresh` \(the rows above\) \| yes \| [\d.]+ \| [\d.]+ \| \d+ \| 0 \| \d+ \/ \d+ \/ \d+ \/ \d+ \| [1-9]\d* \|/,
    );
    // The first preview again with @pulumi/pulumi's per-promise stack traces, beside it.
    expect(report).toMatch(
      /\| 20 \| `pulumi preview --refresh` with PULUMI_DEBUG_PROMISE_LEAKS=1 \| yes \| [\d.]+ \| [\d.]+ \| \d+ \| 0 \| \d+ \/ \d+ \/ \d+ \/ \d+ \|/,
    );
    // The users alone in stacks side by side, every user made.
    expect(report).toMatch(/\| 20 \| 2 stacks side by side \| \d+ \| 0\.20 \| [\d.]+ \| [\d.]+× \| [\d.]+ \| [\d.]+× \| 0 \| \d+ \| \d+ \|/);
    // Growth needs two sizes; the quick run says so instead of inventing it.
    expect(report).toMatch(/Only one size \(N = 20\) was measured/);
    expect(report).not.toMatch(/NaN|undefined|Infinity/);
  });

  it("measures the engine floor: the same work with no service behind it", () => {
    const json = JSON.parse(fs.readFileSync(path.join(out, "results.json"), "utf8"));
    // The engine floor (bench/floor.ts): the same rollouts and drift check through a provider that calls no
    // service, with the same state (within a few bytes per resource: only the module path differs), and no
    // request to the service but the program's own customer list.
    const floor = (workload: string, layout: string) => json.figures.find((f: any) => f.workload === workload && f.layout === `${layout}, ${floorLabel}`);
    for (const [workload, layout] of [
      ["consents", "one stack"],
      ["users", "own stack"],
      ["refresh", "one stack, `pulumi preview --refresh`"],
    ]) {
      expect(floor(workload, layout)).toEqual(expect.objectContaining({ failed: 0, throttledPercent: 0 }));
    }
    // The floor's span is when the engine called it: 10 users made over some time, not at one instant.
    expect(floor("users", "own stack").spanRatio).toBeGreaterThan(0);
    const stateBytes = (workload: string, option: string) =>
      Number(new RegExp(`\\| 20 \\| ${workload} \\| ${escapeRegExp(option)} \\|.* \\| (\\d+) \\|\n`).exec(report)?.[1]);
    for (const workload of ["consents", "users only \\(own stack\\)"]) {
      const base = stateBytes(workload, engineVariants[0].what);
      expect(Math.abs(stateBytes(workload, floorLabel) - base) / base).toBeLessThan(0.02);
    }
    expect(report).toMatch(/\| 20 \| `pulumi preview --refresh`, engine floor: .* \| yes \| [\d.]+ \| [\d.]+ \| 2 \| 0 \| \d+ \/ \d+ \/ \d+ \/ \d+ \|/);
  });

  it("measures the rollouts through the rollout runner: every resource made, each shard's figures, the targets judged", () => {
    const json = JSON.parse(fs.readFileSync(path.join(out, "results.json"), "utf8"));
    // Quick mode: N = 20, 2 shards; 10 users (2 in each of 5 customers) added to the same stacks; then a preview-only refresh of all 30.
    const layouts = {
      consents: "through the runner, 2 shards",
      users: "through the runner, 2 shards",
      refresh: "through the runner, 2 shards, `partnercenter-rollout refresh --preview-only`",
    };
    for (const [workload, layout] of Object.entries(layouts)) {
      expect(json.figures.find((f: any) => f.workload === workload && f.layout === layout)).toEqual(expect.objectContaining({ n: 20, failed: 0 }));
    }
    const section = report.split("## Through the rollout runner")[1]?.split("\n## ")[0] ?? "";
    const row = (work: string) => section.split("\n").find((l) => l.startsWith(`| 20 | ${work} |`)) ?? "";
    // Each shard's wall clock, 429s and failures from the runner's --summary; the preview-only refresh found every shard succeeded.
    for (const work of ["20 consents", "10 users", "30 resources"]) {
      expect(row(work)).toMatch(/\| 1\/2: [\d.]+ s, 0, 0( \([^)]*\))?; 2\/2: [\d.]+ s, 0, 0( \([^)]*\))? \|/);
    }
    for (const work of ["20 consents", "10 users", "30 resources"]) {
      expect(row(work)).toMatch(/\| ≤ [\d.]+×: \*\*(met|missed)[^|]*\*\* \|/);
      // A quick run measures no floor through the runner: the one-stack floor, named as such.
      expect(row(work)).toMatch(/\| [\d.]+ s, [\d.]+× \(([^|]*one stack|the users in a stack of their own)\) \|$/);
    }
    const targets = report.split("## Targets")[1].split("## Consent rollout")[0];
    expect(targets).toMatch(/consents through the runner within 1\.3× the bound, wall clock \(N = 20\) \| 2 shards: .* \| \*\*(met|missed)/);
    expect(targets).toMatch(/users through the runner within 3× the bound, wall clock \(N = 20, 10 users\)/);
  });
});
