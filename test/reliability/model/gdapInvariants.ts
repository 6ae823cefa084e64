/**
 * The model-based test's invariants for GDAP (issue 18), checked by invariants.ts after every run:
 * - the service holds what the programs declare once it can: a relationship with the declared
 *   name, customer, roles and auto-extension (approvalPending or active), an access assignment with
 *   the declared roles on the stack's relationship, a membership of the stack's user;
 * - a stack's state matches the service, the relationship's status included (so a refresh shows
 *   approval, expiry and termination);
 * - no second live relationship for one declaration, no orphan, nothing deleted that another stack
 *   declares unless the two shared it by adopt: true (owners.ts, which also checks that no object is
 *   in two stacks' states without adopt);
 * - what must fail fails: an access assignment whose relationship is not active cannot be made
 *   (Graph answers 400; the provider says so before sending), so an `up` that has to create one on
 *   a relationship that is not active, before or after the run, cannot succeed.
 *
 * Expectations come from the service as it was before the run and the program, not from a model of
 * Graph's lifecycle: approval, expiry and termination are the customer's and the clock's.
 */
import { builtInRoles } from "../../../provider/clients/builtInRoles";
import { directoryRoleId } from "../../../emulator/partnercenter/directoryRoles";
import {
  autoExtendDurationOf,
  Decl,
  GdapDecl,
  memberRoleName,
  Model,
  partnerGroupIds,
  RelationshipDecl,
  relationshipDisplayName,
  relationshipDuration,
  relationshipName,
  relationshipRoleVariants,
  accessRoleVariants,
  stackLabel,
  userName,
} from "./model";
import { heldUnshared, memberKey } from "./owners";
import type { World } from "./world";

/** What the emulator's admin API says of GDAP: relationships with their assignments, roles held, role members. */
export interface GdapView {
  relationships: any[];
  heldRoles: Record<string, string[]>;
  roleMembers: Record<string, Record<string, string[]>>;
}

type Deployment = { resources: any[] };
export interface GdapSnapshot {
  inventory: any;
  gdap: GdapView;
  deployments: Deployment[];
}

const liveStatuses = new Set(["created", "approvalPending", "active"]);
const endingStatuses = new Set(["terminationRequested", "terminating", "terminated"]);
const ofType = (d: Deployment, t: string) => (d?.resources ?? []).filter((r) => String(r.type).endsWith(`:${t}`));
export const stateRelationships = (d: Deployment) => ofType(d, "DelegatedAdminRelationship");
export const stateAccess = (d: Deployment) => ofType(d, "DelegatedAdminAccessAssignment");
export const stateMembers = (d: Deployment) => ofType(d, "CustomerUserRoleAssignment");
export const stateGdap = (d: Deployment) => [...stateRelationships(d), ...stateAccess(d), ...stateMembers(d)];
const logicalName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
const byName = (rs: any[], name: string) => rs.find((r) => logicalName(r.urn) === name);
const roleIds = (names: readonly string[]) =>
  names
    .map((n) => builtInRoles[n as keyof typeof builtInRoles])
    .sort()
    .join(",");
const sortedIds = (ids: string[] = []) =>
  ids
    .map((x) => x.toLowerCase())
    .sort()
    .join(",");
const liveRoles = (x: any) => sortedIds((x?.accessDetails?.unifiedRoles ?? []).map((u: any) => u.roleDefinitionId));
const isGdap = (d: Decl): d is GdapDecl => d.kind === "relationship" || d.kind === "access" || d.kind === "roleMember";

/** The model's relationships (displayName `Model …`, one of the sequence's customers). */
function modelRelationships(world: World, gdap: GdapView): any[] {
  const ids = new Set(world.customers.map((c) => c.id.toLowerCase()));
  return (gdap.relationships ?? []).filter((r) => /^Model /.test(r.displayName) && ids.has(String(r.customer?.tenantId).toLowerCase()));
}

const relationshipById = (gdap: GdapView, id: string | undefined) => (gdap.relationships ?? []).find((r) => r.id === id);
const assignmentOf = (gdap: GdapView, relationshipId: string | undefined, assignmentId: string | undefined) =>
  relationshipById(gdap, relationshipId)?.accessAssignments?.find((a: any) => a.id === assignmentId);
const assignmentLive = (a: any) => !!a && a.status !== "deleted" && a.status !== "deleting";

/** The active model users' memberships: `${customerId}/${roleId}/${userId}`, the membership resource's id. */
function modelMemberships(world: World, snap: GdapSnapshot): Set<string> {
  const out = new Set<string>();
  for (const c of world.customers) {
    const customer = customersOf(snap.inventory).find((x: any) => x.id === c.id);
    const modelUsers = new Set(
      ((customer?.users ?? []) as any[]).filter((u) => /\.model@/i.test(u.userPrincipalName) && u.state === "active").map((u) => u.id),
    );
    for (const [roleId, userIds] of Object.entries(snap.gdap.roleMembers?.[c.id] ?? {}))
      for (const u of userIds) if (modelUsers.has(u)) out.add(`${c.id}/${roleId}/${u}`);
  }
  return out;
}
const customersOf = (inv: any): any[] => (Array.isArray(inv.customers) ? inv.customers : Object.values(inv.customers ?? {}));
const activeUser = (snap: GdapSnapshot, customerId: string, userId: string) =>
  customersOf(snap.inventory)
    .find((c) => c.id === customerId)
    ?.users?.some((u: any) => u.id === userId && u.state === "active") === true;

/** Whether the partner may read and change directory role members in a customer (emulator: seed roles plus active GDAP access). */
const mayManageRoles = (gdap: GdapView, customerId: string) =>
  (gdap.heldRoles?.[customerId] ?? []).some((r) => r === "Privileged Role Administrator" || r === "Global Administrator");

/** What adopt: true takes of a locked relationship with the program's name: one with the program's customer, duration, auto-extension and roles. */
const relationshipMatches = (r: any, d: RelationshipDecl, customerId: string) =>
  String(r.customer?.tenantId).toLowerCase() === customerId.toLowerCase() &&
  r.duration === relationshipDuration &&
  r.autoExtendDuration === autoExtendDurationOf(d) &&
  liveRoles(r) === roleIds(relationshipRoleVariants[d.roles]);

/** Why a run of stack `s` may fail because of GDAP, from the program and the service before the run. */
export function gdapExpectedTrouble(world: World, model: Model, s: number, before: GdapSnapshot): string[] {
  const reasons: string[] = [];
  const mine = before.deployments[s];
  const rels = modelRelationships(world, before.gdap);
  for (const [name, d] of Object.entries(model.stacks[s].resources)) {
    if (!isGdap(d)) continue;
    const customerId = world.customers[d.customer].id;
    if (d.kind === "relationship") {
      const held = byName(stateRelationships(mine), name);
      const other = rels.find((r) => r.displayName === relationshipDisplayName(d) && liveStatuses.has(r.status) && r.id !== held?.id);
      // A create with adopt: true takes one still `created` (PATCHed to the program), a locked one only when it matches
      // (README, DelegatedAdminRelationship); a replacement asks for a relationship of its own.
      const adoptable = d.adopt && !held && other && (other.status === "created" || relationshipMatches(other, d, customerId));
      if (other && !adoptable) reasons.push(`${name}: the relationship name '${other.displayName}' is relationship ${other.id}, not this stack's`);
    } else if (d.kind === "access") {
      const rd = model.stacks[s].resources[relationshipName(d.customer)];
      const held = byName(stateRelationships(mine), relationshipName(d.customer));
      const live = relationshipById(before.gdap, held?.id);
      const kept =
        live &&
        rd?.kind === "relationship" &&
        live.displayName === relationshipDisplayName(rd) &&
        liveRoles(live) === roleIds(relationshipRoleVariants[rd.roles]);
      if (!live || live.status !== "active" || !kept)
        reasons.push(
          `${name}: its relationship is ${live ? (kept ? live.status : `${live.status} and replaced by this run`) : "not made yet"}: access assignments need an active relationship`,
        );
      const mineA = byName(stateAccess(mine), name);
      const taken = (live?.accessAssignments ?? []).find(
        (a: any) => assignmentLive(a) && a.accessContainer.accessContainerId === partnerGroupIds[d.group] && a.id !== mineA?.outputs?.accessAssignmentId,
      );
      // A create with adopt: true takes the group's assignment, whatever its roles (then set to the program's).
      if (taken && !(d.adopt && !mineA)) reasons.push(`${name}: the group already has assignment ${taken.id} on that relationship`);
    } else if (!mayManageRoles(before.gdap, customerId)) {
      reasons.push(`${name}: the partner holds neither Privileged Role Administrator nor Global Administrator in customer ${d.customer} yet`);
    } else {
      const user = mine.resources?.find((r) => logicalName(r.urn) === userName(d.slot));
      const mineM = byName(stateMembers(mine), name);
      if (
        user &&
        !mineM &&
        !d.adopt &&
        modelMemberships(world, before).has(`${customerId}/${directoryRoleId(customerId, builtInRoles[memberRoleName])}/${user.id}`)
      )
        reasons.push(`${name}: the user already is a member`);
    }
  }
  // Memberships this run may have to delete (removed from the program, destroy, replaced) in a customer where that is refused.
  for (const r of stateMembers(mine))
    if (!mayManageRoles(before.gdap, r.outputs?.customerId))
      reasons.push(`${logicalName(r.urn)}: the partner cannot change directory roles in ${r.outputs?.customerId}`);
  return reasons;
}

/** After a converged `up` (or recovery): the service holds this GDAP declaration as declared, under the ids in the state. */
export function gdapDeclaredMatches(world: World, after: GdapSnapshot, s: number, name: string, d: GdapDecl): string[] {
  const label = stackLabel(s);
  const dep = after.deployments[s];
  const customerId = world.customers[d.customer].id;
  if (d.kind === "relationship") {
    const r = byName(stateRelationships(dep), name);
    const live = relationshipById(after.gdap, r?.id);
    if (!live) return [`stack ${label} declares ${name} but relationship ${r?.id} is not on the service`];
    const out: string[] = [];
    if (live.status !== "approvalPending" && live.status !== "active")
      out.push(`stack ${label} declares ${name}; its relationship ${live.id} is ${live.status} after a successful up`);
    if (live.displayName !== relationshipDisplayName(d))
      out.push(`stack ${label} declares ${name} named '${relationshipDisplayName(d)}'; the service has '${live.displayName}'`);
    if (String(live.customer?.tenantId).toLowerCase() !== customerId.toLowerCase())
      out.push(`stack ${label} declares ${name} for customer ${customerId}; the service has ${live.customer?.tenantId}`);
    if (liveRoles(live) !== roleIds(relationshipRoleVariants[d.roles]))
      out.push(`stack ${label} declares ${name} with roles ${relationshipRoleVariants[d.roles].join(", ")}; the service has ${liveRoles(live)}`);
    if (live.autoExtendDuration !== autoExtendDurationOf(d))
      out.push(`stack ${label} declares ${name} with autoExtend ${d.extend}; the service has ${live.autoExtendDuration}`);
    return out;
  }
  if (d.kind === "access") {
    const a = byName(stateAccess(dep), name);
    const rel = byName(stateRelationships(dep), relationshipName(d.customer));
    if (a?.outputs?.relationshipId !== rel?.id)
      return [`stack ${label}: ${name} is on relationship ${a?.outputs?.relationshipId}, its ${relationshipName(d.customer)} is ${rel?.id}`];
    const live = assignmentOf(after.gdap, rel?.id, a?.outputs?.accessAssignmentId);
    if (!assignmentLive(live))
      return [`stack ${label} declares ${name} but assignment ${a?.outputs?.accessAssignmentId} is ${live?.status ?? "not"} on the service`];
    if (live.accessContainer.accessContainerId !== partnerGroupIds[d.group])
      return [`stack ${label}: ${name} is for group ${live.accessContainer.accessContainerId}, declared ${partnerGroupIds[d.group]}`];
    if (liveRoles(live) !== roleIds(accessRoleVariants[d.roles]))
      return [`stack ${label} declares ${name} with roles ${accessRoleVariants[d.roles].join(", ")}; the service has ${liveRoles(live)}`];
    return [];
  }
  const m = byName(stateMembers(dep), name);
  const user = dep.resources?.find((r: any) => logicalName(r.urn) === userName(d.slot));
  if (String(m?.outputs?.userId).toLowerCase() !== String(user?.id).toLowerCase())
    return [`stack ${label}: ${name} is of user ${m?.outputs?.userId}, its ${userName(d.slot)} is ${user?.id}`];
  if (m.outputs.roleId !== directoryRoleId(customerId, builtInRoles[memberRoleName]))
    return [`stack ${label}: ${name} is in role ${m.outputs.roleId}, not ${memberRoleName} of customer ${d.customer}`];
  if (!modelMemberships(world, after).has(memberKey(m)))
    return [`stack ${label} declares ${name} but user ${user?.id} is not in ${memberRoleName} on the service`];
  return [];
}

/** What the GDAP invariants need of a run (invariants.ts's RunOutcome). */
type GdapRun = { s: number; kind: string; ok: boolean; interrupted?: boolean; drifted?: boolean; refreshed?: boolean; before: GdapSnapshot };

/** Checks a run's GDAP invariants; `check(kind, fn)` counts one check and records what `fn` finds as violations. */
export function checkGdapAfterRun(world: World, model: Model, o: GdapRun, after: GdapSnapshot, check: (kind: string, fn: () => string[]) => void): void {
  const rels = modelRelationships(world, after.gdap);
  if (!o.interrupted && !o.drifted && o.ok && o.kind !== "preview") {
    const d = after.deployments[o.s];
    check(o.refreshed ? "refresh-missed-gdap-change" : "state-differs-from-service", () => [
      ...relationshipStateDiffers(after, d, o.s),
      ...accessStateDiffers(after, d, o.s),
      ...memberStateDiffers(world, after, d, o.s),
    ]);
  }
  if (!o.interrupted && (o.kind === "up" || o.kind === "recovery") && o.ok)
    check("gdap-access-on-inactive-relationship", () => accessOnInactiveRelationship(model, o, after));
  check("duplicate", () => duplicateRelationships(world, model, o, after, rels));
  check("deleted-declared", () => gdapDeletedDeclared(world, model, o, after));
  if (!o.interrupted) check("orphan", () => gdapOrphans(world, after, rels));
}

/** The stack's relationships are on the service with the state's status (so a refresh shows approval, expiry, termination), roles, extension and name. */
function relationshipStateDiffers(after: GdapSnapshot, d: Deployment, s: number): string[] {
  const out: string[] = [];
  const label = stackLabel(s);
  for (const r of stateRelationships(d)) {
    const live = relationshipById(after.gdap, r.id);
    if (!live) {
      out.push(`stack ${label}: ${logicalName(r.urn)} (${r.id}) is not on the service`);
      continue;
    }
    if (live.status !== r.outputs?.status)
      out.push(`stack ${label}: ${logicalName(r.urn)} is ${r.outputs?.status} in the state, ${live.status} on the service`);
    if (
      liveRoles(live) !== sortedIds(r.outputs?.roleDefinitionIds) ||
      live.autoExtendDuration !== r.outputs?.autoExtendDuration ||
      live.displayName !== r.outputs?.displayName
    )
      out.push(
        `stack ${label}: ${logicalName(r.urn)} differs: state ${r.outputs?.displayName}/${sortedIds(r.outputs?.roleDefinitionIds)}/${r.outputs?.autoExtendDuration}, service ${live.displayName}/${liveRoles(live)}/${live.autoExtendDuration}`,
      );
  }
  return out;
}

/** The stack's access assignments are live on the service, on a live relationship, with the state's roles. */
function accessStateDiffers(after: GdapSnapshot, d: Deployment, s: number): string[] {
  const out: string[] = [];
  const label = stackLabel(s);
  for (const a of stateAccess(d)) {
    const live = assignmentOf(after.gdap, a.outputs?.relationshipId, a.outputs?.accessAssignmentId);
    const rel = relationshipById(after.gdap, a.outputs?.relationshipId);
    if (!assignmentLive(live) || !rel || !liveStatuses.has(rel.status))
      out.push(
        `stack ${label}: ${logicalName(a.urn)} is in the state, but on the service the assignment is ${live?.status ?? "missing"} on a relationship that is ${rel?.status ?? "missing"}`,
      );
    else if (liveRoles(live) !== sortedIds(a.outputs?.roleDefinitionIds))
      out.push(`stack ${label}: ${logicalName(a.urn)} has roles ${sortedIds(a.outputs?.roleDefinitionIds)} in the state, ${liveRoles(live)} on the service`);
  }
  return out;
}

/** The stack's role memberships are on the service, where the partner may read them. */
function memberStateDiffers(world: World, after: GdapSnapshot, d: Deployment, s: number): string[] {
  const out: string[] = [];
  const members = modelMemberships(world, after);
  for (const m of stateMembers(d)) {
    // A read refused for want of the roles keeps the state (chosen: warn, not guess): nothing to compare then.
    if (!members.has(memberKey(m)) && mayManageRoles(after.gdap, m.outputs?.customerId))
      out.push(`stack ${stackLabel(s)}: ${logicalName(m.urn)} (${m.id}) is in the state but not on the service`);
  }
  return out;
}

/** What must fail: an `up` that had to create an access assignment on a relationship that is not active (Graph answers 400) cannot succeed. */
function accessOnInactiveRelationship(model: Model, o: GdapRun, after: GdapSnapshot): string[] {
  const out: string[] = [];
  const dep = after.deployments[o.s];
  for (const [name, d] of Object.entries(model.stacks[o.s].resources)) {
    if (d.kind !== "access" || byName(stateAccess(o.before.deployments[o.s]), name)) continue;
    const rel = byName(stateRelationships(dep), relationshipName(d.customer));
    const live = relationshipById(after.gdap, rel?.id);
    if (!live || live.status !== "active")
      out.push(`${o.kind} of stack ${stackLabel(o.s)} succeeded although ${name} had to be created on a relationship that is ${live?.status ?? "missing"}`);
  }
  return out;
}

/** No second live relationship for one declaration: at most one per stack that declares or holds one for the customer. */
function duplicateRelationships(world: World, model: Model, o: GdapRun, after: GdapSnapshot, rels: any[]): string[] {
  const out: string[] = [];
  for (let c = 0; c < world.customers.length; c++) {
    const customerId = world.customers[c].id.toLowerCase();
    const live = rels.filter((r) => liveStatuses.has(r.status) && r.customer?.tenantId === customerId);
    const owners = after.deployments.filter(
      (d, t) =>
        !!model.stacks[t].resources[relationshipName(c)] ||
        [...stateRelationships(d), ...stateRelationships(o.before.deployments[t])].some((r) => String(r.outputs?.customerId).toLowerCase() === customerId),
    ).length;
    if (live.length > owners)
      out.push(
        `${live.length} live relationships in customer ${c} (${live.map((r) => `${r.displayName} ${r.status}`).join(", ")}) for ${owners} declaring stack(s)`,
      );
  }
  return out;
}

/**
 * Nothing deleted that another stack declares and held before this run: one stack's run must not
 * break the other. Except what the two shared by adopt: true (heldUnshared, owners.ts): either
 * owner's run may end or delete it, as README "Known limits" says.
 */
function gdapDeletedDeclared(world: World, model: Model, o: GdapRun, after: GdapSnapshot): string[] {
  const out: string[] = [];
  for (let t = 0; t < after.deployments.length; t++) {
    if (t === o.s) continue;
    const held = { resources: heldUnshared(o.before.deployments, o.s, t) };
    out.push(
      ...endedRelationships(model, o, after, held, t),
      ...deletedAssignments(model, o, after, held, t),
      ...removedMemberships(world, model, o, after, held, t),
    );
  }
  return out;
}

/**
 * The relationships stack `t` declares and held (not shared by adoption with the running stack), live
 * before this run and gone or ending after it: a run's terminate is a request, which Graph takes
 * minutes to carry out, so its first sign is terminationRequested (expiry is the clock's, not a run's).
 */
function endedRelationships(model: Model, o: GdapRun, after: GdapSnapshot, held: Deployment, t: number): string[] {
  const out: string[] = [];
  const declared = model.stacks[t].resources;
  for (const r of stateRelationships(held)) {
    const d = declared[logicalName(r.urn)];
    const before = relationshipById(o.before.gdap, r.id);
    const now = relationshipById(after.gdap, r.id);
    if (
      d?.kind === "relationship" &&
      before &&
      liveStatuses.has(before.status) &&
      relationshipDisplayName(d) === before.displayName &&
      (!now || endingStatuses.has(now.status))
    )
      out.push(`${o.kind} of stack ${stackLabel(o.s)} ended relationship '${before.displayName}' (${r.id}), which stack ${stackLabel(t)} declares and holds`);
  }
  return out;
}

/** The access assignments stack `t` declares and held (not shared by adoption with the running stack), live before this run and not after it while their relationship still is. */
function deletedAssignments(model: Model, o: GdapRun, after: GdapSnapshot, held: Deployment, t: number): string[] {
  const out: string[] = [];
  const declared = model.stacks[t].resources;
  for (const a of stateAccess(held)) {
    const before = assignmentOf(o.before.gdap, a.outputs?.relationshipId, a.outputs?.accessAssignmentId);
    const now = assignmentOf(after.gdap, a.outputs?.relationshipId, a.outputs?.accessAssignmentId);
    const rel = relationshipById(after.gdap, a.outputs?.relationshipId);
    if (declared[logicalName(a.urn)] && assignmentLive(before) && !assignmentLive(now) && rel && liveStatuses.has(rel.status))
      out.push(`${o.kind} of stack ${stackLabel(o.s)} deleted access assignment ${a.id}, which stack ${stackLabel(t)} declares and holds`);
  }
  return out;
}

/** The memberships stack `t` declares and held (not shared by adoption with the running stack), on the service before this run and not after it while the user is still active. */
function removedMemberships(world: World, model: Model, o: GdapRun, after: GdapSnapshot, held: Deployment, t: number): string[] {
  const out: string[] = [];
  const declared = model.stacks[t].resources;
  const beforeMembers = modelMemberships(world, o.before);
  const nowMembers = modelMemberships(world, after);
  for (const m of stateMembers(held)) {
    // A deleted user leaves its roles: that is the user's deletion, which invariants.ts judges.
    if (
      declared[logicalName(m.urn)] &&
      beforeMembers.has(memberKey(m)) &&
      !nowMembers.has(memberKey(m)) &&
      activeUser(after, m.outputs?.customerId, m.outputs?.userId)
    )
      out.push(`${o.kind} of stack ${stackLabel(o.s)} removed membership ${memberKey(m)}, which stack ${stackLabel(t)} declares and holds`);
  }
  return out;
}

/** Nothing of ours on the service (live relationship, assignment, membership) that no stack's state accounts for: nobody would ever end it. */
function gdapOrphans(world: World, after: GdapSnapshot, rels: any[]): string[] {
  const out: string[] = [];
  const heldBy = (pick: (d: Deployment) => any[], key: (r: any) => string) => after.deployments.map((d) => new Set(pick(d).map(key)));
  const heldRels = heldBy(stateRelationships, (r) => r.id);
  const heldAccess = heldBy(stateAccess, (r) => String(r.outputs?.accessAssignmentId));
  const heldMembers = heldBy(stateMembers, memberKey);
  const held = (sets: Set<string>[], k: string) => sets.some((x) => x.has(k));
  for (const r of rels.filter((x) => liveStatuses.has(x.status))) {
    if (!held(heldRels, r.id)) out.push(`relationship '${r.displayName}' (${r.id}, ${r.status}) is in no stack's state`);
    for (const a of (r.accessAssignments ?? []).filter(assignmentLive))
      if (!held(heldAccess, a.id)) out.push(`access assignment ${a.id} of '${r.displayName}' is in no stack's state`);
  }
  for (const k of modelMemberships(world, after)) if (!held(heldMembers, k)) out.push(`membership ${k} is in no stack's state`);
  return out;
}

/** What a preview may not change: the model's GDAP objects on the service. */
export function gdapProjection(world: World, snap: GdapSnapshot): string {
  const rels = modelRelationships(world, snap.gdap).map((r) => ({
    id: r.id,
    status: r.status,
    name: r.displayName,
    roles: liveRoles(r),
    extend: r.autoExtendDuration,
    access: (r.accessAssignments ?? []).map((a: any) => `${a.id}:${a.status}:${liveRoles(a)}`).sort(),
  }));
  return JSON.stringify({ rels, members: [...modelMemberships(world, snap)].sort() });
}
