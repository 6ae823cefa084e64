/**
 * Runs the real Pulumi CLI for the benchmark (asynchronously: the emulator answers from this same
 * process) and, while it runs, samples the resident memory of the dynamic-provider process it starts.
 */
import { execFile, spawn } from "child_process";
import * as path from "path";
import { pulumiBinDir, type EngineSandbox } from "../test/support/engine";

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  startMs: number;
  endMs: number;
  wallMs: number;
  /** Highest RSS seen of one dynamic-provider process started by this run (KiB); 0 when none was seen. */
  peakProviderRssKb: number;
  /** How many `ps` samples saw a provider process. */
  providerSamples: number;
}

interface PsRow {
  pid: number;
  ppid: number;
  rssKb: number;
  args: string;
}

function ps(): Promise<PsRow[]> {
  return new Promise((resolve) => {
    execFile("ps", ["-ww", "-eo", "pid=,ppid=,rss=,args="], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return resolve([]);
      const rows: PsRow[] = [];
      for (const line of stdout.split("\n")) {
        const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
        if (m) rows.push({ pid: Number(m[1]), ppid: Number(m[2]), rssKb: Number(m[3]), args: m[4] });
      }
      resolve(rows);
    });
  });
}

/** Dynamic-provider processes among the descendants of `root` (never another user's or test's run). */
function providerProcesses(rows: PsRow[], root: number): PsRow[] {
  const children = new Map<number, PsRow[]>();
  for (const r of rows) {
    const list = children.get(r.ppid) ?? [];
    list.push(r);
    children.set(r.ppid, list);
  }
  const found: PsRow[] = [];
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    for (const child of children.get(pid) ?? []) {
      if (child.args.includes("cmd/dynamic-provider")) found.push(child);
      stack.push(child.pid);
    }
  }
  return found;
}

/** `pulumi <args>` in `cwd` with the sandbox's offline settings; polls `ps` every `pollMs`. */
export function runCli(sandbox: EngineSandbox, args: string[], cwd: string, pollMs = 200): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const startMs = Date.now();
    const child = spawn(path.join(pulumiBinDir(), "pulumi"), ["--non-interactive", ...args], {
      cwd,
      env: { ...process.env, ...sandbox.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let peak = 0;
    let samples = 0;
    let polling = false;
    const timer = setInterval(() => {
      if (polling || child.pid === undefined) return;
      polling = true;
      void ps()
        .then((rows) => {
          const providers = providerProcesses(rows, child.pid!);
          if (providers.length) samples++;
          for (const p of providers) peak = Math.max(peak, p.rssKb);
        })
        .finally(() => (polling = false));
    }, pollMs);
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearInterval(timer);
      const endMs = Date.now();
      resolve({ status: code ?? -1, stdout, stderr, startMs, endMs, wallMs: endMs - startMs, peakProviderRssKb: peak, providerSamples: samples });
    });
  });
}
