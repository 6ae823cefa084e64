/**
 * Where a refresh's time goes outside the service calls: N consents and `users` users rolled out in
 * one stack, then `pulumi preview --refresh` with the CLI's own CPU profile (`--profiling`) and a V8
 * CPU profile of every Node.js process it starts (the program, the dynamic provider). Prints the CPU
 * seconds per process, who owns that CPU (by package: Pulumi's SDK, source-map-support, ours, the
 * garbage collector…) and the functions that take the most. With --out, also writes it as Markdown.
 *
 *   node dist/bench/profileRefresh.js [--n 500] [--customers 50] [--users-per-customer 10] [--command preview|up] [--out bench/refresh-profile.md]
 *
 * Ends with the bytes of one state entry per resource type, which every checkpoint encodes again.
 *
 * A tool for finding the cost, not a benchmark: the profilers slow every process down.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator } from "../emulator";
import { copyProgram, createEngineSandbox, localProgramStack, repoRoot } from "../test/support/engine";
import { configureForEmulator } from "../test/support/stackConfig";
import { runCli } from "./cli";
import { generatedSeed } from "./seed";

/** Who a profiled frame's code belongs to: a package, ours, the program, Node.js, or V8's own entries. */
function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(V8 and Node.js built-ins)";
  if (url.startsWith("node:") || !url.includes("/")) return "(Node.js internals)";
  const file = url.replace(/^file:\/\//, "");
  const inModules = /.*node_modules\/((@[^/]+\/)?[^/]+)/.exec(file);
  if (inModules) return inModules[1] === "pulumi-partnercenter" ? "pulumi-partnercenter (ours)" : inModules[1];
  if (file.startsWith(path.join(repoRoot, "dist") + path.sep)) return "pulumi-partnercenter (ours)";
  return "the program";
}

/** Self time of a V8 .cpuprofile, in seconds: in all, by owner (package), and the top `count` functions; idle time left out. */
export function v8Top(file: string, count = 12): { total: number; byOwner: [string, number][]; top: [string, number][] } {
  const prof = JSON.parse(fs.readFileSync(file, "utf8"));
  const dt = new Map<number, number>();
  const deltas: number[] = prof.timeDeltas ?? [];
  (prof.samples as number[]).forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (deltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const node of prof.nodes) {
    const seconds = (dt.get(node.id) ?? 0) / 1e6;
    const f = node.callFrame;
    if (!seconds || f.functionName === "(idle)") continue;
    const key = `${f.functionName || "(anonymous)"} ${path.basename(f.url || "")}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + seconds);
    const owner = ownerOf(f.url || "", f.functionName || "");
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + seconds);
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { total: [...byFn.values()].reduce((a, b) => a + b, 0), byOwner: sorted(byOwner), top: sorted(byFn).slice(0, count) };
}

/** The engine's frames that encrypt secret values or cache their ciphertexts (pkg/resource/stack, sdk/go/common/resource/config). */
const secretFrames = "BatchEncrypt|secretCache|EncryptValue";

/** Mean JSON bytes of a state entry per resource type, and of its inputs and outputs; secrets are the ciphertext envelopes it holds. */
export function stateBytesByType(deployment: { deployment: { resources?: any[] } }) {
  const byType = new Map<string, { count: number; bytes: number; inputs: number; outputs: number; secrets: number }>();
  for (const r of deployment.deployment.resources ?? []) {
    const t = byType.get(r.type) ?? { count: 0, bytes: 0, inputs: 0, outputs: 0, secrets: 0 };
    const text = JSON.stringify(r);
    t.count++;
    t.bytes += text.length;
    t.inputs += JSON.stringify(r.inputs ?? {}).length;
    t.outputs += JSON.stringify(r.outputs ?? {}).length;
    t.secrets += text.split(pulumi.runtime.specialSecretSig).length - 1;
    byType.set(r.type, t);
  }
  const mean = (x: number, n: number) => Math.round(x / n);
  return [...byType.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .map(([type, t]) => ({
      type,
      count: t.count,
      bytes: mean(t.bytes, t.count),
      inputs: mean(t.inputs, t.count),
      outputs: mean(t.outputs, t.count),
      secrets: +(t.secrets / t.count).toFixed(1),
    }));
}

async function main() {
  const argv = process.argv.slice(2);
  const value = (flag: string, d: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : d);
  const n = Number(value("--n", "500"));
  const customers = Number(value("--customers", "50"));
  const perCustomer = Number(value("--users-per-customer", "10"));
  const command = value("--command", "preview");
  const outFile = argv.includes("--out") ? value("--out", "") : undefined;
  const lines: string[] = [];
  const print = (text: string) => {
    console.log(text);
    lines.push(text);
  };
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
      const run = await runCli(sandbox, [...args, "--stack", "profile", ...parallel, "--profiling", path.join(dir, "pulumi")], program, {
        env: { NODE_OPTIONS: `--require ${path.join(__dirname, "cpuProfileHook.js")}`, CPU_PROFILE_DIR: dir },
      });
      print(`\n## ${label}: \`pulumi ${args.join(" ")}\`\n`);
      print(
        `${(run.wallMs / 1000).toFixed(1)} s wall, exit ${run.status}; CPU seconds from /proc: engine ${run.cpuSeconds.engine}, program ${run.cpuSeconds.program}, provider ${run.cpuSeconds.provider}, other ${run.cpuSeconds.other}.`,
      );
      if (run.status !== 0) console.log(run.stdout.slice(-3000), run.stderr.slice(-3000));
      for (const f of fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".cpuprofile"))
        .sort()) {
        const { total, byOwner, top } = v8Top(path.join(dir, f));
        if (total < 0.5) continue;
        print(`\n### ${f.replace(/-\d+\.cpuprofile$/, "")} (V8 profile, ${total.toFixed(1)} s of samples)\n`);
        print("| whose code | CPU s | share |\n|---|---:|---:|");
        for (const [k, sec] of byOwner.slice(0, 10)) print(`| ${k} | ${sec.toFixed(2)} | ${((100 * sec) / total).toFixed(0)} % |`);
        print("\nThe functions with the most self time:\n\n```");
        for (const [k, sec] of top) print(`${sec.toFixed(2).padStart(6)} s  ${k}`);
        print("```");
      }
      for (const f of fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".cpu"))
        .map((f) => path.join(dir, f))) {
        const out = await new Promise<string>((resolve) =>
          execFile(go, ["tool", "pprof", "-top", "-cum", "-nodecount=25", f], { maxBuffer: 1 << 24 }, (e, so) => resolve(e ? String(e) : so)),
        );
        print(`\n### the engine (\`pulumi --profiling\`, \`go tool pprof -top -cum\`)\n\n\`\`\`\n${out.trim()}\n\`\`\``);
        // The secrets' own share: what encrypting and caching secret values costs the checkpoints.
        const secrets = await new Promise<string>((resolve) =>
          execFile(go, ["tool", "pprof", "-top", "-cum", "-nodecount=12", `-focus=${secretFrames}`, f], { maxBuffer: 1 << 24 }, (e, so) =>
            resolve(e ? String(e) : so),
          ),
        );
        print(`\nOf which secrets (\`-focus=${secretFrames}\`):\n\n\`\`\`\n${secrets.replace(/^[\s\S]*?(?=Showing nodes)/, "").trim()}\n\`\`\``);
      }
      if (process.env.PROFILE_KEEP) fs.cpSync(dir, path.join(process.env.PROFILE_KEEP, label), { recursive: true });
    }
    // What each checkpoint re-encodes: the bytes of one resource's entry in the state, by type.
    const exported = await runCli(sandbox, ["stack", "export", "--stack", "profile"], program);
    if (process.env.PROFILE_KEEP) fs.writeFileSync(path.join(process.env.PROFILE_KEEP, "state.json"), exported.stdout);
    print(`\n## The state, by resource type (\`pulumi stack export\`: every checkpoint encodes all of it)\n`);
    print("| type | resources | bytes each (mean) | of which inputs | of which outputs | secrets each |\n|---|---:|---:|---:|---:|---:|");
    for (const row of stateBytesByType(JSON.parse(exported.stdout))) {
      print(`| ${row.type} | ${row.count} | ${row.bytes} | ${row.inputs} | ${row.outputs} | ${row.secrets} |`);
    }
    if (outFile) {
      const head = [
        "# Where a large stack's time goes",
        "",
        `Written by \`node dist/bench/profileRefresh.js --n ${n} --customers ${customers} --users-per-customer ${perCustomer} --out ${outFile}\` on ${new Date().toISOString()} ` +
          `(${os.cpus().length} cores, Node.js ${process.version}): ${n} consents and ${customers * perCustomer} users in one stack against the emulator (100 ms latency), rolled out, then checked for drift, ` +
          "each run with the CLI's CPU profile and a V8 CPU profile of each Node.js process. The profilers slow every process down: the times are for comparing owners, not a benchmark (bench/results.md is).",
      ];
      fs.writeFileSync(outFile, `${[...head, ...lines].join("\n")}\n`);
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
