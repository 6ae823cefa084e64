/**
 * The stack's update history as the backend records it (`pulumi stack history --json`): the one
 * record, on every backend, of what ran on the stack after a given time. The recovery asks it
 * whether a saved checkpoint is still the latest run's (recovery.ts).
 *
 * The provider runs with the CLI's environment and in the project directory, so the `pulumi` on
 * PATH with `--stack <name>` reaches the same backend and stack as the running update. Reading the
 * history takes no lock and decrypts nothing.
 */
import { execFile } from "child_process";
import { z } from "zod";

export interface StackUpdate {
  kind: string;
  startMs: number;
  /** False while the update runs (the backend has not closed it). */
  ended: boolean;
  /** It ended with result "succeeded": every create it ran answered. */
  succeeded?: boolean;
}

const historySchema = z.array(z.object({ kind: z.string(), startTime: z.string(), endTime: z.string().nullish(), result: z.string().nullish() }).loose());

/** The stack's most recent updates, newest first (fifty of them). */
export function stackUpdates(stack: string): Promise<StackUpdate[]> {
  return new Promise((resolve, reject) => {
    execFile(
      "pulumi",
      ["stack", "history", "--json", "--page-size", "50", "--stack", stack, "--non-interactive"],
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`\`pulumi stack history --stack ${stack}\` failed: ${(stderr || err.message).trim().split("\n").pop()}`));
        try {
          const parsed = historySchema.parse(JSON.parse(stdout || "[]"));
          resolve(
            parsed.map((u) => ({
              kind: u.kind,
              startMs: Date.parse(u.startTime),
              ended: Boolean(u.endTime) || Boolean(u.result && u.result !== "in-progress"),
              succeeded: u.result === "succeeded",
            })),
          );
        } catch (parseErr) {
          reject(new Error(`\`pulumi stack history --stack ${stack}\` printed no history: ${(parseErr as Error).message}`));
        }
      },
    );
  });
}
