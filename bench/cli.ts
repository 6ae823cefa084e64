/**
 * Runs the real Pulumi CLI for the benchmark (asynchronously: the emulator answers from this same
 * process) and, while it runs, samples the resident memory of the dynamic-provider process it starts.
 */
import * as fs from "fs";
import * as path from "path";
import { startPulumi, type EngineSandbox } from "../test/support/engine";
import { runProcess } from "../test/support/process";

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  startMs: number;
  endMs: number;
  wallMs: number;
  /** Highest RSS seen of one provider process (dynamic or native) started by this run (KiB); 0 when none was seen. */
  peakProviderRssKb: number;
  /** How many process samples saw a provider process. */
  providerSamples: number;
  /** CPU seconds of this run's processes, as the last sample saw them (so slightly low), to a hundredth. */
  cpuSeconds: CpuSeconds;
}

export interface CpuSeconds {
  /** The `pulumi` CLI: the engine, its checkpoints. */
  engine: number;
  /** The Node.js program (@pulumi/pulumi/cmd/run). */
  program: number;
  /** The provider process (dynamic-provider host or native plugin): our client. */
  provider: number;
  /** The language host and anything else the CLI started. */
  other: number;
}

export interface PsRow {
  pid: number;
  ppid: number;
  rssKb: number;
  cpuSeconds: number;
  args: string;
}

/**
 * Every process, read from /proc where there is one: forking `ps` five times a second cost the
 * process that also hosts the emulator over a CPU second per minute (ChildProcess.spawn in its
 * profile), on the same two cores as the runs it measures.
 */
async function ps(): Promise<PsRow[]> {
  return fs.existsSync("/proc/self/stat") ? procRows() : psRows();
}

/** USER_HZ, the unit of /proc's CPU times: 100 on every Linux build we run on. */
const clockTicksPerSecond = 100;
const pageKb = 4;
/** Command lines by "pid start-time" (a pid is reused only by a process started later). */
const cmdlines = new Map<string, string>();

/** The rows `ps -eo pid,ppid,rss,times,args` gives, from /proc/<pid>/stat and cmdline (a zombie as ps shows it: `[comm] <defunct>`). */
export function procRows(procDir = "/proc"): PsRow[] {
  const rows: PsRow[] = [];
  const seen = new Set<string>();
  for (const name of fs.readdirSync(procDir)) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(path.join(procDir, name, "stat"), "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after its last ")".
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const f = stat.slice(close + 2).split(" ");
    const [state, ppid, utime, stime, startTime, rssPages] = [f[0], f[1], f[11], f[12], f[19], f[21]];
    const key = `${name} ${startTime}`;
    seen.add(key);
    let args = state === "Z" ? `[${comm}] <defunct>` : cmdlines.get(key);
    if (args === undefined) {
      try {
        args =
          fs
            .readFileSync(path.join(procDir, name, "cmdline"), "utf8")
            .replace(/\0+$/, "")
            .split("\0")
            .join(" ") || `[${comm}]`;
      } catch {
        continue;
      }
      cmdlines.set(key, args);
    }
    rows.push({
      pid: Number(name),
      ppid: Number(ppid),
      rssKb: Number(rssPages) * pageKb,
      cpuSeconds: (Number(utime) + Number(stime)) / clockTicksPerSecond,
      args,
    });
  }
  // Forget the processes that have exited: a full bench run starts thousands.
  for (const key of cmdlines.keys()) if (!seen.has(key)) cmdlines.delete(key);
  return rows;
}

async function psRows(): Promise<PsRow[]> {
  const res = await runProcess("ps", ["-ww", "-eo", "pid=,ppid=,rss=,times=,args="]).catch(() => undefined);
  if (!res || res.status !== 0) return [];
  const rows: PsRow[] = [];
  for (const line of res.stdout.split("\n")) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (m) rows.push({ pid: Number(m[1]), ppid: Number(m[2]), rssKb: Number(m[3]), cpuSeconds: Number(m[4]), args: m[5] });
  }
  return rows;
}

/** `root` and its descendants (never another user's or test's run). */
function processTree(rows: PsRow[], root: number): PsRow[] {
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
      found.push(child);
      stack.push(child.pid);
    }
  }
  return [...rows.filter((r) => r.pid === root), ...found];
}

/** Our provider: the dynamic-provider host, or the native plugin (its wrapper execs node on dist/provider/native/main.js). */
const isProvider = (r: PsRow) => r.args.includes("cmd/dynamic-provider") || r.args.includes("provider/native/main.js");

function kindOf(r: PsRow, root: number): keyof CpuSeconds {
  if (r.pid === root) return "engine";
  if (isProvider(r)) return "provider";
  if (r.args.includes("cmd/run")) return "program";
  return "other";
}

/**
 * Adds one sample (see `ps`) of a run's process tree to the CPU seconds by process. A process keeps the
 * kind it was first recognised as: a program or provider that has exited but is not yet reaped shows
 * as `[node] <defunct>`, and a provider's shell wrapper shows as `/bin/sh …` until it execs node.
 */
export function recordCpu(cpuByPid: Map<number, { kind: keyof CpuSeconds; seconds: number }>, tree: PsRow[], root: number): void {
  for (const p of tree) {
    const known = cpuByPid.get(p.pid)?.kind;
    cpuByPid.set(p.pid, { kind: known && known !== "other" ? known : kindOf(p, root), seconds: p.cpuSeconds });
  }
}

/** Another CLI than the default (its bin directory, see scripts/ensure-pulumi.sh) and environment on top of the sandbox's. */
export interface CliVariant {
  bin?: string;
  env?: Record<string, string>;
}

/**
 * One process sample every 200 ms for every run in flight: stacks side by side share it, so that four of them
 * do not read /proc twenty times a second in the process that also serves as their emulator.
 */
const pollMs = 200;
const samplers = new Set<(rows: PsRow[]) => void>();
let pollTimer: NodeJS.Timeout | undefined;
let polling = false;

function sampleWhileRunning(onSample: (rows: PsRow[]) => void): () => void {
  samplers.add(onSample);
  pollTimer ??= setInterval(() => {
    if (polling) return;
    polling = true;
    void ps()
      .then((rows) => samplers.forEach((sample) => sample(rows)))
      .finally(() => (polling = false));
  }, pollMs);
  return () => {
    samplers.delete(onSample);
    if (samplers.size === 0) {
      clearInterval(pollTimer);
      pollTimer = undefined;
    }
  };
}

/** `pulumi <args>` in `cwd` with the sandbox's offline settings; samples its processes while it runs. */
export async function runCli(sandbox: EngineSandbox, args: string[], cwd: string, variant: CliVariant = {}): Promise<CliRun> {
  const startMs = Date.now();
  const { child, done } = startPulumi(sandbox, args, cwd, { bin: variant.bin, env: variant.env });
  let peak = 0;
  let samples = 0;
  const cpuByPid = new Map<number, { kind: keyof CpuSeconds; seconds: number }>();
  const stopSampling = sampleWhileRunning((rows) => {
    if (child.pid === undefined) return;
    const tree = processTree(rows, child.pid);
    const providers = tree.filter(isProvider);
    if (providers.length) samples++;
    for (const p of providers) peak = Math.max(peak, p.rssKb);
    recordCpu(cpuByPid, tree, child.pid);
  });
  try {
    const { status, stdout, stderr } = await done;
    const endMs = Date.now();
    const cpuSeconds: CpuSeconds = { engine: 0, program: 0, provider: 0, other: 0 };
    for (const { kind, seconds } of cpuByPid.values()) cpuSeconds[kind] += seconds;
    for (const kind of Object.keys(cpuSeconds) as (keyof CpuSeconds)[]) cpuSeconds[kind] = Math.round(cpuSeconds[kind] * 100) / 100;
    return { status, stdout, stderr, startMs, endMs, wallMs: endMs - startMs, peakProviderRssKb: peak, providerSamples: samples, cpuSeconds };
  } finally {
    stopSampling();
  }
}
