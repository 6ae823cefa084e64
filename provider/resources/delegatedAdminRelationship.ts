/**
 * The DelegatedAdminRelationship dynamic provider: a GDAP relationship with one customer (Graph
 * `delegatedAdminRelationship`). Create makes it (`created`) and locks it for approval
 * (`approvalPending`); the customer approves it through the link in `approvalUrl`; refresh shows its
 * status as it moves (active, expired, terminated).
 *
 * What can change depends on the status, as on Graph (delegatedadminrelationship-update): while
 * `created` every field is PATCHed (with the etag as If-Match); `autoExtendDuration` also while
 * `active` (a change asked for while `approvalPending` waits, with a warning, until it is active).
 * Otherwise a change of name, duration or roles needs a new relationship, which Graph names apart
 * (relationshipNames.ts):
 *
 * - of an **active** one, a rollout in two steps, so that the partner never loses the old roles
 *   before the new ones are approved: the `up` that sees the change requests the new relationship
 *   (`successor`) and keeps this one; once the customer approved it, `up --refresh` switches the
 *   resource to it (a replacement that takes the successor, no new request) and ends this one;
 * - of any other one, a replacement: the new one first, then the old one ends as Graph allows.
 *
 * A relationship that has ended is replaced (the program still declares one) once a refresh shows it:
 * a plain `up` reads nothing, like any Pulumi provider's.
 *
 * Delete terminates an active relationship and deletes one still `created`. Graph deletes nothing
 * else ("A relationship can only be deleted if it's in the 'created' status"): one awaiting approval
 * is left to expire, with a warning that names it, and dropped from the state.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isPartnerCenterError, PartnerCenterError } from "../errors";
import type { DelegatedAdminRelationship } from "../clients/gdapSchemas";
import { requireGuid } from "../clients/path";
import { priorIntents } from "./journal";
import {
  CreateJournal,
  CreateRequest,
  createRequestId,
  journaledCreate,
  madeByInterruptedRun,
  reportRecovered,
  requestFor,
  retiringAnswered,
  timeOrderedUuid,
  withoutCreateRequestId,
} from "./recovery";
import { adoptionHint, adoptMatching, outcomeUnknown, reportAdoption, unknownOutcomeHint } from "./adoption";
import { checkInputs, RelationshipInputs, relationshipInputsSchema, RelationshipOutputs, sameRoles } from "./gdapInputs";
import { endingOrEnded, freeName, isNameOf, sameDisplayName } from "./relationshipNames";
import { configure, context, StackConfig, warn } from "./runtime";

export type { RelationshipOutputs };
type Successor = NonNullable<RelationshipOutputs["successor"]>;

/** Where the customer's Global Administrator approves the relationship (Partner Center's documented link). */
export const approvalUrl = (id: string) => `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${id}`;

/** Statuses after which a relationship gives nothing and never comes back. */
export const endedStatuses = new Set(["expired", "terminated"]);
/** Fields the partner may change only while the relationship is `created`. */
const editableWhileCreated = ["displayName", "duration", "roleDefinitionIds", "customerDisplayName"] as const;

const rolesOf = (r: DelegatedAdminRelationship) => r.accessDetails.unifiedRoles.map((x) => x.roleDefinitionId.toLowerCase());

function outputs(inputs: RelationshipInputs, r: DelegatedAdminRelationship, successor: Successor | null = null): RelationshipOutputs {
  return {
    ...withoutCreateRequestId(inputs),
    // The program's name while Graph's is that name (ignoring case, or numbered); Graph's otherwise.
    displayName: isNameOf(r.displayName, inputs.displayName) ? inputs.displayName : r.displayName,
    serviceDisplayName: r.displayName,
    duration: r.duration,
    roleDefinitionIds: sameRoles(rolesOf(r), inputs.roleDefinitionIds) ? inputs.roleDefinitionIds : rolesOf(r),
    autoExtendDuration: r.autoExtendDuration as RelationshipInputs["autoExtendDuration"],
    status: r.status,
    approvalUrl: approvalUrl(r.id),
    createdDateTime: r.createdDateTime ?? null,
    activatedDateTime: r.activatedDateTime ?? null,
    endDateTime: r.endDateTime ?? null,
    successor,
  };
}

function body(inputs: RelationshipInputs, serviceDisplayName = inputs.displayName) {
  return {
    displayName: serviceDisplayName,
    duration: inputs.duration,
    customer: { tenantId: inputs.customerId, ...(inputs.customerDisplayName ? { displayName: inputs.customerDisplayName } : {}) },
    accessDetails: { unifiedRoles: inputs.roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
    autoExtendDuration: inputs.autoExtendDuration,
  };
}

const describe = (r: DelegatedAdminRelationship) =>
  `id ${r.id}, ${r.status}, customer ${r.customer?.tenantId ?? "(any)"}, duration ${r.duration}, roles ${rolesOf(r).join(", ")}`;

/** Exactly what the program declares (the name is already the same, as Graph compares names). */
const matches = (r: DelegatedAdminRelationship, inputs: RelationshipInputs) =>
  r.customer?.tenantId.toLowerCase() === inputs.customerId.toLowerCase() &&
  r.duration === inputs.duration &&
  r.autoExtendDuration === inputs.autoExtendDuration &&
  sameRoles(rolesOf(r), inputs.roleDefinitionIds);

/** The successor asks for exactly what the program now declares. */
const successorIsFor = (s: Successor, news: RelationshipInputs) =>
  s.displayName === news.displayName &&
  s.duration === news.duration &&
  sameRoles(s.roleDefinitionIds, news.roleDefinitionIds) &&
  (s.customerDisplayName ?? null) === (news.customerDisplayName ?? null);

/**
 * What `diff` knows and `create` needs for a replacement: the relationship being replaced (its name
 * is not another stack's) and, at the end of a rollout, the successor to take. Keyed by customer and
 * name (one per stack: Graph keeps names unique), not the request id: the engine checks a replacement's
 * inputs again before its create, which makes a new one. The engine runs diff and create of one run
 * in this one process.
 */
const replacing = new Map<string, { predecessorId: string; recordedStatus: string; successorId?: string }>();
const replacementKey = (i: RelationshipInputs) => `${i.customerId?.toLowerCase()}|${i.displayName?.toLowerCase()}`;
/** Successors a create took over in this run: the delete of the relationship they replace leaves them alone. */
const handedOver = new Set<string>();

async function fresh(id: string, operation: string): Promise<DelegatedAdminRelationship> {
  const r = await context().gdap.getRelationship(id);
  if (!r)
    throw new PartnerCenterError(
      { operation, statusCode: 404 },
      `Could not ${operation}: Graph has no delegated admin relationship ${id} (deleted outside Pulumi?). Run \`pulumi refresh\`.`,
    );
  return r;
}

async function lockIfAsked(inputs: RelationshipInputs, r: DelegatedAdminRelationship): Promise<DelegatedAdminRelationship> {
  if (!inputs.lockForApproval || r.status !== "created") return r;
  try {
    await context().gdap.requestAction(r.id, "lockForApproval");
  } catch (err) {
    throw new PartnerCenterError(
      { operation: `lock the delegated admin relationship '${r.displayName}' for approval`, customerId: inputs.customerId, cause: err },
      `The delegated admin relationship '${r.displayName}' (${r.id}) was created but could not be locked for approval: ${(err as Error).message} ` +
        `Run \`pulumi up\` once with PARTNERCENTER_ADOPT_MATCHING=true to take it over and lock it (README "Recovering after an interrupted run").`,
    );
  }
  return fresh(r.id, `read the delegated admin relationship ${r.id}`);
}

/** A live relationship with the program's name, found at create time: taken only when told (see adoption.ts). */
async function takeOver(
  inputs: RelationshipInputs,
  r: DelegatedAdminRelationship,
  operation: string,
  request: CreateRequest,
): Promise<DelegatedAdminRelationship> {
  const same = matches(r, inputs);
  // The interrupted run's unfinished create of this very relationship made it (recovery.ts).
  const recovered = madeByInterruptedRun(request, r.createdDateTime, same);
  const reason = inputs.adopt ? "adopt" : same && adoptMatching() ? "adoptMatching" : recovered ? "recovered" : undefined;
  if (!reason) {
    throw new PartnerCenterError(
      { operation, customerId: inputs.customerId, statusCode: 409 },
      `Could not ${operation} for customer ${inputs.customerId}: a relationship with that name already exists (${describe(r)}${r.displayName === inputs.displayName ? "" : `, named '${r.displayName}': Graph compares names ignoring case`})${same ? "" : `, while the program asks for customer ${inputs.customerId}, duration ${inputs.duration}, roles ${inputs.roleDefinitionIds.join(", ")}`}. ${adoptionHint("DelegatedAdminRelationship")}`,
    );
  }
  if (!same && r.status !== "created") {
    throw new PartnerCenterError(
      { operation, customerId: inputs.customerId, statusCode: 409 },
      `Could not ${operation}: a relationship with that name already exists (${describe(r)}) and, being ${r.status}, it can no longer be changed to the program's customer, duration and roles. Declare it as it is, or terminate it first.`,
    );
  }
  const taken = same ? r : await context().gdap.updateRelationship(r.id, r["@odata.etag"] ?? "*", { ...body(inputs), displayName: r.displayName });
  const what = `the delegated admin relationship '${r.displayName}' (${r.id})${r.displayName === inputs.displayName ? "" : ` (the program's '${inputs.displayName}', as Graph compares names: ignoring case)`}`;
  if (reason === "recovered") reportRecovered(what, request, r.createdDateTime ?? null);
  else reportAdoption(what, reason);
  return taken;
}

/** Creates a relationship under a name Graph has not seen (relationshipNames.ts) and locks it when asked. */
async function request(inputs: RelationshipInputs, taken: DelegatedAdminRelationship[], journal: CreateJournal): Promise<DelegatedAdminRelationship> {
  const name = await freeName(inputs.displayName, taken);
  // A numbered name is what a later run must look for, should this create never answer.
  if (name !== inputs.displayName) await journal.sending(name);
  const r = await context().gdap.createRelationship(body(inputs, name));
  return lockIfAsked(inputs, r);
}

/**
 * The successor of an active relationship (the rollout's first step), journaled as any create: an
 * earlier run whose request never answered left its name in the journal, and the relationship Graph
 * made under that name after it was asked for, with exactly what the program declares, is taken
 * instead of requesting another.
 */
async function requestSuccessor(predecessorId: string, news: RelationshipInputs): Promise<DelegatedAdminRelationship> {
  const gdap = context().gdap;
  const earlier = (await priorIntents()).filter((i) => i.kind === "DelegatedAdminRelationship" && i.successorOf === predecessorId);
  const asked = requestFor(earlier, timeOrderedUuid());
  return journaledCreate("DelegatedAdminRelationship", news, asked, {
    what: `the delegated admin relationship '${news.displayName}' requested to follow ${predecessorId}`,
    successorOf: predecessorId,
    takeBack: (id) => answeredRelationship(news, id, predecessorId),
    send: async (journal) => {
      const sent = asked.prior?.serviceName ?? news.displayName;
      const found = asked.prior && (await gdap.listRelationships({ displayName: sent })).find((x) => !endingOrEnded.has(x.status) && x.id !== predecessorId);
      if (found && madeByInterruptedRun(asked, found.createdDateTime, matches(found, news))) {
        reportRecovered(
          `the delegated admin relationship '${found.displayName}' (${found.id}) requested to follow ${predecessorId}`,
          asked,
          found.createdDateTime ?? null,
        );
        return lockIfAsked(news, found);
      }
      return request(news, await gdap.listRelationships({ displayName: news.displayName }), journal);
    },
  });
}

/**
 * What an earlier run's answered create of this relationship made, read by the id Graph gave (locked
 * for approval when the program asks); undefined once it is ending or ended, or when it is the one
 * being replaced (never this create's result).
 */
async function answeredRelationship(inputs: RelationshipInputs, id: string, replaced?: string): Promise<DelegatedAdminRelationship | undefined> {
  if (id === replaced) return undefined;
  const r = await context().gdap.getRelationship(id);
  return r && !endingOrEnded.has(r.status) ? lockIfAsked(inputs, r) : undefined;
}

/** Ends what Graph lets the partner end; a relationship awaiting approval stays, named in a warning. */
async function end(id: string, why: string): Promise<void> {
  const gdap = context().gdap;
  const r = await gdap.getRelationship(id);
  if (!r || endingOrEnded.has(r.status)) return;
  if (r.status === "active") return gdap.requestAction(id, "terminate");
  if (r.status === "created") return gdap.deleteRelationship(id, r["@odata.etag"] ?? "*");
  if (r.status === "approvalPending") {
    warn(
      `${why}: the delegated admin relationship '${r.displayName}' (${id}) awaits the customer's approval and stays on Graph, which deletes only relationships in status created. ` +
        `It is no longer in this stack's state. It expires unapproved; until then ask the customer not to approve it (${approvalUrl(id)}), or terminate it once active.`,
    );
    return;
  }
  throw new PartnerCenterError(
    { operation: `end the delegated admin relationship ${id}` },
    `Could not end the delegated admin relationship ${id}: it is ${r.status}, between approval and active, and can be neither deleted nor terminated yet. Run the command again in a few minutes.`,
  );
}

/**
 * \`DelegatedAdminRelationship.get\`: the relationship with this id, whatever its status; a missing
 * one is an error (not an empty resource), and so is one of another customer than \`customerId\`.
 */
async function readForGet(id: string, customerId: string | undefined) {
  const operation = `read the delegated admin relationship ${id} (DelegatedAdminRelationship.get)`;
  requireGuid("relationshipId", id, operation);
  if (customerId !== undefined) requireGuid("customerId", customerId, operation);
  const r = await context().gdap.getRelationship(id);
  if (!r)
    throw new PartnerCenterError(
      { operation, statusCode: 404 },
      `Could not ${operation}: Graph has no delegated admin relationship with that id. Check the id given to DelegatedAdminRelationship.get.`,
    );
  const tenantId = r.customer?.tenantId ?? "";
  if (customerId !== undefined && tenantId.toLowerCase() !== customerId.toLowerCase()) {
    throw new PartnerCenterError(
      { operation, customerId },
      `Could not ${operation}: it is customer ${tenantId || "(none)"}'s relationship, not customer ${customerId}'s. Check the id and customerId given to DelegatedAdminRelationship.get.`,
    );
  }
  const inputs: RelationshipInputs = {
    displayName: r.displayName,
    customerId: tenantId,
    ...(r.customer?.displayName ? { customerDisplayName: r.customer.displayName } : {}),
    duration: r.duration,
    roleDefinitionIds: rolesOf(r),
    autoExtendDuration: r.autoExtendDuration as RelationshipInputs["autoExtendDuration"],
    lockForApproval: r.status !== "created",
    adopt: false,
  };
  return { id, props: outputs(inputs, r), inputs };
}

/** A successor as the state shows it, read again (null once Graph no longer has it or it ended). */
async function reread(s: Successor | null | undefined): Promise<Successor | null> {
  if (!s) return null;
  const r = await context().gdap.getRelationship(s.id);
  if (!r || endingOrEnded.has(r.status)) {
    warn(
      `the delegated admin relationship '${s.serviceDisplayName}' (${s.id}) requested for a change ${r ? `has ended (${r.status})` : "is gone"}: the next \`pulumi up\` requests the change again.`,
    );
    return null;
  }
  return { ...s, status: r.status, serviceDisplayName: r.displayName };
}

export const delegatedAdminRelationshipProvider = retiringAnswered("DelegatedAdminRelationship", {
  async configure(req: { config: StackConfig }): Promise<void> {
    configure(req.config);
  },

  async check(_olds: unknown, news: Record<string, unknown>) {
    return checkInputs(relationshipInputsSchema, news);
  },

  async diff(id: string, olds: RelationshipOutputs, news: RelationshipInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    const changed: string[] = [];
    const differs = (k: keyof RelationshipInputs) =>
      k === "roleDefinitionIds" ? !sameRoles(olds.roleDefinitionIds, news.roleDefinitionIds) : (olds[k] ?? null) !== (news[k] ?? null);
    const locked: string[] = [];
    for (const k of editableWhileCreated) {
      if (!differs(k)) continue;
      // A change of case only is no new name on Graph: recorded, never a replacement.
      if (olds.status === "created" || (k === "displayName" && sameDisplayName(olds.displayName, news.displayName))) changed.push(k);
      else locked.push(k);
    }
    for (const k of ["autoExtendDuration", "lockForApproval", "adopt"] as const) if (differs(k)) changed.push(k);
    const successor = olds.successor;
    if (olds.customerId?.toLowerCase() !== news.customerId?.toLowerCase()) replaces.push("customerId");
    // Ended: the program still declares a relationship, so a new one is made.
    else if (endedStatuses.has(olds.status)) replaces.push("status");
    else if (locked.length && olds.status === "active") {
      // The rollout: request the successor (update), wait for its approval, then switch (replace).
      if (!successor || !successorIsFor(successor, news)) changed.push(...locked);
      else if (successor.status === "active") replaces.push(...locked);
      else
        warn(
          `the delegated admin relationship '${olds.serviceDisplayName ?? olds.displayName}' (${id}) keeps its roles until the customer approves '${successor.serviceDisplayName}' (${successor.id}, ${successor.status} at the last refresh) at ${successor.approvalUrl}; ` +
            `then \`pulumi up --refresh\` switches to it and terminates this one.`,
        );
    } else replaces.push(...locked);
    if (successor && !locked.length && olds.status === "active") changed.push("successor"); // the program went back: drop the request
    if (replaces.length) {
      const key = replacementKey(news);
      const take = successor && successorIsFor(successor, news) && successor.status === "active" ? successor.id : undefined;
      replacing.set(key, { predecessorId: id, recordedStatus: olds.status, successorId: take });
    }
    return { changes: replaces.length + changed.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: RelationshipInputs): Promise<{ id: string; outs: RelationshipOutputs }> {
    const gdap = context().gdap;
    const operation = `create the delegated admin relationship '${inputs.displayName}'`;
    const replacement = replacing.get(replacementKey(inputs));
    if (replacement?.successorId) {
      // The rollout's second step: the successor the customer approved becomes this resource.
      const r = await fresh(replacement.successorId, `take the approved delegated admin relationship ${replacement.successorId}`);
      handedOver.add(r.id);
      return { id: r.id, outs: outputs(inputs, r) };
    }
    // Graph lists every relationship of that name, ignoring case. A live one is another's or an
    // interrupted run's (also when the POST answers 409: a retried POST whose first answer was lost),
    // unless it is the one this replaces; the rest (ended, or the replaced one) only take the name.
    const named = async () => gdap.listRelationships({ displayName: inputs.displayName });
    const live = (rows: DelegatedAdminRelationship[]) => rows.find((x) => !endingOrEnded.has(x.status) && x.id !== replacement?.predecessorId);
    if (replacement) {
      // The state said it was not active; if it is now, replacing it would end roles the partner holds.
      const old = await gdap.getRelationship(replacement.predecessorId);
      if (old?.status === "active" && replacement.recordedStatus !== "active")
        throw new PartnerCenterError(
          { operation, customerId: inputs.customerId, statusCode: 409 },
          `Could not ${operation}: the relationship it replaces, '${old.displayName}' (${old.id}), has become active since the state was last refreshed. Run \`pulumi up --refresh\`: the change then rolls out without ending its roles before the new relationship is approved.`,
        );
    }
    // An interrupted run's unfinished create of this very relationship (recovery file or journal: recovery.ts).
    const asked = await createRequestId(
      "DelegatedAdminRelationship",
      inputs,
      (p) => String(p.customerId).toLowerCase() === inputs.customerId.toLowerCase() && isNameOf(String(p.displayName), inputs.displayName),
    );
    return journaledCreate("DelegatedAdminRelationship", inputs, asked, {
      what: `the delegated admin relationship '${inputs.displayName}' of customer ${inputs.customerId}`,
      takeBack: async (id) => {
        const r = await answeredRelationship(inputs, id, replacement?.predecessorId);
        return r && { id: r.id, outs: outputs(inputs, r) };
      },
      send: async (journal) => {
        let rows = await named();
        let r = live(rows);
        // The journal knows the numbered name that create sent ("Name (2)"): look there too.
        const sent = asked.prior?.serviceName;
        if (!r && sent && !sameDisplayName(sent, inputs.displayName)) r = live(await gdap.listRelationships({ displayName: sent }));
        if (r) return { id: r.id, outs: outputs(inputs, await lockIfAsked(inputs, await takeOver(inputs, r, operation, asked))) };
        try {
          r = await request(inputs, rows, journal);
        } catch (err) {
          if (outcomeUnknown(err)) {
            const what = `the delegated admin relationship '${inputs.displayName}'`;
            throw new PartnerCenterError({ operation, customerId: inputs.customerId, cause: err }, `${(err as Error).message} ${unknownOutcomeHint(what)}`);
          }
          if (!(isPartnerCenterError(err) && err.statusCode === 409)) throw err;
          rows = await named();
          r = live(rows);
          if (!r) throw err;
          r = await lockIfAsked(inputs, await takeOver(inputs, r, operation, asked));
        }
        return { id: r.id, outs: outputs(inputs, r) };
      },
    });
  },

  async read(id: string, props: RelationshipOutputs) {
    // \`DelegatedAdminRelationship.get\` reads with the id alone (a managed one always has a status).
    if (props.status === undefined) return readForGet(id, props.customerId);
    const r = await context().gdap.getRelationship(id);
    if (!r) return { id: "", props: {} };
    const live = outputs(props, r, await reread(props.successor));
    const {
      status: _s,
      approvalUrl: _a,
      createdDateTime: _c,
      activatedDateTime: _ad,
      endDateTime: _e,
      serviceDisplayName: _n,
      successor: _su,
      ...inputs
    } = live;
    return { id, props: live, inputs };
  },

  async update(id: string, olds: RelationshipOutputs, news: RelationshipInputs) {
    const gdap = context().gdap;
    let r = await fresh(id, `update the delegated admin relationship ${id}`);
    const patch: Record<string, unknown> = {};
    let successor = olds.successor ?? null;
    if (r.status === "created") {
      const full = body(news);
      if (r.displayName !== news.displayName) patch.displayName = full.displayName;
      if (r.duration !== news.duration) patch.duration = full.duration;
      if (!sameRoles(rolesOf(r), news.roleDefinitionIds)) patch.accessDetails = full.accessDetails;
      if ((olds.customerDisplayName ?? null) !== (news.customerDisplayName ?? null)) patch.customer = full.customer;
    } else if (r.status === "active") {
      const lockedChange =
        !isNameOf(r.displayName, news.displayName) ||
        r.duration !== news.duration ||
        !sameRoles(rolesOf(r), news.roleDefinitionIds) ||
        (olds.customerDisplayName ?? null) !== (news.customerDisplayName ?? null);
      if (successor && (!lockedChange || !successorIsFor(successor, news))) {
        // Asked for something else (or nothing) now: the earlier request is withdrawn as far as Graph allows.
        await end(successor.id, `the change it was requested for is no longer declared`);
        successor = null;
      }
      if (lockedChange && !successor) {
        const s = await requestSuccessor(id, news);
        successor = {
          id: s.id,
          serviceDisplayName: s.displayName,
          status: s.status,
          approvalUrl: approvalUrl(s.id),
          displayName: news.displayName,
          duration: news.duration,
          roleDefinitionIds: news.roleDefinitionIds,
          ...(news.customerDisplayName !== undefined ? { customerDisplayName: news.customerDisplayName } : {}),
        };
        warn(
          `requested the delegated admin relationship '${s.displayName}' (${s.id}) with the program's name, duration and roles; the customer approves it at ${successor.approvalUrl}. ` +
            `Until then '${r.displayName}' (${id}) stays, with its roles and access assignments; the \`pulumi up --refresh\` after the approval switches to the new one and terminates the old one.`,
        );
      }
    }
    if (r.autoExtendDuration !== news.autoExtendDuration) {
      // delegatedadminrelationship-update: "the autoExtendDuration property when status is either created or active".
      if (r.status === "created" || r.status === "active") patch.autoExtendDuration = news.autoExtendDuration;
      else
        warn(
          `autoExtendDuration of the delegated admin relationship '${r.displayName}' (${id}) stays ${r.autoExtendDuration} for now: Graph changes it only while a relationship is created or active, and this one is ${r.status}. ` +
            `Run \`pulumi up --refresh\` once the customer approved it to apply ${news.autoExtendDuration}.`,
        );
    }
    if (Object.keys(patch).length) r = await gdap.updateRelationship(id, r["@odata.etag"] ?? "*", patch);
    r = await lockIfAsked(news, r);
    return { outs: outputs(news, r, successor) };
  },

  async delete(id: string, props: RelationshipOutputs): Promise<void> {
    // A successor that a replacement took over is that resource's now; any other is ended with this one.
    const successor = props?.successor;
    if (successor && !handedOver.has(successor.id)) await end(successor.id, `destroying the delegated admin relationship ${id}`);
    await end(id, `deleting the delegated admin relationship ${id}`);
  },
} satisfies pulumi.dynamic.ResourceProvider);
