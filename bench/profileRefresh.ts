/**
 * Where a refresh's time goes outside the service calls: N consents and `users` users rolled out in
 * one stack, then `pulumi preview --refresh` with the CLI's own CPU profile (`--profiling`) and a V8
 * CPU profile of every Node.js process it starts (the program, the dynamic provider). Prints the CPU
 * seconds per process and the functions that take the most CPU in each.
 *
 *   node dist/bench/profileRefresh.js [--n 500] [--customers 50] [--users-per-customer 10] [--command preview|up]
 *
 * A tool for finding the cost, not a benchmark: the profilers slow every process down.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../emulator";
import { copyProgram, createEngineSandbox, localProgramStack, repoRoot } from "../test/support/engine";
import { configureForEmulator } from "../test/support/stackConfig";
import { runCli } from "./cli";
import { generatedSeed } from "./seed";

/** Self time per function (top `count`) of a V8 .cpuprofile, in seconds. */
export function v8Top(file: string, count = 12): { total: number; top: [string, number][] } {
  const prof = JSON.parse(fs.readFileSync(file, "utf8"));
  const dt = new Map<number, number>();
  const deltas: number[] = prof.timeDeltas ?? [];
  (prof.samples as number[]).forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (deltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  for (const node of prof.nodes) {
    const us = dt.get(node.id) ?? 0;
    if (!us) continue;
    const f = node.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${path.basename(f.url || "")}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us / 1e6);
  }
  const idle = ["(idle) :0", "(program) :0", "(garbage collector) :0"];
  const total = [...byFn.entries()].filter(([k]) => !idle.slice(0, 1).includes(k)).reduce((a, [, v]) => a + v, 0);
  return {
    total,
    top: [...byFn.entries()]
      .filter(([k]) => k !== idle[0])
      .sort((a, b) => b[1] - a[1])
      .slice(0, count),
  };
}

async function main() {
  const argv = process.argv.slice(2);
  const value = (flag: string, d: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : d);
  const n = Number(value("--n", "500"));
  const customers = Number(value("--customers", "50"));
  const perCustomer = Number(value("--users-per-customer", "10"));
  const command = value("--command", "preview");
  const seed = generatedSeed(n);
  const emu = await startEmulator({ seed, latencyMs: 100 });
  const sandbox = createEngineSandbox("pcenter-profile-");
  try {
    const program = copyProgram(sandbox, path.join(repoRoot, "bench", "program"));
    const planFile = path.join(sandbox.dir, "plan.json");
    const userCustomers = (seed.customers as any[]).slice(0, customers).map((c) => ({ id: c.id, domain: c.domains[0].name }));
    fs.writeFileSync(planFile, JSON.stringify({ applicationId: emu.credentials.controlPanelApplicationId, userCustomers, usersPerCustomer: perCustomer }));
    const stack = await localProgramStack(sandbox, program, "profile");
    await configureForEmulator(stack, emu, { planFile: { value: planFile }, userPassword: { value: "Profile-Passw0rd!", secret: true } });
    const parallel = ["--parallel", "2147483647"];
    const go = fs.existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : "go";
    // Both runs profiled: the rollout (consents and users in one up) and the refresh after it.
    const runs: [string, string[]][] = [
      ["up", ["up", "--yes", "--skip-preview"]],
      ["refresh", command === "up" ? ["up", "--yes", "--skip-preview", "--refresh"] : ["preview", "--refresh"]],
    ];
    for (const [label, args] of runs) {
      const dir = fs.mkdtempSync(path.join(sandbox.dir, `prof-${label}-`));
      const run = await runCli(sandbox, [...args, "--stack", "profile", ...parallel, "--profiling", path.join(dir, "pulumi")], program, 200, {
        env: { NODE_OPTIONS: `--require ${path.join(__dirname, "cpuProfileHook.js")}`, CPU_PROFILE_DIR: dir },
      });
      console.log(
        `\n===== ${label}: pulumi ${args.join(" ")}: ${(run.wallMs / 1000).toFixed(1)} s, exit ${run.status}, CPU s ${JSON.stringify(run.cpuSeconds)}`,
      );
      if (run.status !== 0) console.log(run.stdout.slice(-3000), run.stderr.slice(-3000));
      for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
        const { total, top } = v8Top(path.join(dir, f));
        console.log(`\n${f}: ${total.toFixed(1)} s of samples`);
        for (const [k, sec] of top) console.log(`  ${sec.toFixed(2).padStart(6)} s  ${k}`);
      }
      for (const f of fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".cpu"))
        .map((f) => path.join(dir, f))) {
        const out = await new Promise<string>((resolve) =>
          execFile(go, ["tool", "pprof", "-top", "-cum", "-nodecount=25", f], { maxBuffer: 1 << 24 }, (e, so) => resolve(e ? String(e) : so)),
        );
        console.log(`\n${path.basename(f)}:\n${out}`);
      }
      if (process.env.PROFILE_KEEP) fs.cpSync(dir, path.join(process.env.PROFILE_KEEP, label), { recursive: true });
    }
  } finally {
    await emu.stop();
    sandbox.dispose();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
