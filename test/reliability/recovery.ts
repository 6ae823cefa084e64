/**
 * README "Recovering after an interrupted run", as the tests run it, in one place: wait until the
 * killed run's processes are gone, release the lock, save the checkpoint with its unfinished creates
 * (`pulumi stack export --file`), forget them, then at most two `pulumi up`: the first with
 * PARTNERCENTER_RECOVER_FROM naming the saved file (each unfinished create is sent again with its
 * MS-RequestId, so what the interrupted run made is taken back and nothing else) and
 * --continue-on-error (so every object that needs `adopt: true` is named at once), a second only
 * when the first did not converge.
 */
import * as fs from "fs";
import * as path from "path";
import { repoRoot, type EngineSandbox } from "../support/engine";
import { codeBlocks } from "../support/readmeBlocks";
import { cli, CliResult } from "./common";

export interface Recovery {
  steps: string[];
  /** `pulumi up` runs it took (1 or 2); converged says whether the last one succeeded. */
  ups: number;
  converged: boolean;
  runs: CliResult[];
}

/** One command of README's recovery block: `[ENV=value ...] pulumi <args>` or `rm <file>`. */
export interface RecoveryStep {
  env: Record<string, string>;
  command: "pulumi" | "rm";
  args: string[];
}

export const recoveryBlockFirstLine = "# 1. Wait until the killed run's processes are gone: the language host and the provider end by";

/**
 * README "Recovering after an interrupted run", read from README.md itself, so that what the tests
 * run is what a user reads. The file the block names (`interrupted.json`) becomes `file`.
 */
export function readmeRecovery(file: string): RecoveryStep[] {
  const block = codeBlocks(path.join(repoRoot, "README.md")).find((b) => b.text.startsWith(recoveryBlockFirstLine));
  if (!block) throw new Error(`README.md has no block starting with "${recoveryBlockFirstLine}"`);
  return block.text
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((line) => {
      const words = line.split(/\s+/).map((w) => (w === "interrupted.json" ? file : w.replace(/=interrupted\.json$/, `=${file}`)));
      const env: Record<string, string> = {};
      while (/^[A-Z_]+=/.test(words[0])) {
        const [k, v] = words.shift()!.split("=");
        env[k] = v;
      }
      const command = words.shift();
      if (command !== "pulumi" && command !== "rm") throw new Error(`README recovery: unexpected command ${JSON.stringify(line)}`);
      return { env, command, args: words };
    });
}

/**
 * The documented recovery of one stack, README's block as written, then the second `pulumi up --yes`
 * it tells to run when the first did not converge; `record` sees each CLI run (for transcripts and the
 * secrets scan). `--skip-preview` is added to refresh and up (the preview shows nothing a test reads).
 */
export async function recover(
  sandbox: EngineSandbox,
  stack: string,
  program: string,
  env: Record<string, string> = {},
  record: (r: CliResult) => void = () => undefined,
): Promise<Recovery> {
  const steps: string[] = [];
  const runs: CliResult[] = [];
  const run = async (label: string, args: string[], extra: Record<string, string> = {}) => {
    const r = await cli(sandbox, [...args, "--stack", stack], program, { ...env, ...extra });
    record(r);
    runs.push(r);
    steps.push(`${label}: ${r.status === 0 ? "ok" : `exit ${r.status}`}`);
    return r;
  };
  const { last, ups } = await runReadmeRecovery(
    stack,
    program,
    (args, stepEnv) => run([...Object.keys(stepEnv), args.join(" ")].join(" "), args, stepEnv),
    (r) => r.status,
  );
  return { steps, ups, converged: last.status === 0, runs };
}

/**
 * README's recovery block as written (`rm` done here, each `pulumi` command through `run`), then the
 * second `pulumi up --yes` it tells to run when the first did not converge. One loop for the tests'
 * recovery above and the model-based test's (model/world.ts), which run the CLI each their own way.
 */
export async function runReadmeRecovery<R>(
  stack: string,
  program: string,
  run: (args: string[], env: Record<string, string>) => Promise<R>,
  status: (r: R) => number | null,
): Promise<{ last: R; ups: number }> {
  let ups = 0;
  let last: R | undefined;
  for (const step of readmeRecovery(recoveryFile(stack))) {
    if (step.command === "rm") {
      for (const f of step.args) fs.rmSync(path.join(program, f), { force: true });
      continue;
    }
    const r = await run(withSkipPreview(step.args), step.env);
    if (step.args[0] === "up") {
      ups++;
      last = r;
    }
  }
  if (last === undefined) throw new Error("README recovery runs no `pulumi up`");
  if (status(last) !== 0) {
    ups++;
    last = await run(["up", "--yes", "--skip-preview"], {});
  }
  return { last, ups };
}

export const withSkipPreview = (args: string[]) => (args[0] === "up" || args[0] === "refresh" ? [...args, "--skip-preview"] : args);

/** Where the recovery keeps the interrupted stack's checkpoint, relative to the project directory. */
export function recoveryFile(stack: string): string {
  return `interrupted-${stack.replace(/[^\w.-]/g, "_")}.json`;
}
