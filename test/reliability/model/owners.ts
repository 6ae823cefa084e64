/**
 * Which of the model's objects two stacks' states both hold, and whether one of the two took it with
 * `adopt: true`. README "Who owns what" and "Known limits": an object is taken over only when told,
 * and two stacks that hold one object both own it, so either one's run may change it and either one's
 * `destroy` (or a replacement, or a program that stops declaring it) deletes it. The model holds the
 * programs to that and no more:
 * - second owner (checkAfterRun): an object in both states is a violation unless one adopted it;
 * - deleted though declared (invariants.ts, gdapInvariants.ts): an object another stack declares may
 *   be lost through a run of a stack that held it too, adopted, before that run; by no other run;
 * - a run of one owner is an out-of-band change for the other (runAndCheck marks it drifted).
 */
import { stackLabel } from "./model";

type Deployment = { resources?: any[] };
export type OwnedKind = "user" | "consent" | "relationship" | "access assignment" | "membership";

const kinds: Record<string, OwnedKind> = {
  CustomerUser: "user",
  ApplicationConsent: "consent",
  DelegatedAdminRelationship: "relationship",
  DelegatedAdminAccessAssignment: "access assignment",
  CustomerUserRoleAssignment: "membership",
};
const kindOf = (r: any): OwnedKind | undefined => kinds[String(r.type).slice(String(r.type).lastIndexOf(":") + 1)];
const logicalName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** A membership as the service knows it: `${customerId}/${roleId}/${userId}` (its resource id), GUIDs compared ignoring case. */
export const memberKey = (r: any) => `${r.outputs?.customerId}/${String(r.outputs?.roleId).toLowerCase()}/${String(r.outputs?.userId).toLowerCase()}`;

/**
 * The service object a state's resource stands for, as `${kind} ${key}`: what two states meet on. A
 * consent is its customer's (one per application and customer, and the model has one application).
 */
export function ownedId(r: any): string | undefined {
  const kind = kindOf(r);
  if (!kind) return undefined;
  const key = kind === "consent" ? r.outputs?.customerId : kind === "membership" ? memberKey(r) : r.id;
  return `${kind} ${key}`;
}

/** adopt: true in the state (the inputs the engine recorded, or the outputs). */
export const adoptedIn = (r: any) => r.outputs?.adopt === true || r.inputs?.adopt === true;

export interface Shared {
  kind: OwnedKind;
  /** `${kind} ${key}` (ownedId) */
  id: string;
  /** its logical name in each of the two states */
  names: [string, string];
  adopted: boolean;
  /** what a person reads: a user's UPN, or nothing more than the id */
  label: string;
}

/** The objects both states hold. */
export function sharedObjects(a: Deployment, b: Deployment): Shared[] {
  const theirs = new Map<string, any>();
  for (const r of b?.resources ?? []) {
    const id = ownedId(r);
    if (id) theirs.set(id, r);
  }
  const out: Shared[] = [];
  for (const r of a?.resources ?? []) {
    const id = ownedId(r);
    const other = id && theirs.get(id);
    if (!id || !other) continue;
    const upn = r.outputs?.userPrincipalName;
    out.push({
      kind: kindOf(r)!,
      id,
      names: [logicalName(r.urn), logicalName(other.urn)],
      adopted: adoptedIn(r) || adoptedIn(other),
      label: upn ? `${id} (${upn})` : id,
    });
  }
  return out;
}

/** The objects both states hold with one of them having adopted it: shared on purpose. */
export const sharedByAdoption = (a: Deployment, b: Deployment) =>
  new Set(
    sharedObjects(a, b)
      .filter((x) => x.adopted)
      .map((x) => x.id),
  );

/** Stack `t`'s resources in `deployments` (before a run of stack `s`), less those the two shared by adoption: the ones no run of `s` may delete. */
export function heldUnshared(deployments: Deployment[], s: number, t: number): any[] {
  const shared = sharedByAdoption(deployments[s], deployments[t]);
  return (deployments[t]?.resources ?? []).filter((r) => !shared.has(ownedId(r) ?? ""));
}

/** One owner per object unless a stack adopted it explicitly (adopt: true): two stacks managing one object fight over it. */
export function secondOwners(deployments: Deployment[]): string[] {
  return sharedObjects(deployments[0], deployments[1])
    .filter((x) => !x.adopted)
    .map(
      (x) =>
        `${x.label} is in the states of both stacks (${stackLabel(0)}: ${x.names[0]}, ${stackLabel(1)}: ${x.names[1]}) and neither adopted it: one took the other's over without saying so`,
    );
}

/**
 * After a run of stack `s` that may have changed the service: the other stack's state may be stale
 * for every object the two shared before or after it (either owner's run changes or deletes it), so
 * that stack counts as drifted until its next refresh. Each object this run made shared by adoption
 * is counted in the totals (`adopted <kind>`), to show which kinds the sequences really adopted.
 */
export function sharedOwnersAfterRun(w: { drifted: Set<number>; count(kind: string): void }, s: number, before: Deployment[], after: Deployment[]): void {
  for (let t = 0; t < after.length; t++) {
    if (t === s) continue;
    const was = sharedObjects(before[s], before[t]);
    const now = sharedObjects(after[s], after[t]);
    if (was.length || now.length) w.drifted.add(t);
    for (const x of now) if (x.adopted && !was.some((y) => y.id === x.id)) w.count(`adopted ${x.kind}`);
  }
}
