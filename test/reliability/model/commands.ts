/**
 * The commands of the model-based test (fast-check `AsyncCommand`s over the Model and the World):
 * program edits (both stacks, over the same customers), out-of-band edits through the emulator's
 * admin API, faults armed for the next run, and the runs themselves (with interruptions and README's
 * recovery). Every run is followed by the invariants (invariants.ts).
 *
 * A command's toString is its whole description, so a printed sequence reads as a script.
 */
import fc from "fast-check";
import * as fs from "fs";
import { builtInRoles } from "../../../provider/clients/builtInRoles";
import { checkAfterRun, expectedTrouble, RunKind, snapshot } from "./invariants";
import {
  accessName,
  accessRoleVariants,
  aliases,
  consentName,
  customerCount,
  Decl,
  memberName,
  memberRoleName,
  Model,
  partnerGroupIds,
  relationshipName,
  relationshipRoleVariants,
  scopeVariants,
  stackCount,
  stackLabel,
  StackModel,
  userName,
  userSlots,
  UserDecl,
} from "./model";
import { sharedOwnersAfterRun } from "./owners";
import { errorLines, Interruption, World } from "./world";

type Cmd = fc.AsyncCommand<Model, World>;

const fullRoles = ["User Administrator", "Cloud Application Administrator", "Global Reader"];

/** Two slots of one stack must not declare the same UPN (a program bug, not a scenario). */
const upnTaken = (m: Model, s: number, customer: number, alias: number, except?: string) =>
  Object.entries(m.stacks[s].resources).some(([n, d]) => n !== except && d.kind === "user" && d.customer === customer && d.alias === alias);

// ---------------------------------------------------------------- program edits

class AddConsent implements Cmd {
  constructor(
    readonly s: number,
    readonly c: number,
    readonly scopes: number,
    readonly name: number,
  ) {}
  check = (m: Readonly<Model>) => !m.stacks[this.s].resources[consentName(this.c)];
  async run(m: Model) {
    m.stacks[this.s].resources[consentName(this.c)] = { kind: "consent", customer: this.c, scopes: this.scopes, name: this.name };
  }
  toString = () => `${stackLabel(this.s)}.addConsent(c${this.c}, scopes${this.scopes}, name${this.name})`;
}

class ChangeConsent implements Cmd {
  constructor(
    readonly s: number,
    readonly c: number,
    readonly what: "scopes" | "name",
    readonly v: number,
  ) {}
  check = (m: Readonly<Model>) => {
    const d = m.stacks[this.s].resources[consentName(this.c)];
    return !!d && d.kind === "consent" && d[this.what] !== this.v;
  };
  async run(m: Model) {
    const d = m.stacks[this.s].resources[consentName(this.c)] as Extract<Decl, { kind: "consent" }>;
    d[this.what] = this.v;
  }
  toString = () => `${stackLabel(this.s)}.changeConsent(c${this.c}, ${this.what}=${this.v})`;
}

class RemoveResource implements Cmd {
  constructor(
    readonly s: number,
    readonly name: string,
  ) {}
  check = (m: Readonly<Model>) => !!m.stacks[this.s].resources[this.name];
  async run(m: Model) {
    delete m.stacks[this.s].resources[this.name];
    removeDependents(m.stacks[this.s], this.name);
  }
  toString = () => `${stackLabel(this.s)}.remove(${this.name})`;
}

class AddUser implements Cmd {
  constructor(
    readonly s: number,
    readonly slot: number,
    readonly c: number,
    readonly alias: number,
    readonly adopt: boolean,
  ) {}
  check = (m: Readonly<Model>) => !m.stacks[this.s].resources[userName(this.slot)] && !upnTaken(m, this.s, this.c, this.alias);
  async run(m: Model) {
    m.stacks[this.s].resources[userName(this.slot)] = {
      kind: "user",
      customer: this.c,
      alias: this.alias,
      name: 0,
      pw: 0,
      ...(this.adopt ? { adopt: true } : {}),
    };
  }
  toString = () => `${stackLabel(this.s)}.addUser(${userName(this.slot)}, c${this.c}, ${aliases[this.alias]}${this.adopt ? ", adopt" : ""})`;
}

type UserField = "displayName" | "upn" | "password" | "anchor" | "customer" | "adopt";

class ChangeUser implements Cmd {
  constructor(
    readonly s: number,
    readonly slot: number,
    readonly field: UserField,
    readonly v: number,
  ) {}
  check = (m: Readonly<Model>) => {
    const d = m.stacks[this.s].resources[userName(this.slot)];
    if (!d || d.kind !== "user") return false;
    if (this.field === "upn") return d.alias !== this.v && !upnTaken(m, this.s, d.customer, this.v, userName(this.slot));
    if (this.field === "customer") return d.customer !== this.v && !upnTaken(m, this.s, this.v, d.alias, userName(this.slot));
    return true;
  };
  async run(m: Model) {
    const d = m.stacks[this.s].resources[userName(this.slot)] as UserDecl;
    if (this.field === "displayName") d.name++;
    else if (this.field === "password") d.pw++;
    else if (this.field === "upn") d.alias = this.v;
    else if (this.field === "customer") {
      d.customer = this.v;
      // The user's membership is in the user's customer: the program edit moves both.
      const member = m.stacks[this.s].resources[memberName(this.slot)];
      if (member) member.customer = this.v;
    } else if (this.field === "anchor") d.anchor = (d.anchor ?? -1) + 1;
    else if (d.adopt) delete d.adopt;
    else d.adopt = true;
  }
  toString = () =>
    `${stackLabel(this.s)}.changeUser(${userName(this.slot)}, ${this.field}${this.field === "upn" ? `=${aliases[this.v]}` : this.field === "customer" ? `=c${this.v}` : ""})`;
}

/**
 * Declares in one stack what the other stack declares: two stacks over the same customers meet on one
 * object. With `adopt` the copy takes it over (adopt: true), whatever its kind: every kind the model
 * declares can be adopted (model.ts). Without, the copy says nothing of adoption, even if the original does.
 */
class CopyFromOther implements Cmd {
  constructor(
    readonly s: number,
    readonly pick: number,
    readonly adopt: boolean,
  ) {}
  private source(m: Readonly<Model>): [string, Decl] | undefined {
    const theirs = Object.entries(m.stacks[1 - this.s].resources).sort(([a], [b]) => a.localeCompare(b));
    return theirs.length ? theirs[this.pick % theirs.length] : undefined;
  }
  check = (m: Readonly<Model>) => {
    const src = this.source(m);
    if (!src || m.stacks[this.s].resources[src[0]]) return false;
    if (src[1].kind !== "user") return gdapDependenciesHeld(m.stacks[this.s], src[1]);
    return !upnTaken(m, this.s, src[1].customer, (src[1] as UserDecl).alias);
  };
  async run(m: Model) {
    const [name, d] = this.source(m)!;
    const copy: Decl = { ...d };
    if (this.adopt) copy.adopt = true;
    else delete copy.adopt;
    m.stacks[this.s].resources[name] = copy;
  }
  toString = () => `${stackLabel(this.s)}.copyFrom${stackLabel(1 - this.s)}(#${this.pick}${this.adopt ? ", adopt" : ""})`;
}

// ---------------------------------------------------------------- GDAP program edits (issue 18)

/** What a program must also declare for a GDAP declaration to compile: its relationship, or its user in the same customer. */
function gdapDependenciesHeld(stack: StackModel, d: Decl): boolean {
  if (d.kind === "access") return !!stack.resources[relationshipName(d.customer)];
  if (d.kind === "roleMember") {
    const user = stack.resources[userName(d.slot)];
    return !!user && user.customer === d.customer;
  }
  return true;
}

/** A program that stops declaring a relationship or a user stops declaring what names it. */
function removeDependents(stack: StackModel, removed: string): void {
  for (const [name, d] of Object.entries(stack.resources)) {
    if ((d.kind === "access" && relationshipName(d.customer) === removed) || (d.kind === "roleMember" && userName(d.slot) === removed))
      delete stack.resources[name];
  }
}

class AddRelationship implements Cmd {
  constructor(
    readonly s: number,
    readonly c: number,
    readonly roles: number,
    readonly extend: boolean,
    readonly name: number,
  ) {}
  check = (m: Readonly<Model>) => !m.stacks[this.s].resources[relationshipName(this.c)];
  async run(m: Model) {
    m.stacks[this.s].resources[relationshipName(this.c)] = { kind: "relationship", customer: this.c, roles: this.roles, extend: this.extend, name: this.name };
  }
  toString = () => `${stackLabel(this.s)}.addRelationship(c${this.c}, roles${this.roles}${this.extend ? ", autoExtend" : ""}, name${this.name})`;
}

type RelationshipField = "roles" | "extend" | "name";

class ChangeRelationship implements Cmd {
  constructor(
    readonly s: number,
    readonly c: number,
    readonly field: RelationshipField,
  ) {}
  check = (m: Readonly<Model>) => m.stacks[this.s].resources[relationshipName(this.c)]?.kind === "relationship";
  async run(m: Model) {
    const d = m.stacks[this.s].resources[relationshipName(this.c)] as Extract<Decl, { kind: "relationship" }>;
    if (this.field === "extend") d.extend = !d.extend;
    else if (this.field === "roles") d.roles = (d.roles + 1) % relationshipRoleVariants.length;
    else d.name = (d.name + 1) % 2;
  }
  toString = () => `${stackLabel(this.s)}.changeRelationship(c${this.c}, ${this.field})`;
}

/** An access assignment on the stack's relationship with the customer; a program without one declares that too (roles0, name0). */
class AddAccess implements Cmd {
  constructor(
    readonly s: number,
    readonly c: number,
    readonly group: number,
    readonly roles: number,
  ) {}
  check = (m: Readonly<Model>) => !m.stacks[this.s].resources[accessName(this.c, this.group)];
  async run(m: Model) {
    const resources = m.stacks[this.s].resources;
    resources[relationshipName(this.c)] ??= { kind: "relationship", customer: this.c, roles: 0, extend: false, name: 0 };
    resources[accessName(this.c, this.group)] = { kind: "access", customer: this.c, group: this.group, roles: this.roles };
  }
  toString = () => `${stackLabel(this.s)}.addAccess(c${this.c}, g${this.group}, [${accessRoleVariants[this.roles].join(", ")}])`;
}

class ChangeAccess implements Cmd {
  constructor(
    readonly s: number,
    readonly c: number,
    readonly group: number,
  ) {}
  check = (m: Readonly<Model>) => !!m.stacks[this.s].resources[accessName(this.c, this.group)];
  async run(m: Model) {
    const d = m.stacks[this.s].resources[accessName(this.c, this.group)] as Extract<Decl, { kind: "access" }>;
    d.roles = (d.roles + 1) % accessRoleVariants.length;
  }
  toString = () => `${stackLabel(this.s)}.changeAccess(c${this.c}, g${this.group})`;
}

class AddMember implements Cmd {
  constructor(
    readonly s: number,
    readonly slot: number,
  ) {}
  check = (m: Readonly<Model>) => !!m.stacks[this.s].resources[userName(this.slot)] && !m.stacks[this.s].resources[memberName(this.slot)];
  async run(m: Model) {
    const user = m.stacks[this.s].resources[userName(this.slot)];
    m.stacks[this.s].resources[memberName(this.slot)] = { kind: "roleMember", customer: user.customer, slot: this.slot };
  }
  toString = () => `${stackLabel(this.s)}.addMember(${userName(this.slot)}, ${memberRoleName})`;
}

// ---------------------------------------------------------------- GDAP out-of-band (the customer's side, the clock)

/** The model's relationships of a customer on the service (any status), from the admin API. */
async function modelRelationships(w: World, c: number): Promise<any[]> {
  const all = (await w.admin.call("GET", "/delegatedAdminRelationships")).relationships as any[];
  return all.filter((r) => /^Model /.test(r.displayName) && r.customer?.tenantId === w.customers[c].id.toLowerCase());
}

const gdapDeclaredIn = (m: Readonly<Model>, c: number) =>
  m.stacks.some((st) => Object.values(st.resources).some((d) => d.kind !== "user" && d.kind !== "consent" && d.customer === c));

type RelationshipOob = "approve" | "terminate";

/** The customer's Global Administrator approves every relationship waiting in the customer, or ends every active one. */
class OobRelationship implements Cmd {
  constructor(
    readonly c: number,
    readonly action: RelationshipOob,
  ) {}
  check = (m: Readonly<Model>) => gdapDeclaredIn(m, this.c);
  async run(_m: Model, w: World) {
    const from = this.action === "approve" ? "approvalPending" : "active";
    for (const r of (await modelRelationships(w, this.c)).filter((x) => x.status === from)) {
      await w.admin
        .call("POST", `/delegatedAdminRelationships/${r.id}/${this.action}`)
        .catch((e: Error) => w.log(`   (out-of-band ${this.action}: ${e.message})`));
    }
    for (let s = 0; s < stackCount; s++) w.drifted.add(s);
  }
  toString = () => `oob.${this.action}Relationships(c${this.c})`;
}

/** Two days pass on the service's clock: active relationships (P1D) end, unless they auto-extend. */
class OobClock implements Cmd {
  check = (m: Readonly<Model>) => m.stacks.some((st) => Object.values(st.resources).some((d) => d.kind === "relationship"));
  async run(_m: Model, w: World) {
    await w.admin.call("POST", "/clock", { advanceSeconds: 2 * 86_400 });
    for (let s = 0; s < stackCount; s++) w.drifted.add(s);
  }
  toString = () => `oob.clock(+2 days)`;
}

/** Someone in the partner tenant cuts a group's assignment down to User Administrator (no Privileged Role Administrator). */
class OobAccessRoles implements Cmd {
  constructor(
    readonly c: number,
    readonly group: number,
  ) {}
  check = (m: Readonly<Model>) => m.stacks.some((st) => !!st.resources[accessName(this.c, this.group)]);
  async run(_m: Model, w: World) {
    for (const r of (await modelRelationships(w, this.c)).filter((x) => x.status === "active")) {
      for (const a of (r.accessAssignments as any[]).filter(
        (x) => x.accessContainer.accessContainerId === partnerGroupIds[this.group] && x.status !== "deleted",
      )) {
        await w.admin
          .call("PUT", `/delegatedAdminRelationships/${r.id}/accessAssignments/${a.id}/roles`, { roleDefinitionIds: [builtInRoles["User Administrator"]] })
          .catch((e: Error) => w.log(`   (out-of-band accessRoles: ${e.message})`));
      }
    }
    for (let s = 0; s < stackCount; s++) w.drifted.add(s);
  }
  toString = () => `oob.accessRoles(c${this.c}, g${this.group}, [User Administrator])`;
}

/** The customer's administrator takes the model's users out of their directory role. */
class OobRemoveMembers implements Cmd {
  constructor(readonly c: number) {}
  check = (m: Readonly<Model>) => m.stacks.some((st) => Object.values(st.resources).some((d) => d.kind === "roleMember" && d.customer === this.c));
  async run(_m: Model, w: World) {
    const customerId = w.customers[this.c].id;
    const members: Record<string, string[]> = (await w.admin.call("GET", "/delegatedAdminRelationships")).roleMembers[customerId] ?? {};
    for (const [roleId, userIds] of Object.entries(members)) {
      for (const userId of userIds) {
        await w.admin
          .call("DELETE", `/customers/${customerId}/directoryroles/${roleId}/usermembers/${userId}`)
          .catch((e: Error) => w.log(`   (out-of-band removeMember: ${e.message})`));
      }
    }
    for (let s = 0; s < stackCount; s++) w.drifted.add(s);
  }
  toString = () => `oob.removeMembers(c${this.c})`;
}

// ---------------------------------------------------------------- out-of-band edits

type UserOob = "rename" | "renameUpn" | "softDelete" | "hardDelete";

class OobUser implements Cmd {
  constructor(
    readonly s: number,
    readonly slot: number,
    readonly action: UserOob,
  ) {}
  check = (m: Readonly<Model>) => !!m.stacks[this.s].resources[userName(this.slot)];
  async run(_m: Model, w: World) {
    const r = (await w.deployment(this.s)).resources?.find((x) => String(x.urn).endsWith(`::${userName(this.slot)}`));
    if (!r?.id) return;
    const path = `/customers/${r.outputs.customerId}/users/${r.id}`;
    const upn = String(r.outputs.userPrincipalName);
    const call =
      this.action === "rename"
        ? w.admin.call("PATCH", path, { displayName: "Renamed in the portal" })
        : this.action === "renameUpn"
          ? w.admin.call("PATCH", path, { userPrincipalName: upn.replace(".model@", ".portal.model@") })
          : w.admin.call("DELETE", `${path}?mode=${this.action === "softDelete" ? "soft" : "hard"}`);
    await call.catch((e: Error) => w.log(`   (out-of-band ${this.action}: ${e.message})`));
    for (let s = 0; s < stackCount; s++) w.drifted.add(s);
  }
  toString = () => `oob.${this.action}(${stackLabel(this.s)}.${userName(this.slot)})`;
}

type ConsentOob = "revokeGrant" | "removeScope" | "deleteServicePrincipal";

class OobConsent implements Cmd {
  constructor(
    readonly c: number,
    readonly action: ConsentOob,
  ) {}
  check = (m: Readonly<Model>) => m.stacks.some((st) => !!st.resources[consentName(this.c)]);
  async run(_m: Model, w: World) {
    const customerId = w.customers[this.c].id;
    const inv = await w.admin.inventory();
    const cust = (inv.customers as any[]).find((c) => c.id === customerId);
    const sp = (cust.servicePrincipals as any[]).find((x) => String(x.appId).toLowerCase() === w.applicationId.toLowerCase());
    if (!sp) return;
    const grant = (cust.grants as any[]).find((g) => g.clientId === sp.id);
    const call =
      this.action === "deleteServicePrincipal"
        ? w.admin.call("DELETE", `/customers/${customerId}/servicePrincipals/${w.applicationId}`)
        : !grant
          ? Promise.resolve()
          : this.action === "revokeGrant"
            ? w.admin.call("DELETE", `/customers/${customerId}/oauth2PermissionGrants/${grant.id}`)
            : w.admin.call("DELETE", `/customers/${customerId}/oauth2PermissionGrants/${grant.id}/scopes/${String(grant.scope).split(/[\s,]+/)[0]}`);
    await call.catch((e: Error) => w.log(`   (out-of-band ${this.action}: ${e.message})`));
    for (let s = 0; s < stackCount; s++) w.drifted.add(s);
  }
  toString = () => `oob.${this.action}(c${this.c})`;
}

/** Cuts (or gives back) a customer's GDAP roles. Needs the emulator's PATCH /customers/{id}; a 404 (older emulator) changes nothing. */
class SetGdap implements Cmd {
  constructor(
    readonly c: number,
    readonly reduced: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.reducedGdap.has(this.c) !== this.reduced;
  async run(m: Model, w: World) {
    try {
      await w.admin.call("PATCH", `/customers/${w.customers[this.c].id}`, { gdapRoles: this.reduced ? ["Global Reader"] : fullRoles });
      if (this.reduced) m.reducedGdap.add(this.c);
      else m.reducedGdap.delete(this.c);
    } catch (e) {
      if (!/-> 404/.test((e as Error).message)) throw e;
    }
  }
  toString = () => `oob.gdap(c${this.c}, ${this.reduced ? "cut" : "restored"})`;
}

// ---------------------------------------------------------------- faults (for the next run)

type FaultKind = "500" | "503" | "429" | "resetBeforeCommit" | "resetAfterCommit";

class ArmFault implements Cmd {
  /** `method`: only requests of that method (Graph's GDAP POSTs carry no idempotency key, so a client retries only its reads). */
  constructor(
    readonly group: string,
    readonly kind: FaultKind,
    readonly times: number,
    readonly method?: "GET",
  ) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const status = /^\d+$/.test(this.kind) ? Number(this.kind) : undefined;
    w.armed.rules.push({
      group: this.group,
      action: status ? "status" : this.kind,
      ...(status ? { status } : {}),
      times: this.times,
      ...(this.method ? { method: this.method } : {}),
    });
  }
  toString = () => `fault(${this.group}${this.method ? ` ${this.method}` : ""}, ${this.kind} x${this.times})`;
}

class ArmThrottle implements Cmd {
  constructor(readonly group: string) {}
  check = () => true;
  async run(_m: Model, w: World) {
    w.armed.limits[this.group] = { requestsPerSecond: 2, burst: 2, retryAfterSeconds: 1, ...(this.group === "users" ? { key: "partnerCustomer" } : {}) };
  }
  toString = () => `throttle(${this.group}, 2/s, Retry-After 1)`;
}

class ArmLatency implements Cmd {
  constructor(readonly seed: number) {}
  check = () => true;
  async run(_m: Model, w: World) {
    w.armed.latency = { fixedMs: 50, jitterMs: 400, distribution: "exponential", seed: this.seed };
  }
  toString = () => `latencySpikes(seed ${this.seed})`;
}

class ArmTokenExpiry implements Cmd {
  constructor(readonly afterMs: number) {}
  check = () => true;
  async run(_m: Model, w: World) {
    w.armed.clockJumpAfterMs = this.afterMs;
  }
  toString = () => `tokenExpiry(after ${this.afterMs} ms)`;
}

/**
 * Every later run of the sequence with PULUMI_SKIP_CHECKPOINTS=true (README "Large rollouts": the fast
 * mode), README's recovery included: the engine saves state only at the end of a run, so a killed CLI
 * leaves neither the answered creates nor the unfinished ones in the state; the create journal alone
 * takes them back.
 */
class FastMode implements Cmd {
  check = () => true;
  async run(_m: Model, w: World) {
    w.engineEnv = { PULUMI_SKIP_CHECKPOINTS: "true" };
  }
  toString = () => `fastMode(PULUMI_SKIP_CHECKPOINTS=true)`;
}

// ---------------------------------------------------------------- runs

/** The first error lines of a run, each cut short: enough to tell one defect from another. */
const briefErrors = (r: Parameters<typeof errorLines>[0]) =>
  errorLines(r)
    .split("\n")
    .filter((l) => !/\*\*[\w ]*failed|update failed|errored/.test(l))
    .slice(0, 3)
    .map((l) => l.trim().slice(0, 360))
    .join("\n");

type RunCommand = Exclude<RunKind, "recovery"> | "up --refresh";

const runArgs: Record<RunCommand, string[]> = {
  up: ["up", "--yes", "--skip-preview"],
  "up --refresh": ["up", "--yes", "--skip-preview", "--refresh"],
  preview: ["preview", "--refresh"],
  refresh: ["refresh", "--yes"],
  destroy: ["destroy", "--yes", "--skip-preview"],
};

/** One run of a stack, then the invariants; an interrupted run is followed by README's recovery and the invariants again. */
export async function runAndCheck(
  m: Model,
  w: World,
  s: number,
  kind: RunCommand,
  interruption: Interruption = "none",
  at = 1,
  file: RecoveryFile = "none",
): Promise<void> {
  const before = await snapshot(w);
  const reads = kind === "preview" || kind === "refresh";
  const allowed = reads ? expectedTrouble(w, m, s, before).filter((r) => r.startsWith("GDAP")) : expectedTrouble(w, m, s, before);
  w.writeDesired(m, s);
  // A wrong recovery file is refused at check, before any call: the only failure it may add.
  const env = file === "none" ? {} : await w.wrongRecoveryFile(s, file);
  const run = await w.run(s, runArgs[kind], interruption, at, env);
  const ok = run.result.status === 0;
  if (file !== "none") {
    const refused = !ok && /partnercenter:recoverFrom/.test(run.result.stdout + run.result.stderr);
    if (refused) {
      allowed.push(`a ${file} recovery file is refused`);
      w.count(`${file} recovery file refused`);
    }
    // Another stack's file is refused by every check: a stack that declares anything cannot succeed with it.
    else if (file === "foreign" && ok && Object.keys(m.stacks[s].resources).length) {
      w.violations.push({
        kind: "foreign-recovery-file-used",
        detail: `after ${w.currentCommand}: stack ${stackLabel(s)}'s up succeeded with another stack's recovery file`,
      });
      w.totals.violations++;
    }
    fs.rmSync(env.PARTNERCENTER_RECOVER_FROM, { force: true });
  }
  const refreshed = ok && !run.interrupted && (kind === "refresh" || kind === "up --refresh");
  if (refreshed) w.drifted.delete(s);
  const runKind: RunKind = kind === "up --refresh" ? "up" : kind;
  // A run that may change the service is, for the other owner of an object the two share, an out-of-band change.
  const changes = kind !== "preview" && kind !== "refresh";
  if (!run.interrupted) {
    const after = await checkAfterRun(w, m, {
      s,
      kind: runKind,
      ok,
      allowed,
      errors: briefErrors(run.result),
      before,
      drifted: w.drifted.has(s) && kind !== "destroy",
      refreshed,
    });
    if (changes) sharedOwnersAfterRun(w, s, before.deployments, after.deployments);
    return;
  }
  await checkAfterRun(w, m, { s, kind: runKind, ok, allowed, errors: "", before, interrupted: true });
  // A crash of the provider alone needs no recovery step: plain `up`s (the create journal).
  const rec = interruption === "provider" ? await w.recoverPlain(m, s) : await w.recover(m, s);
  if (rec.ok) w.drifted.delete(s);
  w.log(`   recovery of ${stackLabel(s)}: ${rec.steps.join("; ")}`);
  const after = await checkAfterRun(w, m, { s, kind: "recovery", ok: rec.ok, allowed, errors: rec.steps.join("\n"), before });
  sharedOwnersAfterRun(w, s, before.deployments, after.deployments);
}

/** A recovery file left set for a run that must not use it: another stack's, or this stack's from before its later runs. */
type RecoveryFile = "none" | "foreign" | "stale";

class Up implements Cmd {
  constructor(
    readonly s: number,
    readonly refresh: boolean,
    readonly interruption: Interruption,
    readonly at: number,
    readonly file: RecoveryFile = "none",
  ) {}
  check = () => true;
  run = (m: Model, w: World) => runAndCheck(m, w, this.s, this.refresh ? "up --refresh" : "up", this.interruption, this.at, this.file);
  toString = () =>
    `${stackLabel(this.s)}.up(${[
      this.refresh ? "--refresh" : "",
      this.interruption === "none" ? "" : `kill ${this.interruption} at event ${this.at}`,
      this.file === "none" ? "" : `${this.file} recovery file`,
    ]
      .filter(Boolean)
      .join(", ")})`;
}

class OtherRun implements Cmd {
  constructor(
    readonly s: number,
    readonly kind: "preview" | "refresh" | "destroy",
  ) {}
  check = () => true;
  run = (m: Model, w: World) => runAndCheck(m, w, this.s, this.kind);
  toString = () => `${stackLabel(this.s)}.${this.kind === "preview" ? "previewRefresh" : this.kind}()`;
}

// ---------------------------------------------------------------- fixed sequences

/**
 * Sequences that found defects (REPORT.md), run before the generated ones in every run: two stacks
 * meeting on one consent; one token-endpoint failure under a rollout; kill -9 of the CLI alone. And
 * GDAP's lifecycle (issue 18), which generated sequences seldom walk to the end: a relationship has
 * to be approved before its assignments and memberships can be made; and two stacks sharing a consent
 * and an approved relationship by adopt: true, which generated sequences seldom reach either. And the
 * fast mode's CLI kill.
 */
export function fixedSequences(): Cmd[][] {
  return [
    [new AddConsent(0, 0, 0, 0), new CopyFromOther(1, 0, false), new Up(0, false, "none", 1), new Up(1, false, "none", 1), new OtherRun(1, "destroy")],
    [new ArmFault("token", "503", 1), new AddUser(0, 1, 0, 0, false), new Up(0, false, "none", 1)],
    [new AddUser(0, 1, 1, 1, false), new Up(0, false, "cli", 1)],
    // GDAP (issue 18): an assignment and a membership before approval must fail; after it, they are
    // made; drift of the assignment's roles is repaired; expiry shows on refresh and the next up asks again.
    [
      new AddRelationship(0, 0, 0, false, 0),
      new AddUser(0, 1, 0, 0, false),
      new AddAccess(0, 0, 0, 0),
      new AddMember(0, 1),
      new Up(0, false, "none", 1),
      new OobRelationship(0, "approve"),
      new Up(0, true, "none", 1),
      new OobAccessRoles(0, 0),
      new Up(0, true, "none", 1),
      new OobClock(),
      new OtherRun(0, "refresh"),
    ],
    // Shared ownership by adopt: true (issue 28 item 12): B takes A's consent and relationship over
    // (both states hold them, adopted), the relationship is approved, and B's destroy deletes the
    // consent and ends the relationship that A still declares: README's "either's destroy deletes it".
    [
      new AddConsent(0, 0, 0, 0),
      new AddRelationship(0, 1, 0, false, 0),
      new CopyFromOther(1, 0, true),
      new CopyFromOther(1, 1, true),
      new Up(0, false, "none", 1),
      new Up(1, false, "none", 1),
      new OobRelationship(1, "approve"),
      new OtherRun(1, "destroy"),
      new RemoveResource(1, consentName(0)),
      new RemoveResource(1, relationshipName(1)),
    ],
    // The fast mode (issue 29 item 6): the CLI killed after some creates answered and before the end,
    // so the state holds none of them; README's recovery (its saved file names nothing then) and the
    // create journal take back exactly those, reading each answered one by its id. Then the stack's
    // own checkpoint from before those runs, left set as a recovery file, is refused as stale.
    [
      new FastMode(),
      new AddConsent(0, 0, 0, 0),
      new AddConsent(0, 1, 0, 0),
      new AddConsent(0, 2, 0, 0),
      new AddUser(0, 1, 0, 0, false),
      new AddUser(0, 2, 1, 1, false),
      new AddUser(0, 3, 2, 2, false),
      new Up(0, false, "cli", 9),
      new Up(0, false, "none", 1, "stale"),
    ],
  ];
}

// ---------------------------------------------------------------- the arbitrary

const customer = fc.integer({ min: 0, max: customerCount - 1 });
const slot = fc.integer({ min: 1, max: userSlots });
const alias = fc.integer({ min: 0, max: aliases.length - 1 });

export interface Mix {
  /** arm faults (statuses, resets, throttling, latency, token expiry) */
  faults: boolean;
  /** interrupt runs */
  kills: boolean;
  /** how many of the stacks the commands use (1: no two stacks over one object) */
  stacks: number;
}

/** The command arbitraries; runs are listed several times, so that edits are applied often. */
export function commandArbitraries(mix: Mix = { faults: true, kills: true, stacks: stackCount }): fc.Arbitrary<Cmd>[] {
  const stack = fc.integer({ min: 0, max: Math.min(mix.stacks, stackCount) - 1 });
  const up = fc
    .tuple(
      stack,
      fc.boolean(),
      mix.kills ? fc.constantFrom<Interruption>("none", "none", "none", "cli", "provider", "group", "sigint") : fc.constant<Interruption>("none"),
      fc.integer({ min: 1, max: 6 }),
      mix.kills ? fc.constantFrom<RecoveryFile>("none", "none", "none", "none", "none", "foreign", "stale") : fc.constant<RecoveryFile>("none"),
    )
    // A wrong recovery file rides on an uninterrupted run: the refusal is the event.
    .map(([s, r, i, at, f]) => new Up(s, r, i, at, i === "none" ? f : "none"));
  const copy = fc.tuple(stack, fc.nat(7), fc.boolean()).map(([s, p, ad]) => new CopyFromOther(s, p, ad));
  const addConsent = fc
    .tuple(stack, customer, fc.integer({ min: 0, max: scopeVariants.length - 1 }), fc.integer({ min: 0, max: 1 }))
    .map(([s, c, sc, n]) => new AddConsent(s, c, sc, n));
  const arbs: fc.Arbitrary<Cmd>[] = [
    addConsent,
    addConsent,
    fc
      .tuple(stack, customer, fc.constantFrom<"scopes" | "name">("scopes", "name"), fc.integer({ min: 0, max: scopeVariants.length - 1 }))
      .map(([s, c, w, v]) => new ChangeConsent(s, c, w, w === "name" ? v % 2 : v)),
    fc.tuple(stack, customer).map(([s, c]) => new RemoveResource(s, consentName(c))),
    fc.tuple(stack, slot, customer, alias, fc.boolean()).map(([s, sl, c, a, ad]) => new AddUser(s, sl, c, a, ad)),
    fc.tuple(stack, slot, customer, alias, fc.boolean()).map(([s, sl, c, a, ad]) => new AddUser(s, sl, c, a, ad)),
    fc
      .tuple(
        stack,
        slot,
        fc.constantFrom<UserField>("displayName", "upn", "password", "anchor", "customer", "adopt"),
        fc.integer({ min: 0, max: aliases.length - 1 }),
      )
      .map(([s, sl, f, v]) => new ChangeUser(s, sl, f, f === "customer" ? v % customerCount : v)),
    fc.tuple(stack, slot).map(([s, sl]) => new RemoveResource(s, userName(sl))),
    ...(mix.stacks > 1 ? [copy, copy] : []),
    fc.tuple(stack, slot, fc.constantFrom<UserOob>("rename", "renameUpn", "softDelete", "hardDelete")).map(([s, sl, a]) => new OobUser(s, sl, a)),
    fc.tuple(customer, fc.constantFrom<ConsentOob>("revokeGrant", "removeScope", "deleteServicePrincipal")).map(([c, a]) => new OobConsent(c, a)),
    fc.tuple(customer, fc.boolean()).map(([c, r]) => new SetGdap(c, r)),
    // GDAP (issue 18): program edits, the customer's side and the clock.
    fc
      .tuple(stack, customer, fc.integer({ min: 0, max: relationshipRoleVariants.length - 1 }), fc.boolean(), fc.integer({ min: 0, max: 1 }))
      .map(([s, c, r, e, n]) => new AddRelationship(s, c, r, e, n)),
    fc.tuple(stack, customer, fc.constantFrom<RelationshipField>("roles", "extend", "name")).map(([s, c, f]) => new ChangeRelationship(s, c, f)),
    fc
      .tuple(stack, customer, fc.integer({ min: 0, max: partnerGroupIds.length - 1 }), fc.integer({ min: 0, max: accessRoleVariants.length - 1 }))
      .map(([s, c, g, r]) => new AddAccess(s, c, g, r)),
    fc.tuple(stack, customer, fc.integer({ min: 0, max: partnerGroupIds.length - 1 })).map(([s, c, g]) => new ChangeAccess(s, c, g)),
    fc.tuple(stack, slot).map(([s, sl]) => new AddMember(s, sl)),
    fc
      .tuple(stack, customer, fc.integer({ min: 0, max: 2 }))
      .map(([s, c, k]) => new RemoveResource(s, k === 0 ? relationshipName(c) : k === 1 ? accessName(c, 0) : memberName((c % userSlots) + 1))),
    customer.map((c) => new OobRelationship(c, "approve")),
    customer.map((c) => new OobRelationship(c, "approve")),
    customer.map((c) => new OobRelationship(c, "terminate")),
    fc.constant(new OobClock()),
    fc.tuple(customer, fc.integer({ min: 0, max: partnerGroupIds.length - 1 })).map(([c, g]) => new OobAccessRoles(c, g)),
    customer.map((c) => new OobRemoveMembers(c)),
    up,
    up,
    up,
    up,
    up,
    fc.tuple(stack, fc.constantFrom<"preview" | "refresh" | "destroy">("preview", "refresh", "destroy")).map(([s, k]) => new OtherRun(s, k)),
  ];
  if (mix.faults) {
    const fault = fc
      .tuple(
        fc.constantFrom("token", "users", "consents", "graph"),
        fc.constantFrom<FaultKind>("500", "503", "429", "resetBeforeCommit", "resetAfterCommit"),
        fc.integer({ min: 1, max: 2 }),
      )
      .map(([g, k, t]) => new ArmFault(g, k, t));
    arbs.push(
      fault,
      fault,
      fault,
      fc
        .tuple(fc.constantFrom("gdap", "directoryRoles"), fc.constantFrom<FaultKind>("500", "503", "429"), fc.integer({ min: 1, max: 2 }))
        .map(([g, k, t]) => new ArmFault(g, k, t, "GET")),
      fc.constantFrom("token", "users", "consents", "graph").map((g) => new ArmThrottle(g)),
      fc.nat(1000).map((seed) => new ArmLatency(seed)),
      fc.integer({ min: 500, max: 4000 }).map((ms) => new ArmTokenExpiry(ms)),
    );
  }
  return arbs;
}
