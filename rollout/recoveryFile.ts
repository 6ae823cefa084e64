/**
 * The one file the runner keeps of its own: a shard's saved checkpoint for README's recovery
 * (`pulumi stack export` before `pulumi refresh --clear-pending-creates`), kept until the recovery's
 * `up` has run, so that a runner killed between the two still has the creates to finish. It names its
 * project, stack and backend, and is used only for them: a file left by another stack or backend is
 * not this stack's record. When one is left over and the stack shows unfinished creates again (a
 * killed recovery), both are kept: the older first, as those creates were sent with its ids.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import type { Deployment } from "@pulumi/pulumi/automation";

const ownerSchema = z.object({ project: z.string(), stack: z.string(), backend: z.string() });
export type RecoveryOwner = z.infer<typeof ownerSchema>;

const fileSchema = z.object({
  version: z.number(),
  deployment: z.object({ pending_operations: z.array(z.object({ type: z.string() }).passthrough()).nullish() }).passthrough(),
  partnercenterRollout: ownerSchema,
});

export const recoveryDir = (dir: string) => path.join(dir, ".partnercenter-rollout");
export const recoveryFile = (dir: string, stack: string) => path.join(recoveryDir(dir), `${stack}.interrupted.json`);

export type Pending = { type: string } & Record<string, unknown>;
export const pendingOf = (state: Deployment): Pending[] => (state.deployment?.pending_operations ?? []) as Pending[];

/** The leftover file's unfinished operations when it is this stack's; a warning when one is there but not. */
export function leftover(file: string, owner: RecoveryOwner): { pending: Pending[]; warning?: string } {
  if (!fs.existsSync(file)) return { pending: [] };
  let parsed;
  try {
    parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) return { pending: [], warning: `${file} is not a recovery file of partnercenter-rollout: ignored, and replaced` };
  const o = parsed.data.partnercenterRollout;
  if (o.project !== owner.project || o.stack !== owner.stack || o.backend !== owner.backend) {
    return { pending: [], warning: `${file} is of stack ${o.project}/${o.stack} on ${o.backend}, not this one: ignored, and replaced` };
  }
  return { pending: (parsed.data.deployment.pending_operations ?? []) as Pending[] };
}

/** Writes the file the recovery's `up` reads (PARTNERCENTER_RECOVER_FROM): the checkpoint with every unfinished create. */
export function writeRecoveryFile(file: string, state: Deployment, earlier: Pending[], owner: RecoveryOwner): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const pending = [...earlier, ...pendingOf(state)];
  const body = { ...state, deployment: { ...state.deployment, pending_operations: pending }, partnercenterRollout: owner };
  fs.writeFileSync(file, JSON.stringify(body), { mode: 0o600 });
}
