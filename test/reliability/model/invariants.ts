/**
 * The invariants the model-based test checks after every run (and after a recovery), as issue 14
 * states them:
 * - the service holds what the programs declare (after a stack's successful `up`) and nothing they
 *   own beyond it (no orphan);
 * - a stack's state matches the service (ids and fields);
 * - no UPN twice, no second consent, no object in two stacks' states that was not explicitly adopted;
 * - no object deleted that another stack still declares, unless the two shared it by adopt: true
 *   and a stack that held it deleted it (owners.ts: what README says of shared ownership);
 * - a run fails only for a reason the model expects (a conflict the program must resolve, GDAP roles
 *   cut); the injected faults are all ones a client with retries survives; recovery within two `up`s;
 * - no secret in plain text in outputs, logs, state or the service's data; no process of ours left.
 */
import { secretHits } from "../common";
import { consentsOf, grantsOf, servicePrincipalsOf } from "../../support/inventory";
import { Decl, Model, objectKey, scopeVariants, stackLabel, upnOf, UserDecl } from "./model";
import { killSandboxProcesses, waitForNoSandboxProcesses } from "../../support/sandboxProcesses";
import { World } from "./world";
import { checkGdapAfterRun, gdapDeclaredMatches, gdapExpectedTrouble, gdapProjection, GdapView, stateGdap } from "./gdapInvariants";
import { heldUnshared, secondOwners, sharedObjects } from "./owners";

const graphAppId = "00000003-0000-0000-c000-000000000000";
const values = <T>(x: Record<string, T> | T[] | undefined): T[] => (Array.isArray(x) ? x : Object.values(x ?? {}));

export interface Snapshot {
  inventory: any;
  /** GDAP as the emulator's admin API shows it (gdapInvariants.ts) */
  gdap: GdapView;
  deployments: { resources: any[]; pending_operations?: any[] }[];
}

export async function snapshot(world: World): Promise<Snapshot> {
  const deployments = [];
  for (let s = 0; s < world.stackNames.length; s++) deployments.push(await world.deployment(s));
  return { inventory: await world.admin.inventory(), gdap: await world.admin.call("GET", "/delegatedAdminRelationships"), deployments };
}

const ofType = (d: { resources: any[] }, t: string) => (d.resources ?? []).filter((r) => String(r.type).endsWith(`:${t}`));
const stateUsers = (d: { resources: any[] }) => ofType(d, "CustomerUser");
const stateConsents = (d: { resources: any[] }) => ofType(d, "ApplicationConsent");
const logicalName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** Our objects on the service: the model's users (UPN `*.model@…`) and consents of the model's application. */
function ours(world: World, inv: any) {
  const users: { customerId: string; user: any }[] = [];
  const consents: { customerId: string; consent: any; sps: any[]; grants: any[] }[] = [];
  for (const c of world.customers) {
    const cust = values<any>(inv.customers).find((x) => x.id === c.id);
    for (const u of values<any>(cust?.users)) if (/\.model@/i.test(u.userPrincipalName)) users.push({ customerId: c.id, user: u });
    const sps = servicePrincipalsOf(inv, c.id).filter((sp) => String(sp.appId).toLowerCase() === world.applicationId.toLowerCase());
    const spIds = new Set(sps.map((sp) => sp.id));
    const grants = grantsOf(inv, c.id).filter((g) => spIds.has(g.clientId));
    for (const x of consentsOf(inv, c.id).filter((x) => String(x.applicationId).toLowerCase() === world.applicationId.toLowerCase()))
      consents.push({ customerId: c.id, consent: x, sps, grants });
    if (!consentsOf(inv, c.id).some((x) => String(x.applicationId).toLowerCase() === world.applicationId.toLowerCase()) && sps.length)
      consents.push({ customerId: c.id, consent: undefined, sps, grants });
  }
  return { users, consents };
}

function liveGrantScopes(inv: any, customerId: string, sps: any[]): string | undefined {
  const graphSp = servicePrincipalsOf(inv, customerId).find((s) => s.appId === graphAppId);
  const g = grantsOf(inv, customerId).find((x) => sps.some((sp) => sp.id === x.clientId) && graphSp && x.resourceId === graphSp.id);
  return g ? sortedScopes(String(g.scope).split(/[\s,]+/)) : undefined;
}
const sortedScopes = (xs: string[]) =>
  xs
    .filter(Boolean)
    .map((x) => x.toLowerCase())
    .sort()
    .join(" ");

/**
 * Why a run of stack `s` may fail, from what the model and the service say before it: a declared
 * object another stack (or nobody) already holds and the program does not adopt as README says adopt
 * takes it, GDAP roles cut in a customer it touches, an object its state shares with another stack
 * (which either may have changed or deleted). Anything else (the injected faults included) must not fail it.
 */
export function expectedTrouble(world: World, model: Model, s: number, before: Snapshot): string[] {
  const reasons: string[] = [];
  const mine = before.deployments[s];
  const decls = Object.entries(model.stacks[s].resources);
  const touched = new Set<number>(decls.map(([, d]) => d.customer));
  for (const r of [...stateUsers(mine), ...stateConsents(mine)]) {
    const i = world.customers.findIndex((c) => c.id === (r.outputs?.customerId ?? r.inputs?.customerId));
    if (i >= 0) touched.add(i);
  }
  for (const c of touched) if (model.reducedGdap.has(c)) reasons.push(`GDAP roles cut in customer ${c}`);
  const live = ours(world, before.inventory);
  for (const [name, d] of decls) {
    const customerId = world.customers[d.customer].id;
    if (d.kind === "user") {
      const upn = upnOf(d, world.customers).toLowerCase();
      const held = stateUsers(mine).find((r) => logicalName(r.urn) === name);
      const other = live.users.find(
        (u) => u.customerId === customerId && u.user.state === "active" && String(u.user.userPrincipalName).toLowerCase() === upn && u.user.id !== held?.id,
      );
      // A create with adopt: true takes an active user with this UPN, whatever its fields (README "Who owns what"); an update (a new UPN) does not.
      if (other && !(d.adopt && !held)) reasons.push(`${name}: UPN ${upn} is user ${other.user.id}, not this stack's`);
    } else if (d.kind === "consent") {
      const held = stateConsents(mine).some((r) => r.outputs?.customerId === customerId);
      const x = live.consents.find((c) => c.customerId === customerId && c.consent);
      // adopt: true takes a consent only when its grants are the program's (README "Who owns what").
      const adoptable = d.adopt && x?.sps.length && liveGrantScopes(before.inventory, customerId, x.sps) === sortedScopes([...scopeVariants[d.scopes]]);
      if (!held && x && !adoptable) reasons.push(`${name}: a consent already exists in customer ${d.customer}${d.adopt ? " with other grants" : ""}`);
    }
  }
  for (let t = 0; t < before.deployments.length; t++)
    if (t !== s) for (const x of sharedObjects(mine, before.deployments[t])) reasons.push(`${x.label} is in stack ${stackLabel(t)}'s state too`);
  reasons.push(...gdapExpectedTrouble(world, model, s, before));
  return reasons;
}

export type RunKind = "up" | "preview" | "refresh" | "destroy" | "recovery";

export interface RunOutcome {
  s: number;
  kind: RunKind;
  ok: boolean;
  /** why it may fail (expectedTrouble) */
  allowed: string[];
  errors: string;
  before: Snapshot;
  /** an interrupted run, before its recovery: only the checks that hold mid-way */
  interrupted?: boolean;
  /** an out-of-band change happened since this stack's state was last refreshed (and this run did not refresh) */
  drifted?: boolean;
  /** a refresh, or an up --refresh, that succeeded: the state must show what changed on the service */
  refreshed?: boolean;
}

type Ours = ReturnType<typeof ours>;
type Found = { kind: string; detail: string };
const customerIndex = (world: World, id: string) => world.customers.findIndex((c) => c.id === id);

/** Checks every invariant after a run; records what failed in the sequence's violations (the runner fails the sequence at its end). Returns the service and states it checked. */
export async function checkAfterRun(world: World, model: Model, o: RunOutcome): Promise<Snapshot> {
  const after = await snapshot(world);
  const found: Found[] = [];
  const check = (kind: string, fn: () => string[]) => {
    world.totals.invariantChecks++;
    for (const detail of fn()) found.push({ kind, detail });
  };
  const live = ours(world, after.inventory);

  if (!o.interrupted) check(o.kind === "recovery" ? "recovery-not-within-two-ups" : "run-failed", () => unexpectedFailure(o));
  const converged = o.ok && !o.interrupted && !o.drifted && (o.kind === "up" || o.kind === "recovery");
  if (converged) check("declared-not-held", () => declaredNotHeld(world, model, after, o.s));
  if (!o.interrupted && !o.drifted && o.ok && o.kind !== "preview")
    check("state-differs-from-service", () => [
      ...userStateDiffers(after, live, o.s, new Set([...model.reducedGdap].map((c) => world.customers[c].id))),
      ...consentStateDiffers(after, live, o.s),
    ]);
  check("duplicate", () => [...duplicateUpns(live), ...duplicateConsents(world, live)]);
  check("second-owner", () => secondOwners(after.deployments));
  check("deleted-declared", () => deletedDeclared(world, model, o, after, live));
  if (!o.interrupted) check("orphan", () => orphans(world, after, live));
  if (o.kind === "preview") check("preview-changed-service", () => previewChanged(world, o, after, live));
  // GDAP (gdapInvariants.ts): state and service, what must fail, duplicates, owners, deletions, orphans.
  checkGdapAfterRun(world, model, o, after, check);
  check("secret-in-plain-text", () => secretsInPlainText(world, after));
  if (!o.interrupted) {
    world.totals.invariantChecks++;
    found.push(...(await processesLeft(world, o.kind)));
  }
  recordViolations(world, found);
  return after;
}

/** A run fails only for a reason the model expects (expectedTrouble): the injected faults are all ones a client with retries survives. */
function unexpectedFailure(o: RunOutcome): string[] {
  return !o.ok && o.allowed.length === 0 ? [`${o.kind} of stack ${stackLabel(o.s)} failed with nothing that should fail it:\n${o.errors}`] : [];
}

/** After a converged run, the service holds what the stack declares, with the declared fields, under the ids in its state (and the state nothing more). */
function declaredNotHeld(world: World, model: Model, after: Snapshot, s: number): string[] {
  const out: string[] = [];
  const label = stackLabel(s);
  const d = after.deployments[s];
  const names = new Set([...stateUsers(d), ...stateConsents(d), ...stateGdap(d)].map((r) => logicalName(r.urn)));
  for (const [name, decl] of Object.entries(model.stacks[s].resources)) {
    if (!names.has(name)) out.push(`stack ${label} declares ${name} but its state has no such resource`);
    else out.push(...declaredMatches(world, after, s, name, decl));
  }
  for (const n of names) if (!model.stacks[s].resources[n]) out.push(`stack ${label}'s state has ${n}, which its program no longer declares`);
  return out;
}

/** The stack's state matches the service for its users: each one active, with the state's UPN, name, anchor and customer. */
function userStateDiffers(after: Snapshot, live: Ours, s: number, unreadable: Set<string>): string[] {
  const out: string[] = [];
  const label = stackLabel(s);
  for (const r of stateUsers(after.deployments[s])) {
    // Where the partner's roles are cut, a refresh keeps the user as recorded (a 403 on its read warns).
    if (unreadable.has(r.outputs?.customerId)) continue;
    const u = live.users.find((x) => x.user.id === r.id);
    if (!u || u.user.state !== "active") {
      out.push(`stack ${label}: ${logicalName(r.urn)} (${r.id}) is ${u ? u.user.state : "gone"} on the service`);
      continue;
    }
    for (const f of ["userPrincipalName", "displayName", "immutableId"] as const) {
      const want = r.outputs?.[f] ?? null;
      const got = u.user[f] ?? null;
      if (f === "immutableId" && want === null) continue;
      if (String(want).toLowerCase() !== String(got).toLowerCase())
        out.push(`stack ${label}: ${logicalName(r.urn)} ${f} is '${want}' in the state, '${got}' on the service`);
    }
    if (u.customerId !== r.outputs?.customerId)
      out.push(`stack ${label}: ${logicalName(r.urn)} is in customer ${u.customerId}, the state says ${r.outputs?.customerId}`);
  }
  return out;
}

/** The stack's state matches the service for its consents: the consent, its service principal and the state's scopes granted. */
function consentStateDiffers(after: Snapshot, live: Ours, s: number): string[] {
  const out: string[] = [];
  const label = stackLabel(s);
  for (const r of stateConsents(after.deployments[s])) {
    const x = live.consents.find((c) => c.customerId === r.outputs?.customerId);
    if (!x?.consent) out.push(`stack ${label}: ${logicalName(r.urn)} has no consent on the service`);
    else if (!x.sps.length) out.push(`stack ${label}: ${logicalName(r.urn)} has no service principal on the service`);
    else {
      const want = sortedScopes((r.outputs?.grants ?? []).flatMap((g: any) => g.scopes));
      const got = liveGrantScopes(after.inventory, x.customerId, x.sps);
      if (want !== got) out.push(`stack ${label}: ${logicalName(r.urn)} grants '${want}' in the state, '${got ?? "nothing"}' on the service`);
    }
  }
  return out;
}

/** No UPN twice in a customer, active or soft-deleted: a retried create must not make a second user. */
function duplicateUpns(live: Ours): string[] {
  const out: string[] = [];
  const byUpn = new Map<string, string[]>();
  for (const u of live.users) {
    const k = `${u.customerId} ${String(u.user.userPrincipalName).toLowerCase()}`;
    byUpn.set(k, [...(byUpn.get(k) ?? []), `${u.user.id}:${u.user.state}`]);
  }
  for (const [k, ids] of byUpn) if (ids.length > 1) out.push(`UPN ${k} x${ids.length} (${ids.join(", ")})`);
  return out;
}

/** No second consent, service principal or grant of the model's application in a customer: a retried consent must not make a second one. */
function duplicateConsents(world: World, live: Ours): string[] {
  const out: string[] = [];
  for (const c of world.customers) {
    const xs = live.consents.filter((x) => x.customerId === c.id);
    if (xs.filter((x) => x.consent).length > 1) out.push(`${xs.length} consents of the model's application in ${c.id}`);
    if (xs[0] && xs[0].sps.length > 1) out.push(`${xs[0].sps.length} service principals of the model's application in ${c.id}`);
    const byResource = new Map<string, number>();
    for (const g of xs[0]?.grants ?? []) byResource.set(`${g.clientId}|${g.resourceId}`, (byResource.get(`${g.clientId}|${g.resourceId}`) ?? 0) + 1);
    for (const [k, n] of byResource) if (n > 1) out.push(`grant ${k} x${n} in ${c.id}`);
  }
  return out;
}

/**
 * No object deleted that another stack still declares and held before this run: one stack's run must
 * not break the other. Except an object the two stacks' states shared before the run, one of them by
 * adopt: true: that stack opted into shared ownership, and either owner's run deleting it is what
 * README "Known limits" says (the other's state then lists it until its refresh: runAndCheck marks it drifted).
 */
function deletedDeclared(world: World, model: Model, o: RunOutcome, after: Snapshot, live: Ours): string[] {
  const out: string[] = [];
  for (let t = 0; t < after.deployments.length; t++) {
    if (t === o.s) continue;
    const declared = new Set(Object.values(model.stacks[t].resources).map((d: Decl) => objectKey(d, world.customers)));
    const held = { resources: heldUnshared(o.before.deployments, o.s, t) };
    const was = ours(world, o.before.inventory);
    out.push(...deletedUsers(o, held, t, declared, was, live), ...deletedConsents(world, o, held, t, declared, was, live));
  }
  return out;
}

/** The users stack `t` declares and held (and did not share by adoption with the running stack), active before this run and not after it. */
function deletedUsers(o: RunOutcome, held: { resources: any[] }, t: number, declared: Set<string>, was: Ours, live: Ours): string[] {
  const out: string[] = [];
  for (const r of stateUsers(held)) {
    const before = was.users.find((u) => u.user.id === r.id && u.user.state === "active");
    const now = live.users.find((u) => u.user.id === r.id);
    const key = `user ${r.outputs?.customerId} ${String(r.outputs?.userPrincipalName).toLowerCase()}`;
    if (before && (!now || now.user.state !== "active") && declared.has(key))
      out.push(`${o.kind} of stack ${stackLabel(o.s)} deleted user ${r.outputs?.userPrincipalName} (${r.id}), which stack ${stackLabel(t)} declares and holds`);
  }
  return out;
}

/** The consents stack `t` declares and held (and did not share by adoption with the running stack), on the service before this run and not after it. */
function deletedConsents(world: World, o: RunOutcome, held: { resources: any[] }, t: number, declared: Set<string>, was: Ours, live: Ours): string[] {
  const out: string[] = [];
  for (const r of stateConsents(held)) {
    const before = was.consents.find((x) => x.customerId === r.outputs?.customerId && x.consent);
    const now = live.consents.find((x) => x.customerId === r.outputs?.customerId && x.consent);
    if (before && !now && declared.has(`consent ${r.outputs?.customerId}`))
      out.push(
        `${o.kind} of stack ${stackLabel(o.s)} deleted the consent in customer ${customerIndex(world, r.outputs?.customerId)}, which stack ${stackLabel(t)} declares and holds`,
      );
  }
  return out;
}

/**
 * Nothing of ours on the service that no stack's state accounts for: an orphan is an object nobody
 * will ever update or delete. Shared ownership changes nothing here: an adopted object that one owner
 * deleted is gone from the service, and one still on it is an orphan once neither state holds it.
 */
function orphans(world: World, after: Snapshot, live: Ours): string[] {
  const out: string[] = [];
  const heldUsers = new Set(after.deployments.flatMap((d) => stateUsers(d).map((r) => r.id)));
  const heldConsents = new Set(after.deployments.flatMap((d) => stateConsents(d).map((r) => r.outputs?.customerId)));
  for (const u of live.users)
    if (u.user.state === "active" && !heldUsers.has(u.user.id)) out.push(`active user ${u.user.userPrincipalName} (${u.user.id}) is in no stack's state`);
  for (const x of live.consents)
    if (x.consent && !heldConsents.has(x.customerId))
      out.push(`the consent in customer ${customerIndex(world, x.customerId)} (${x.customerId}) is in no stack's state`);
  return out;
}

/** A preview changes nothing on the service (users, consents, GDAP): it only reads. */
function previewChanged(world: World, o: RunOutcome, after: Snapshot, live: Ours): string[] {
  const was = JSON.stringify(ours(world, o.before.inventory)) + gdapProjection(world, o.before);
  return was === JSON.stringify(live) + gdapProjection(world, after) ? [] : [`preview --refresh of stack ${stackLabel(o.s)} changed the service`];
}

/** No secret in plain text in the CLI output, the provider's debug log, the state files or the service's data; the transcripts are consumed. */
function secretsInPlainText(world: World, after: Snapshot): string[] {
  const secrets: Record<string, string> = {
    clientSecret: world.emulator.credentials.clientSecret,
    refreshToken: world.emulator.credentials.refreshToken,
    passwordSalt: world.salt,
    ...Object.fromEntries([...world.passwords].map((p, i) => [`password#${i}`, p])),
  };
  const corpus = [...world.transcripts, JSON.stringify(after.inventory)];
  world.transcripts = [];
  return corpus.flatMap((t) => secretHits(t, secrets).map((h) => `${h.name} x${h.count}: …${h.where}…`));
}

/** No process of ours left running after a finished run (an interrupted run's plugins included, once recovery is done); ends those it finds. */
async function processesLeft(world: World, kind: RunKind): Promise<Found[]> {
  const left = await waitForNoSandboxProcesses(world.sandbox, 5000);
  if (!left.length) return [];
  const found = {
    kind: "process-left",
    detail: `${left.length} process(es) of the sandbox still running after ${kind}: ${left.map((p) => `${p.pid} ${p.cmd.slice(0, 100)}`).join("; ")}`,
  };
  killSandboxProcesses(left);
  return [found];
}

/** Adds a run's violations to the sequence's (and the totals) and logs each one. */
function recordViolations(world: World, found: Found[]): void {
  world.totals.violations += found.length;
  for (const f of found) {
    const detail = `after ${world.currentCommand}: ${f.detail}`;
    world.violations.push({ kind: f.kind, detail });
    world.log(`    ! [${f.kind}] ${detail.split("\n").join("\n      ")}`);
  }
}

function declaredMatches(world: World, after: Snapshot, s: number, name: string, decl: Decl): string[] {
  const out: string[] = [];
  const d = after.deployments[s];
  const customerId = world.customers[decl.customer].id;
  const live = ours(world, after.inventory);
  if (decl.kind === "relationship" || decl.kind === "access" || decl.kind === "roleMember") return gdapDeclaredMatches(world, after, s, name, decl);
  if (decl.kind === "user") {
    const r = stateUsers(d).find((x) => logicalName(x.urn) === name);
    const u = live.users.find((x) => x.user.id === r?.id && x.user.state === "active");
    const upn = upnOf(decl as UserDecl, world.customers).toLowerCase();
    if (!u) out.push(`stack ${stackLabel(s)} declares ${name} (${upn}) but no active user ${r?.id} is on the service`);
    else if (u.customerId !== customerId || String(u.user.userPrincipalName).toLowerCase() !== upn)
      out.push(`stack ${stackLabel(s)} declares ${name} as ${upn} in ${customerId}; the service has ${u.user.userPrincipalName} in ${u.customerId}`);
    else if (decl.anchor !== undefined && u.user.immutableId !== `model-anchor-${decl.anchor}`)
      out.push(`stack ${stackLabel(s)} declares ${name} with immutableId model-anchor-${decl.anchor}; the service has ${u.user.immutableId}`);
  } else {
    const x = live.consents.find((c) => c.customerId === customerId && c.consent);
    const want = sortedScopes([...scopeVariants[decl.scopes]]);
    const got = x ? liveGrantScopes(after.inventory, customerId, x.sps) : undefined;
    if (!x) out.push(`stack ${stackLabel(s)} declares ${name} but there is no consent in customer ${decl.customer}`);
    else if (want !== got) out.push(`stack ${stackLabel(s)} declares ${name} granting '${want}'; the service grants '${got ?? "nothing"}'`);
  }
  return out;
}
