/**
 * Whether the lock that keeps a stack from this run is a live run's or one a killed run left behind.
 * A self-managed backend names each lock's holder in its refusal (`created by user@host (pid N) at
 * …`); a lock from this host whose process is gone is a killed run's. A lock from another host, or
 * from a backend that names no holder (Pulumi Cloud), is taken as live: only its owner can tell.
 */
import * as fs from "fs";
import * as os from "os";

export interface StackLock {
  user: string;
  host: string;
  pid: number;
  since: string;
}

/** The holders a refusal names (none for a backend that names none). */
export function locksIn(message: string): StackLock[] {
  const found = new Map<string, StackLock>();
  // The Automation API's error repeats the CLI's stderr: each lock once.
  for (const m of message.matchAll(/created by (.*?)@(\S+) \(pid (\d+)\) at (\S+)/g))
    found.set(m[0], { user: m[1], host: m[2], pid: Number(m[3]), since: m[4] });
  return [...found.values()];
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // A pid taken again by some other program since: the lock's CLI is gone.
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("pulumi");
  } catch {
    return true; // no /proc here: alive is all we know
  }
}

/** Every lock the refusal names is from this host and its process is gone. */
export function leftByKilledRun(locks: StackLock[]): boolean {
  return locks.length > 0 && locks.every((l) => l.host === os.hostname() && !running(l.pid));
}

export const describeLocks = (locks: StackLock[]) =>
  locks.length ? locks.map((l) => `${l.user}@${l.host} (pid ${l.pid}) since ${l.since}`).join(", ") : "another update (the backend names no holder)";
