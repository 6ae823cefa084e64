/**
 * README "Recovering after an interrupted run", as the tests run it, in one place: wait until the
 * killed run's processes are gone, release the lock, forget the creates that never finished, then at
 * most two `pulumi up`: the first with PARTNERCENTER_ADOPT_MATCHING=true (what the interrupted run
 * made matches the program exactly, so it is taken back) and --continue-on-error (so every object
 * that needs `adopt: true` is named at once), a second only when the first did not converge.
 */
import * as fs from "fs";
import type { EngineSandbox } from "../support/engine";
import { cli, CliResult, sleep } from "./common";

/** Processes started for this sandbox (CLI, language host, program, provider plugins) that still run. */
export function leftoverProcesses(sandbox: EngineSandbox): { pid: number; cmd: string }[] {
  const home = `PULUMI_HOME=${sandbox.env.PULUMI_HOME}`;
  const found: { pid: number; cmd: string }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (!environ.includes(home)) continue;
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      const state = fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.[0];
      if (state !== "Z") found.push({ pid: Number(entry), cmd });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Waits (bounded) until no process of the sandbox is left; returns what is still running then. */
export async function waitForNoLeftovers(sandbox: EngineSandbox, timeoutMs = 20_000): Promise<{ pid: number; cmd: string }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = leftoverProcesses(sandbox);
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(250);
  }
}

export interface Recovery {
  steps: string[];
  /** `pulumi up` runs it took (1 or 2); converged says whether the last one succeeded. */
  ups: number;
  converged: boolean;
  runs: CliResult[];
}

/** The documented recovery of one stack; `record` sees each CLI run (for transcripts and the secrets scan). */
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
  await run("cancel", ["cancel", "--yes"]);
  await run("refresh --clear-pending-creates", ["refresh", "--yes", "--clear-pending-creates", "--skip-preview"]);
  let ups = 1;
  let up = await run("up (adoptMatching, continue-on-error)", ["up", "--yes", "--skip-preview", "--continue-on-error"], { PARTNERCENTER_ADOPT_MATCHING: "true" });
  if (up.status !== 0) {
    ups++;
    up = await run("up", ["up", "--yes", "--skip-preview"]);
  }
  return { steps, ups, converged: up.status === 0, runs };
}
