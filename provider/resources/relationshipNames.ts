/**
 * A GDAP relationship's name on Graph. Graph's page (delegatedAdminRelationship, displayName): "Must
 * be unique across *all* delegated admin relationships of the partner": a terminated or expired
 * relationship keeps its name forever, so a relationship that replaces another cannot take the
 * program's displayName again. The program's displayName stays the input; the name sent to Graph
 * (`serviceDisplayName`) is that name while it is free, else that name with " (2)", " (3)", … (cut
 * to Graph's 50 characters).
 *
 * Names compare ignoring case: Graph's `$filter … eq` on strings ignores case, and its docs give the
 * uniqueness rule no case of its own, so "Case Twin" and "case twin" are one name (chosen; the
 * emulator's search and uniqueness follow the same rule).
 */
import { PartnerCenterError } from "../errors";
import type { DelegatedAdminRelationship } from "../clients/gdapSchemas";
import { context } from "./runtime";

export const sameDisplayName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

const maxLength = 50;
const suffixed = (displayName: string, n: number) => {
  const suffix = ` (${n})`;
  // Graph's 50 are UTF-16 units; a cut never splits a surrogate pair.
  const kept = displayName.slice(0, maxLength - suffix.length).replace(/[\ud800-\udbff]$/, "");
  return `${kept}${suffix}`;
};

/** True when `serviceName` is `displayName` as Graph compares names, or one of its numbered forms. */
export function isNameOf(serviceName: string, displayName: string): boolean {
  if (sameDisplayName(serviceName, displayName)) return true;
  const m = / \((\d+)\)$/.exec(serviceName);
  return !!m && sameDisplayName(serviceName, suffixed(displayName, Number(m[1])));
}

/** Statuses after which a relationship gives nothing: ended, or on its way there (Graph's status values). */
export const endingOrEnded = new Set(["expiring", "expired", "terminationRequested", "terminating", "terminated"]);

/**
 * A name no relationship of the partner has: `displayName` when `taken` (the relationships Graph
 * lists under that name, any status) is empty, else the first free numbered form.
 */
export async function freeName(displayName: string, taken: DelegatedAdminRelationship[]): Promise<string> {
  if (!taken.length) return displayName;
  for (let n = 2; n < 100; n++) {
    const name = suffixed(displayName, n);
    if (!(await context().gdap.listRelationships({ displayName: name })).length) return name;
  }
  throw new PartnerCenterError(
    { operation: `create the delegated admin relationship '${displayName}'` },
    `Could not find a free name for the delegated admin relationship '${displayName}': Graph keeps every name the partner used ("unique across all delegated admin relationships"), and '${displayName}' up to (99) are taken. Give it another displayName.`,
  );
}
