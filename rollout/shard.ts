/**
 * One shard of one wave: its stack's preview, up, refresh or destroy through the Automation API, with
 * README "Recovering after an interrupted run" first when the stack shows a killed run (a lock whose
 * process is gone, or creates the engine never saw finish). A lock held by a live run is left alone:
 * the shard is reported as locked, and nothing of it runs.
 */
import * as fs from "fs";
import { ConcurrentUpdateError, LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import type { Shard } from "../sdk/rollout";
import type { RolloutCommand } from "./plan";
import { tracker, type ShardProgress } from "./events";
import { describeLocks, leftByKilledRun, locksIn } from "./locks";
import { leftover, pendingOf, recoveryFile, writeRecoveryFile, type RecoveryOwner } from "./recoveryFile";

export type ShardStatus = "succeeded" | "failed" | "locked" | "interrupted";

export interface ShardRun {
  wave: string;
  shard: Shard;
  stack: Stack;
  progress: ShardProgress;
  status?: ShardStatus;
  /** Why it is locked or interrupted. */
  note?: string;
  /** README's recovery ran before the command. */
  recovered: boolean;
  wallMs: number;
}

export interface ShardOptions {
  command: RolloutCommand;
  dir: string;
  parallel?: number;
  previewOnly?: boolean;
  envVars: Record<string, string>;
  backend: string;
  warn: (message: string) => void;
}

const brief = (err: unknown) => {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text.split("\n").filter((l) => /error:/i.test(l));
  return (lines.length ? lines.slice(0, 5).join("\n") : text.slice(-1500)).trim();
};

export async function runShard(run: ShardRun, o: ShardOptions): Promise<void> {
  const started = Date.now();
  const onEvent = tracker(run.progress);
  const name = run.stack.name;
  const owner: RecoveryOwner = { project: (await run.stack.workspace.projectSettings()).name, stack: name, backend: o.backend };
  const file = recoveryFile(o.dir, name);
  const mutates = o.command === "up" || o.command === "destroy";
  let cancelled = false;
  try {
    for (;;) {
      try {
        await attempt();
        break;
      } catch (err) {
        if (err instanceof Interrupted) return;
        if (!(err instanceof ConcurrentUpdateError)) throw err;
        const locks = locksIn(err.message);
        if (!leftByKilledRun(locks) || cancelled) {
          run.status = "locked";
          run.note = `locked by ${describeLocks(locks)}: left to that run`;
          return;
        }
        if (!mutates) {
          run.status = "interrupted";
          run.note = `a killed run left it locked (${describeLocks(locks)}): \`partnercenter-rollout up\` recovers it`;
          return;
        }
        // README step 1: the lock's CLI is gone; its plugins end by themselves within seconds.
        o.warn(`${name}: a killed run left the stack locked (${describeLocks(locks)}): pulumi cancel, then README's recovery if it left creates unfinished`);
        await run.stack.cancel();
        cancelled = true;
      }
    }
    run.status = run.progress.failures.length ? "failed" : "succeeded";
  } catch (err) {
    run.status = "failed";
    if (run.progress.failures.length === 0) run.progress.failures.push({ message: brief(err) });
  } finally {
    run.wallMs = Date.now() - started;
  }

  async function attempt(): Promise<void> {
    const state = await run.stack.exportStack();
    const pending = pendingOf(state);
    const earlier = leftover(file, owner);
    if (earlier.warning) o.warn(earlier.warning);
    const interrupted = pending.length > 0 || earlier.pending.length > 0;
    if (interrupted && !mutates) {
      run.status = "interrupted";
      run.note = `${pending.length} operation(s) a killed run left unfinished: \`partnercenter-rollout up\` recovers them`;
      throw new Interrupted();
    }
    let target = run.stack;
    if (interrupted) {
      writeRecoveryFile(file, state, earlier.pending, owner);
      try {
        await run.stack.refresh({ clearPendingCreates: true, color: "never" });
      } catch (err) {
        if (err instanceof ConcurrentUpdateError && earlier.pending.length === 0 && !cancelled) fs.rmSync(file, { force: true });
        throw err;
      }
      run.recovered = true;
      // The recovery's `up` alone reads the file: a workspace of its own, with PARTNERCENTER_RECOVER_FROM.
      target = await LocalWorkspace.selectStack({ stackName: name, workDir: o.dir }, { envVars: { ...o.envVars, PARTNERCENTER_RECOVER_FROM: file } });
      if (o.command === "destroy") {
        // Finish only the unfinished creates (so that destroy finds what they made), then destroy.
        const creates = [...earlier.pending, ...pending].filter((p) => p.type === "creating").map((p) => (p.resource as { urn: string }).urn);
        if (creates.length) await target.up({ target: creates, continueOnError: true, color: "never", parallel: o.parallel });
        fs.rmSync(file, { force: true });
        target = run.stack;
      }
    }
    const common = { onEvent, color: "never" as const, parallel: o.parallel };
    switch (o.command) {
      case "preview":
        await target.preview(common);
        break;
      case "up":
        try {
          await target.up({ ...common, continueOnError: true });
        } finally {
          if (interrupted) fs.rmSync(file, { force: true });
        }
        break;
      case "refresh":
        await (o.previewOnly ? target.previewRefresh(common) : target.refresh(common));
        break;
      case "destroy":
        await target.destroy({ ...common, continueOnError: true });
        break;
    }
  }
}

/** The stack shows a killed run, and the command is one that must not change anything to recover it. */
class Interrupted extends Error {}
