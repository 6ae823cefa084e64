/**
 * The offline, non-interactive Pulumi engine settings, in one place: tests, benchmarks and the demo
 * all run the real Pulumi CLI through these.
 *
 * - The CLI comes from scripts/ensure-pulumi.sh (a CLI on PATH, or one built from the Go module proxy
 *   into a cache outside the repo); its bin directory also holds the Node.js language host and the
 *   dynamic-provider plugin, and goes first on PATH so the engine finds all three.
 * - State lives in a file backend inside a temporary directory, PULUMI_HOME too, so nothing touches
 *   the user's own Pulumi login; no update checks, no plugin downloads (there is no network).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { ProcessOptions, ProcessResult, startProcess, StartedProcess } from "./process";

export const repoRoot = path.resolve(__dirname, "..", "..", ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? [".."] : []));

/** The passphrase of the throwaway stacks' secrets provider; tests only, never a user's. */
export const testPassphrase = "pulumi-partnercenter-offline";

let binDir: string | undefined;

/** Finds or builds the CLI (once per process) and returns the directory holding `pulumi`. */
export function pulumiBinDir(): string {
  if (binDir) return binDir;
  let out: string;
  try {
    out = execFileSync("bash", [path.join(repoRoot, "scripts", "ensure-pulumi.sh")], {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
  } catch (err) {
    throw new Error(`The Pulumi CLI is not available and could not be built (scripts/ensure-pulumi.sh failed): ${(err as Error).message}`, { cause: err });
  }
  const lines = out.trim().split("\n");
  binDir = lines[lines.length - 1];
  if (!binDir || !fs.existsSync(path.join(binDir, "pulumi"))) {
    throw new Error(`scripts/ensure-pulumi.sh printed no usable bin directory (got '${binDir}')`);
  }
  return binDir;
}

export interface EngineSandbox {
  /** Root of the sandbox: holds the file backend and PULUMI_HOME. */
  dir: string;
  backendUrl: string;
  /** Environment for any `pulumi` process (CLI or Automation API). */
  env: Record<string, string>;
  /** Program copies (see copyProgram), which dispose removes. */
  programCopies: Set<string>;
  /** Removes the sandbox (state included) and the program copies. */
  dispose(): void;
}

/**
 * What every sandbox's file backend URL ends with. metadata=skip: the backend then writes no .attrs
 * sidecar (with an MD5 of the whole checkpoint) beside each of the checkpoints it writes before and
 * after every resource operation; what README "Large rollouts" recommends for self-managed state.
 */
export const backendQuery = "?metadata=skip";

/** A fresh local backend and PULUMI_HOME in a temporary directory. */
export function createEngineSandbox(prefix = "pcenter-engine-"): EngineSandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const backendDir = path.join(dir, "backend");
  const home = path.join(dir, "home");
  fs.mkdirSync(backendDir);
  fs.mkdirSync(home);
  const bin = pulumiBinDir();
  const env: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${backendDir}${backendQuery}`,
    PULUMI_CONFIG_PASSPHRASE: testPassphrase,
    PULUMI_HOME: home,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    // ts-node type-checks a program on every run (tens of seconds on a loaded 2-core machine);
    // the programs' types are checked once by tsc instead (see tsconfig.programs.json).
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
  };
  const programCopies = new Set<string>();
  return {
    dir,
    backendUrl: env.PULUMI_BACKEND_URL,
    env,
    programCopies,
    dispose: () => {
      fs.rmSync(dir, { recursive: true, force: true });
      for (const copy of programCopies) fs.rmSync(copy, { recursive: true, force: true });
    },
  };
}

/**
 * A copy of a program (an example, with its committed Pulumi.<stack>.yaml files) to run without
 * writing into the repo's own files: stack config lives beside the program, and a file left by an
 * earlier, interrupted run must not leak into the next. The copy sits in the repo's .pulumi-work/, so the program still
 * resolves @pulumi/pulumi and pulumi-partnercenter from the repo's node_modules, as after `npm install`.
 */
export function copyProgram(sandbox: EngineSandbox, programDir: string): string {
  const work = path.join(repoRoot, ".pulumi-work");
  fs.mkdirSync(work, { recursive: true });
  const copy = fs.mkdtempSync(path.join(work, `${path.basename(programDir)}-`));
  fs.cpSync(programDir, copy, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  sandbox.programCopies.add(copy);
  return copy;
}

/** The Automation API's handle on our CLI. */
export async function pulumiCommand(): Promise<PulumiCommand> {
  return PulumiCommand.get({ root: path.dirname(pulumiBinDir()), skipVersionCheck: true });
}

/** Creates (or selects) a stack of the program in `workDir` inside the sandbox. */
export async function localProgramStack(sandbox: EngineSandbox, workDir: string, stackName: string, extraEnv: Record<string, string> = {}): Promise<Stack> {
  return LocalWorkspace.createOrSelectStack(
    { stackName, workDir },
    {
      pulumiCommand: await pulumiCommand(),
      pulumiHome: sandbox.env.PULUMI_HOME,
      envVars: { ...sandbox.env, ...extraEnv },
    },
  );
}

/** The state as `pulumi stack export` shows it without --show-secrets (secrets stay ciphertext). */
export async function exportState(sandbox: EngineSandbox, stackName: string, cwd: string): Promise<string> {
  const res = await runPulumi(sandbox, ["stack", "export", "--stack", stackName], cwd);
  if (res.status !== 0) throw new Error(`pulumi stack export failed: ${res.stderr}`);
  return res.stdout;
}

/**
 * Starts the CLI with the sandbox's settings. Asynchronous on purpose: the emulator often runs in
 * this same process and must keep answering meanwhile.
 */
export function startPulumi(
  sandbox: EngineSandbox,
  args: string[],
  cwd: string,
  opts: Omit<ProcessOptions, "cwd" | "env"> & { env?: Record<string, string>; bin?: string } = {},
): StartedProcess {
  const env: Record<string, string | undefined> = { ...process.env, ...sandbox.env, ...opts.env };
  // Another CLI (bench's engine options): the engine finds the language host and the dynamic-provider plugin on PATH, this CLI's own first.
  if (opts.bin) env.PATH = `${opts.bin}${path.delimiter}${env.PATH ?? ""}`;
  return startProcess(path.join(opts.bin ?? pulumiBinDir(), "pulumi"), ["--non-interactive", ...args], { ...opts, cwd, env });
}

/** Runs the CLI to its end (for commands a user types, e.g. `pulumi preview --refresh`). */
export function runPulumi(
  sandbox: EngineSandbox,
  args: string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
  onOutput?: (text: string) => void,
): Promise<ProcessResult> {
  return startPulumi(sandbox, args, cwd, { env: extraEnv, onOutput }).done;
}

/** Runs the CLI with its output shown live, indented under the demo's own lines, and returns what it printed. */
export async function runPulumiLive(
  sandbox: EngineSandbox,
  args: string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
): Promise<{ status: number; output: string }> {
  let atLineStart = true;
  const res = await runPulumi(sandbox, args, cwd, extraEnv, (text) => {
    process.stdout.write(text.replace(/\n(?!$)/g, "\n    │ ").replace(/^/, atLineStart ? "    │ " : ""));
    atLineStart = text.endsWith("\n");
  });
  return { status: res.status, output: res.output };
}
