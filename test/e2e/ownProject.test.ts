/**
 * README "Use it in your own project", done as a partner would: the checkout packed with `npm pack`, a
 * new project in a temporary directory outside the repo with the files and commands the README shows
 * (extracted from it at test time, the headline program of "What it manages" as index.ts), the
 * emulator started from the installed package, the real Pulumi CLI on PATH, a HOME of its own.
 */
import { ChildProcess, execFileSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { codeBlocks, where } from "../support/readmeBlocks";
import { pulumiBinDir, repoRoot } from "../support/engine";
import { killGroup, startProcess } from "../support/process";

const readme = path.join(repoRoot, "README.md");

/** A port no one listens on now (the README's 8443 and 8444 may be taken on a shared machine). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("README: Use it in your own project", () => {
  let work: string;
  let tarball: string;
  /** The README's commands, a process group: afterAll ends it also when Jest's timeout cut the test short (its finally never runs then, and the emulator it started kept Jest from exiting). */
  let readmeRun: ChildProcess | undefined;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "pcenter-own-project-"));
    const packDir = path.join(work, "pulumi-partnercenter");
    fs.mkdirSync(packDir);
    const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", packDir], { cwd: repoRoot, encoding: "utf8" });
    tarball = path.join(packDir, out.trim().split("\n").pop()!);
  });

  afterAll(() => {
    if (readmeRun) killGroup(readmeRun, "SIGKILL");
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("packs the product only: provider, SDK, emulator with its seeds, the rollout runner, README and LICENSE", () => {
    const files = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((f) => f.replace(/^package\//, ""));
    for (const f of [
      "package.json",
      "README.md",
      "LICENSE",
      "dist/sdk/index.js",
      "dist/sdk/index.d.ts",
      "dist/provider/resources/index.js",
      "dist/emulator/cli.js",
      "dist/emulator/index.js",
      "dist/emulator/seeds/default.json",
      "dist/rollout/cli.js",
      "dist/rollout/index.js",
    ]) {
      expect(files).toContain(f);
    }
    const outside = files.filter((f) => !/^(package\.json|README\.md|LICENSE|dist\/(provider|sdk|emulator|rollout)\/.+)$/.test(f));
    expect(outside).toEqual([]);
    const manifest = JSON.parse(execFileSync("tar", ["xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
    expect(Object.keys(manifest.exports).filter((k) => k.includes("*"))).toEqual([]);
    expect(manifest.dependencies["@pulumi/pulumi"]).toBeUndefined();
    expect(manifest.peerDependencies["@pulumi/pulumi"]).toBe(">=3.248.0 <4.0.0");
    // Built files ship; nothing runs at install (npm 11 warns about any install script, `prepare` included).
    expect(Object.keys(manifest.scripts ?? {}).filter((k) => ["preinstall", "install", "postinstall", "prepare"].includes(k))).toEqual([]);
  });

  it("installs from the tarball and reaches a green pulumi up against the emulator, then survives a restart and a move", async () => {
    const blocks = codeBlocks(readme);
    const project = path.join(work, "my-partner-stack");
    fs.mkdirSync(project);
    const files = blocks.filter((b) => b.file);
    expect(files.map((b) => b.file).sort()).toEqual(["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
    for (const b of files) fs.writeFileSync(path.join(project, b.file!), b.text);

    // The README's fixed ports, moved to free ones; each block is stamped so the log says how long a
    // partner waits from `npm install` to a green `up`.
    const steps = blocks.filter((b) => b.run && b.lang === "bash");
    const ports = new Map<string, string>();
    for (const [, port] of steps.map((b) => b.text.matchAll(/--port (\d+)/g)).flatMap((m) => [...m])) {
      if (!ports.has(port)) ports.set(port, String(await freePort()));
    }
    expect(ports.size).toBeGreaterThan(1); // the first emulator's port, and the one it moves to
    const script =
      steps
        .map((b, i) => `echo "@@block ${i} $(date +%s%N) ${where("README.md", b)}"\n${b.text.replace(/--port (\d+)/g, (_, p) => `--port ${ports.get(p)}`)}`)
        .join("\n") + 'echo "@@block end $(date +%s%N)"\n';
    const home = path.join(work, "home");
    fs.mkdirSync(home);
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      HOME: home,
      PATH: [pulumiBinDir(), path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
      // The machine's npm cache, not the empty HOME's: the registry is asked only for what it lacks.
      npm_config_cache: path.join(os.homedir(), ".npm"),
      npm_config_prefer_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    for (const k of Object.keys(env)) if (k.startsWith("PULUMI_BACKEND") || k.startsWith("PARTNERCENTER_") || k === "PULUMI_HOME") delete env[k];

    const { child, done } = startProcess("bash", ["-euo", "pipefail", "-c", script], { cwd: work, env, detached: true });
    readmeRun = child;
    let status: number;
    let output: string;
    try {
      ({ status, output } = await done);
    } finally {
      killGroup(child, "SIGTERM"); // an emulator a failed step left running
    }
    if (status !== 0) throw new Error(`the README's commands failed (exit ${status}):\n${output.slice(-6000)}`);

    const stamps = [...output.matchAll(/^@@block (\d+|end) (\d+)/gm)].map((m) => ({ block: m[1], ns: BigInt(m[2]) }));
    const install = steps.findIndex((b) => /npm install/.test(b.text));
    const up = steps.findIndex((b) => /pulumi up --yes/.test(b.text));
    const seconds = Number(stamps[up + 1].ns - stamps[install].ns) / 1e9;
    console.log(`README "Use it in your own project": npm install to a green pulumi up in ${seconds.toFixed(1)} s (Node ${process.version})`);

    // A clean refresh right after the up (the restart block's `pulumi preview --refresh`), in the CLI's
    // default display, marks no resource with a diff: the request id that check adds to the inputs
    // for a create's recovery is no declared input (issue 28 item 8: `[diff: -createRequestId]` on
    // every resource).
    const restart = steps.findIndex((b) => /pulumi preview --refresh --expect-no-changes/.test(b.text));
    expect(restart).toBeGreaterThan(up);
    const restartOutput = output.slice(output.indexOf(`@@block ${restart} `), output.indexOf(`@@block ${restart + 1} `));
    expect(restartOutput).toMatch(/16 unchanged/);
    expect(restartOutput.split("\n").filter((l) => l.includes("[diff:"))).toEqual([]);

    expect(output).toMatch(/consents\s*:\s*14/);
    expect(output).toMatch(/breakGlassAdmin\s*:\s*"breakglass@adventureworks\.onmicrosoft\.com"/);
    expect(output).toMatch(/\+ 16 created/);
    expect(output).not.toMatch(/\d+ errored/);
    expect(output).not.toMatch(/pulumi-partnercenter@[^\s]* \((preinstall|install|postinstall|prepare):/);
  });
});
