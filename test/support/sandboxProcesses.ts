/**
 * The processes an engine sandbox started (the CLI, the language host, the program, provider
 * plugins), found by the PULUMI_HOME in their environment: each test's sandbox has its own, so no
 * other test's or user's process is ever counted or killed.
 */
import * as fs from "fs";
import { setTimeout as sleep } from "timers/promises";
import type { EngineSandbox } from "./engine";

export interface SandboxProcess {
  pid: number;
  /** Process group: the CLI's pid for the language host and program; a plugin has a group of its own (Pulumi starts plugins with Setpgid). */
  pgid: number;
  ppid: number;
  cmd: string;
}

/** This sandbox's processes still running (zombies left out). */
export function sandboxProcesses(sandbox: EngineSandbox): SandboxProcess[] {
  const marker = `PULUMI_HOME=${sandbox.env.PULUMI_HOME}`;
  const found: SandboxProcess[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(marker)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // After the command name in parentheses (which may hold spaces): state, ppid, pgrp, …
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue;
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      found.push({ pid: Number(entry), pgid: Number(fields[2]), ppid: Number(fields[1]), cmd });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** The processes among `all` that descend from `pid` (its children, theirs, …). */
export function descendantsOf(all: SandboxProcess[], pid: number): SandboxProcess[] {
  const ids = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (ids.has(p.pid) || !ids.has(p.ppid)) continue;
      ids.add(p.pid);
      grew = true;
    }
  }
  return all.filter((p) => p.pid !== pid && ids.has(p.pid));
}

/** Waits (bounded) until no process of the sandbox is left; returns what is still running then. */
export async function waitForNoSandboxProcesses(sandbox: EngineSandbox, timeoutMs = 20_000): Promise<SandboxProcess[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = sandboxProcesses(sandbox);
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(250);
  }
}

/** SIGKILLs these processes (found by {@link sandboxProcesses}: ours, started by the test); one already gone is fine. */
export function killSandboxProcesses(processes: SandboxProcess[]): void {
  for (const p of processes) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
