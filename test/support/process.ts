/**
 * The one way tests and the harness start a process: stdin closed, stdout and stderr collected (and
 * passed to `onOutput` as they come), an optional bound on its time, and, for a process started
 * detached, signals to its whole process group (the Pulumi CLI's language host, program and provider
 * plugins, or an emulator a script left running).
 */
import { spawn, type ChildProcess } from "child_process";

export interface ProcessResult {
  /** The exit code; -1 when a signal ended it. */
  status: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they came. */
  output: string;
  ms: number;
}

export interface StartedProcess {
  child: ChildProcess;
  done: Promise<ProcessResult>;
}

export interface ProcessOptions {
  cwd?: string;
  /** The whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Its own process group, so that killGroup reaches everything it starts. */
  detached?: boolean;
  onOutput?: (text: string) => void;
  /** SIGKILL (to the group, when detached) after this long. */
  timeoutMs?: number;
  /**
   * "close" (default): done once its output has ended too. "exit": as soon as it exits, for a script
   * that leaves a background process holding the pipes.
   */
  endOn?: "close" | "exit";
}

export function startProcess(command: string, args: string[], opts: ProcessOptions = {}): StartedProcess {
  const started = Date.now();
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, detached: opts.detached, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let output = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
    output += c.toString();
    opts.onOutput?.(c.toString());
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
    output += c.toString();
    opts.onOutput?.(c.toString());
  });
  const timer =
    opts.timeoutMs === undefined ? undefined : setTimeout(() => (opts.detached ? killGroup(child, "SIGKILL") : child.kill("SIGKILL")), opts.timeoutMs);
  const done = new Promise<ProcessResult>((resolve, reject) => {
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on(opts.endOn ?? "close", (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, signal, stdout, stderr, output, ms: Date.now() - started });
    });
  });
  return { child, done };
}

/** Runs a process to its end. */
export function runProcess(command: string, args: string[], opts: ProcessOptions = {}): Promise<ProcessResult> {
  return startProcess(command, args, opts).done;
}

/** Signals the process group of a process started detached. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
