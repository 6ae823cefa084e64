/**
 * One shard's progress, from the engine's events (the Automation API's onEvent): resources done of
 * those declared so far, failures with the customer each names, and the 429s the provider reported.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { throttledMarker } from "../provider/log";

export interface ShardFailure {
  /** The resource that failed; absent for a failure of the whole stack (its program, the engine). */
  urn?: string;
  /** The customer the failed resource is for (its `customerId` input), when it has one. */
  customer?: string;
  message: string;
}

export interface ShardProgress {
  /** Resources the engine has been told of so far (the program may still be declaring more). */
  total: number;
  done: number;
  failed: number;
  throttled429: number;
  failures: ShardFailure[];
  /** The engine's own count per operation (create, same, update, delete, …), once it ends. */
  changes: Record<string, number>;
}

export const newProgress = (): ShardProgress => ({ total: 0, done: 0, failed: 0, throttled429: 0, failures: [], changes: {} });

// The engine's own resources: the stack, and the providers it loads.
const ownType = (type: string) => type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");

// Engine diagnostics carry colour directives (`<{%reset%}>`).
const plain = (text: string) => text.replace(/<\{%[^%]*%\}>/g, "").trim();

/** Feeds one shard's progress from its engine events. */
export function tracker(progress: ShardProgress): (event: EngineEvent) => void {
  const seen = new Set<string>();
  const customerOf = new Map<string, string>();
  const failedUrns = new Set<string>();
  const errorOf = new Map<string, string>();
  return (event) => {
    const pre = event.resourcePreEvent?.metadata;
    if (pre && !ownType(pre.type) && !seen.has(pre.urn)) {
      seen.add(pre.urn);
      progress.total++;
      const customer = pre.new?.inputs?.customerId ?? pre.old?.inputs?.customerId ?? pre.old?.outputs?.customerId;
      if (typeof customer === "string") customerOf.set(pre.urn, customer);
    }
    const out = event.resOutputsEvent?.metadata;
    if (out && !ownType(out.type)) progress.done++;
    const diag = event.diagnosticEvent;
    if (diag) {
      const message = plain(diag.message);
      if (message.includes(throttledMarker)) progress.throttled429 += message.split(throttledMarker).length - 1;
      if (diag.severity === "error") {
        if (diag.urn && !/pulumi:pulumi:Stack::/.test(diag.urn)) {
          errorOf.set(diag.urn, message);
          const known = progress.failures.find((f) => f.urn === diag.urn);
          if (known) known.message = message;
          else if (failedUrns.has(diag.urn)) progress.failures.push({ urn: diag.urn, customer: customerOf.get(diag.urn), message });
        } else if (!/^update failed$|^preview failed$|^refresh failed$|^destroy failed$/.test(message)) {
          // A program's failure comes with its stack trace: its first lines say what failed.
          progress.failures.push({ message: message.split("\n").slice(0, 3).join("\n") });
        }
      }
    }
    const failed = event.resOpFailedEvent?.metadata;
    if (failed && !failedUrns.has(failed.urn)) {
      failedUrns.add(failed.urn);
      progress.failed++;
      progress.failures.push({ urn: failed.urn, customer: customerOf.get(failed.urn), message: errorOf.get(failed.urn) ?? "failed" });
    }
    const summary = event.summaryEvent;
    if (summary) progress.changes = { ...(summary.resourceChanges as Record<string, number>) };
  };
}
