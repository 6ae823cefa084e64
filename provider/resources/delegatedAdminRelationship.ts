/**
 * The DelegatedAdminRelationship dynamic provider: a GDAP relationship with one customer (Graph
 * `delegatedAdminRelationship`). Create makes it (`created`) and locks it for approval
 * (`approvalPending`); the customer approves it through the link in `approvalUrl`; refresh shows its
 * status as it moves (active, expired, terminated).
 *
 * What can change depends on the status, as on the service: while `created` every field is PATCHed
 * (with the etag as If-Match); once locked only `autoExtendDuration`, so a change of name, duration
 * or roles replaces the relationship (terminate or delete first: the name is unique). A relationship
 * that has ended (expired, terminated) is replaced by the next `up`: the program still declares one.
 *
 * Delete terminates an active relationship and deletes one never approved.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isPartnerCenterError, PartnerCenterError } from "../errors";
import type { DelegatedAdminRelationship } from "../clients/gdapSchemas";
import { requireGuid } from "../clients/path";
import { createRequestId, madeByInterruptedRun, reportRecovered, withoutCreateRequestId } from "./recovery";
import { adoptionHint, adoptMatching, outcomeUnknown, reportAdoption, unknownOutcomeHint } from "./adoption";
import { checkInputs, RelationshipInputs, relationshipInputsSchema, RelationshipOutputs, sameRoles } from "./gdapInputs";
import { configure, context, StackConfig } from "./runtime";

export type { RelationshipOutputs };

/** Where the customer's Global Administrator approves the relationship (Partner Center's documented link). */
export const approvalUrl = (id: string) => `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${id}`;

/** Statuses after which a relationship gives nothing and never comes back. */
export const endedStatuses = new Set(["expired", "terminated"]);
/** Fields the partner may change only while the relationship is `created`. */
const editableWhileCreated = ["displayName", "duration", "roleDefinitionIds", "customerDisplayName"] as const;

const rolesOf = (r: DelegatedAdminRelationship) => r.accessDetails.unifiedRoles.map((x) => x.roleDefinitionId.toLowerCase());

function outputs(inputs: RelationshipInputs, r: DelegatedAdminRelationship): RelationshipOutputs {
  return {
    ...withoutCreateRequestId(inputs),
    displayName: r.displayName,
    duration: r.duration,
    roleDefinitionIds: sameRoles(rolesOf(r), inputs.roleDefinitionIds) ? inputs.roleDefinitionIds : rolesOf(r),
    autoExtendDuration: r.autoExtendDuration as RelationshipInputs["autoExtendDuration"],
    status: r.status,
    approvalUrl: approvalUrl(r.id),
    createdDateTime: r.createdDateTime ?? null,
    activatedDateTime: r.activatedDateTime ?? null,
    endDateTime: r.endDateTime ?? null,
  };
}

function body(inputs: RelationshipInputs) {
  return {
    displayName: inputs.displayName,
    duration: inputs.duration,
    customer: { tenantId: inputs.customerId, ...(inputs.customerDisplayName ? { displayName: inputs.customerDisplayName } : {}) },
    accessDetails: { unifiedRoles: inputs.roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
    autoExtendDuration: inputs.autoExtendDuration,
  };
}

const describe = (r: DelegatedAdminRelationship) =>
  `id ${r.id}, ${r.status}, customer ${r.customer?.tenantId ?? "(any)"}, duration ${r.duration}, roles ${rolesOf(r).join(", ")}`;

/** Exactly what the program declares (the name is already the same). */
const matches = (r: DelegatedAdminRelationship, inputs: RelationshipInputs) =>
  r.customer?.tenantId.toLowerCase() === inputs.customerId.toLowerCase() &&
  r.duration === inputs.duration &&
  r.autoExtendDuration === inputs.autoExtendDuration &&
  sameRoles(rolesOf(r), inputs.roleDefinitionIds);

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
      { operation: `lock the delegated admin relationship '${inputs.displayName}' for approval`, customerId: inputs.customerId, cause: err },
      `The delegated admin relationship '${inputs.displayName}' (${r.id}) was created but could not be locked for approval: ${(err as Error).message} ` +
        `Run \`pulumi up\` once with PARTNERCENTER_ADOPT_MATCHING=true to take it over and lock it (README "Recovering after an interrupted run").`,
    );
  }
  return fresh(r.id, `read the delegated admin relationship ${r.id}`);
}

/** A live relationship with the program's name, found at create time: taken only when told (see adoption.ts). */
async function takeOver(inputs: RelationshipInputs, r: DelegatedAdminRelationship, operation: string): Promise<DelegatedAdminRelationship> {
  const same = matches(r, inputs);
  // The interrupted run's unfinished create of this very relationship made it (recovery.ts).
  const request = createRequestId("DelegatedAdminRelationship", inputs, (p) => p.displayName === inputs.displayName);
  const recovered = madeByInterruptedRun(request, r.createdDateTime, same);
  const reason = inputs.adopt ? "adopt" : same && adoptMatching() ? "adoptMatching" : recovered ? "recovered" : undefined;
  if (!reason) {
    throw new PartnerCenterError(
      { operation, customerId: inputs.customerId, statusCode: 409 },
      `Could not ${operation} for customer ${inputs.customerId}: a relationship with that name already exists (${describe(r)})${same ? "" : `, while the program asks for customer ${inputs.customerId}, duration ${inputs.duration}, roles ${inputs.roleDefinitionIds.join(", ")}`}. ${adoptionHint("DelegatedAdminRelationship")}`,
    );
  }
  if (!same && r.status !== "created") {
    throw new PartnerCenterError(
      { operation, customerId: inputs.customerId, statusCode: 409 },
      `Could not ${operation}: a relationship with that name already exists (${describe(r)}) and, being ${r.status}, it can no longer be changed to the program's customer, duration and roles. Declare it as it is, or terminate it first.`,
    );
  }
  const taken = same ? r : await context().gdap.updateRelationship(r.id, r["@odata.etag"] ?? "*", body(inputs));
  const what = `the delegated admin relationship '${inputs.displayName}' (${r.id})`;
  if (reason === "recovered") reportRecovered(what);
  else reportAdoption(what, reason);
  return taken;
}

/**
 * `DelegatedAdminRelationship.get`: the relationship with this id, whatever its status; a missing
 * one is an error (not an empty resource), and so is one of another customer than `customerId`.
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

export const delegatedAdminRelationshipProvider = {
  async configure(req: { config: StackConfig }): Promise<void> {
    configure(req.config);
  },

  async check(_olds: unknown, news: Record<string, unknown>) {
    return checkInputs(relationshipInputsSchema, news);
  },

  async diff(_id: string, olds: RelationshipOutputs, news: RelationshipInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    const changed: string[] = [];
    const differs = (k: keyof RelationshipInputs) =>
      k === "roleDefinitionIds" ? !sameRoles(olds.roleDefinitionIds, news.roleDefinitionIds) : (olds[k] ?? null) !== (news[k] ?? null);
    if (olds.customerId?.toLowerCase() !== news.customerId?.toLowerCase()) replaces.push("customerId");
    for (const k of editableWhileCreated) {
      if (differs(k)) (olds.status === "created" ? changed : replaces).push(k);
    }
    for (const k of ["autoExtendDuration", "lockForApproval", "adopt"] as const) if (differs(k)) changed.push(k);
    // Ended: the program still declares a relationship, so a new one is made.
    if (endedStatuses.has(olds.status)) replaces.push("status");
    return { changes: replaces.length + changed.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: RelationshipInputs): Promise<{ id: string; outs: RelationshipOutputs }> {
    const gdap = context().gdap;
    const operation = `create the delegated admin relationship '${inputs.displayName}'`;
    // The display name is unique among the partner's live relationships: one found is another's, or
    // an interrupted run's (also when the POST answers 409: a retried POST whose first answer was lost).
    const live = async () => (await gdap.listRelationships({ displayName: inputs.displayName })).find((x) => !endedStatuses.has(x.status));
    let r = await live();
    if (!r) {
      try {
        r = await gdap.createRelationship(body(inputs));
      } catch (err) {
        if (outcomeUnknown(err)) {
          const what = `the delegated admin relationship '${inputs.displayName}'`;
          throw new PartnerCenterError({ operation, customerId: inputs.customerId, cause: err }, `${(err as Error).message} ${unknownOutcomeHint(what)}`);
        }
        if (!(isPartnerCenterError(err) && err.statusCode === 409)) throw err;
        r = await live();
        if (!r) throw err;
        r = await takeOver(inputs, r, operation);
      }
    } else {
      r = await takeOver(inputs, r, operation);
    }
    r = await lockIfAsked(inputs, r);
    return { id: r.id, outs: outputs(inputs, r) };
  },

  async read(id: string, props: RelationshipOutputs) {
    // `DelegatedAdminRelationship.get` reads with the id alone (a managed one always has a status).
    if (props.status === undefined) return readForGet(id, props.customerId);
    const r = await context().gdap.getRelationship(id);
    if (!r) return { id: "", props: {} };
    const live = outputs(props, r);
    const { status: _s, approvalUrl: _a, createdDateTime: _c, activatedDateTime: _ad, endDateTime: _e, ...inputs } = live;
    return { id, props: live, inputs };
  },

  async update(id: string, olds: RelationshipOutputs, news: RelationshipInputs) {
    const gdap = context().gdap;
    let r = await fresh(id, `update the delegated admin relationship ${id}`);
    const patch: Record<string, unknown> = {};
    if (r.status === "created") {
      const full = body(news);
      if (r.displayName !== news.displayName) patch.displayName = full.displayName;
      if (r.duration !== news.duration) patch.duration = full.duration;
      if (!sameRoles(rolesOf(r), news.roleDefinitionIds)) patch.accessDetails = full.accessDetails;
      if ((olds.customerDisplayName ?? null) !== (news.customerDisplayName ?? null)) patch.customer = full.customer;
    }
    if (r.autoExtendDuration !== news.autoExtendDuration) patch.autoExtendDuration = news.autoExtendDuration;
    if (Object.keys(patch).length) r = await gdap.updateRelationship(id, r["@odata.etag"] ?? "*", patch);
    r = await lockIfAsked(news, r);
    return { outs: outputs(news, r) };
  },

  async delete(id: string): Promise<void> {
    const gdap = context().gdap;
    const r = await gdap.getRelationship(id);
    if (!r || endedStatuses.has(r.status) || r.status === "terminationRequested" || r.status === "terminating") return;
    if (r.status === "active") return gdap.requestAction(id, "terminate");
    if (r.status === "created" || r.status === "approvalPending") return gdap.deleteRelationship(id, r["@odata.etag"] ?? "*");
    throw new PartnerCenterError(
      { operation: `delete the delegated admin relationship ${id}` },
      `Could not delete the delegated admin relationship ${id}: it is ${r.status}, between approval and active, and can be neither deleted nor terminated yet. Run the command again in a few minutes.`,
    );
  },
} satisfies pulumi.dynamic.ResourceProvider;
