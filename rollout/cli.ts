#!/usr/bin/env node
/** partnercenter-rollout: see `partnercenter-rollout --help` and README "Rollout runner". */
import { matrix, parseCommandLine, rollout, UsageError } from "./index";
import { usage } from "./plan";

async function main(): Promise<number> {
  const parsed = parseCommandLine(process.argv.slice(2));
  if (parsed.kind === "help") {
    console.log(usage);
    return 0;
  }
  if (parsed.kind === "matrix") {
    console.log(JSON.stringify(matrix(parsed.shards)));
    return 0;
  }
  const { kind: _, ...options } = parsed;
  const summary = await rollout(options);
  const failed = summary.waves.flatMap((w) => w.shards.flatMap((s) => s.failures.map((f) => ({ ...f, stack: s.stack }))));
  for (const f of failed.slice(0, 20))
    console.error(`failed: ${f.stack}${f.customer ? ` customer ${f.customer}` : ""}${f.urn ? ` ${f.urn.split("::").pop()}` : ""}: ${f.message}`);
  if (failed.length > 20) console.error(`… and ${failed.length - 20} more (see --summary)`);
  console.log(
    `${summary.command}: ${summary.result}${summary.stoppedBecause ? ` (stopped: ${summary.stoppedBecause})` : ""} in ${(summary.wallMs / 1000).toFixed(1)} s`,
  );
  return summary.result === "succeeded" ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(
      err instanceof UsageError
        ? `partnercenter-rollout: ${err.message}\n\n${"Run partnercenter-rollout --help for the options."}`
        : `partnercenter-rollout failed: ${err.stack ?? err}`,
    );
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
