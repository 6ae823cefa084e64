/**
 * The DelegatedAdminAccessAssignment dynamic provider: a partner security group gets roles on an
 * active GDAP relationship (Graph `delegatedAdminAccessAssignment`). Roles changed out of band show
 * as drift on refresh and are PATCHed back by `up`. One assignment per group and relationship: one
 * found at create time is another's until told otherwise (see adoption.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { isPartnerCenterError, PartnerCenterError } from "../errors";
import type { DelegatedAdminAccessAssignment } from "../clients/gdapSchemas";
import { requireGuid } from "../clients/path";
import { createRequestId, journaledCreate, madeByInterruptedRun, reportRecovered, retiringAnswered, withoutCreateRequestId } from "./recovery";
import { adoptionHint, adoptMatching, outcomeUnknown, reportAdoption, unknownOutcomeHint } from "./adoption";
import { approvalUrl, endedStatuses } from "./delegatedAdminRelationship";
import { AccessAssignmentInputs, accessAssignmentInputsSchema, AccessAssignmentOutputs, checkInputs, sameRoles } from "./gdapInputs";
import { configure, context, StackConfig } from "./runtime";

export type { AccessAssignmentOutputs };

const rolesOf = (a: DelegatedAdminAccessAssignment) => a.accessDetails.unifiedRoles.map((x) => x.roleDefinitionId.toLowerCase());
/** None, or deleted or being deleted. A type guard, so that past `if (gone(a)) …` `a` is a live assignment. */
const gone = (a: DelegatedAdminAccessAssignment | undefined): a is undefined | (DelegatedAdminAccessAssignment & { status: "deleted" | "deleting" }) =>
  !a || a.status === "deleted" || a.status === "deleting";

function outputs(inputs: AccessAssignmentInputs, a: DelegatedAdminAccessAssignment): AccessAssignmentOutputs {
  return {
    ...withoutCreateRequestId(inputs),
    roleDefinitionIds: sameRoles(rolesOf(a), inputs.roleDefinitionIds) ? inputs.roleDefinitionIds : rolesOf(a),
    accessAssignmentId: a.id,
    status: a.status,
  };
}

/** `{relationshipId}/{accessAssignmentId}`: the relationship id holds hyphens, the assignment id is a GUID. */
const split = (id: string) => {
  const i = id.lastIndexOf("/");
  return { relationshipId: id.slice(0, i), accessAssignmentId: id.slice(i + 1) };
};

/**
 * `DelegatedAdminAccessAssignment.get`, id `{relationshipId}/{accessAssignmentId}`: a missing
 * assignment, or one of a relationship that has ended (it gives nothing), is an error.
 */
async function readForGet(id: string) {
  const operation = `read the access assignment ${id} (DelegatedAdminAccessAssignment.get)`;
  if (typeof id !== "string" || !id.includes("/")) {
    throw new PartnerCenterError(
      { operation },
      `Could not ${operation}: the id must be {relationshipId}/{accessAssignmentId}, the resource id a DelegatedAdminAccessAssignment has. Nothing was sent to the service.`,
    );
  }
  const { relationshipId, accessAssignmentId } = split(id);
  requireGuid("relationshipId", relationshipId, operation);
  requireGuid("accessAssignmentId", accessAssignmentId, operation);
  const gdap = context().gdap;
  const relationship = await gdap.getRelationship(relationshipId);
  if (!relationship)
    throw new PartnerCenterError(
      { operation, statusCode: 404 },
      `Could not ${operation}: Graph has no delegated admin relationship ${relationshipId}. Check the id given to DelegatedAdminAccessAssignment.get.`,
    );
  if (endedStatuses.has(relationship.status))
    throw new PartnerCenterError(
      { operation },
      `Could not ${operation}: its relationship ${relationshipId} is ${relationship.status}, so the assignment gives nothing any more.`,
    );
  const a = await gdap.getAccessAssignment(relationshipId, accessAssignmentId);
  if (gone(a))
    throw new PartnerCenterError(
      { operation, statusCode: 404 },
      `Could not ${operation}: relationship ${relationshipId} has no access assignment ${accessAssignmentId}${a ? ` (it is ${a.status})` : ""}. Check the id given to DelegatedAdminAccessAssignment.get.`,
    );
  const inputs: AccessAssignmentInputs = {
    relationshipId,
    securityGroupId: a.accessContainer.accessContainerId,
    roleDefinitionIds: rolesOf(a),
    adopt: false,
  };
  return { id, props: outputs(inputs, a), inputs };
}

export const delegatedAdminAccessAssignmentProvider = retiringAnswered("DelegatedAdminAccessAssignment", {
  async configure(req: { config: StackConfig }): Promise<void> {
    configure(req.config);
  },

  async check(_olds: unknown, news: Record<string, unknown>) {
    return checkInputs(accessAssignmentInputsSchema, news);
  },

  async diff(_id: string, olds: AccessAssignmentOutputs, news: AccessAssignmentInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    if (olds.relationshipId?.toLowerCase() !== news.relationshipId?.toLowerCase()) replaces.push("relationshipId");
    if (olds.securityGroupId?.toLowerCase() !== news.securityGroupId?.toLowerCase()) replaces.push("securityGroupId");
    const changed = !sameRoles(olds.roleDefinitionIds, news.roleDefinitionIds) || (olds.adopt ?? false) !== (news.adopt ?? false);
    // A replacement is of another relationship or group, never the same pair (Graph's one per pair):
    // the new assignment comes first, so the group keeps its roles through a relationship's rollout.
    return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: AccessAssignmentInputs): Promise<{ id: string; outs: AccessAssignmentOutputs }> {
    const gdap = context().gdap;
    const operation = `assign roles to security group ${inputs.securityGroupId} on relationship ${inputs.relationshipId}`;
    const relationship = await gdap.getRelationship(inputs.relationshipId);
    if (!relationship) {
      throw new PartnerCenterError(
        { operation, statusCode: 404 },
        `Could not ${operation}: Graph has no delegated admin relationship ${inputs.relationshipId}.`,
      );
    }
    if (relationship.status !== "active") {
      const next =
        relationship.status === "approvalPending"
          ? `The customer's Global Administrator approves it at ${approvalUrl(relationship.id)}; run \`pulumi up\` again once it is active (a program can wait for that with getDelegatedAdminRelationships).`
          : endedStatuses.has(relationship.status)
            ? "It has ended: the next `pulumi up` replaces the relationship, and the assignment follows once the new one is approved."
            : "Run `pulumi up` again once it is active.";
      throw new PartnerCenterError(
        { operation, statusCode: 400 },
        `Could not ${operation}: the relationship is ${relationship.status}, and access assignments need an active relationship. ${next}`,
      );
    }
    // One per group and relationship: one found is another's, or an interrupted run's (also when the
    // POST answers 409: a retried POST whose first answer was lost).
    const existing = async () =>
      (await gdap.listAccessAssignments(inputs.relationshipId)).find(
        (a) => !gone(a) && a.accessContainer.accessContainerId.toLowerCase() === inputs.securityGroupId.toLowerCase(),
      );
    // An interrupted run's unfinished create of this very assignment (recovery file or journal: recovery.ts).
    const request = await createRequestId(
      "DelegatedAdminAccessAssignment",
      inputs,
      (p) =>
        String(p.relationshipId).toLowerCase() === inputs.relationshipId.toLowerCase() &&
        String(p.securityGroupId).toLowerCase() === inputs.securityGroupId.toLowerCase(),
    );
    const takeOver = async (found: DelegatedAdminAccessAssignment) => {
      const same = sameRoles(rolesOf(found), inputs.roleDefinitionIds);
      const recovered = madeByInterruptedRun(request, found.createdDateTime, same);
      const reason = inputs.adopt ? "adopt" : same && adoptMatching() ? "adoptMatching" : recovered ? "recovered" : undefined;
      if (!reason) {
        throw new PartnerCenterError(
          { operation, statusCode: 409 },
          `Could not ${operation}: the group already has an access assignment on this relationship (id ${found.id}, roles ${rolesOf(found).join(", ")}). ${adoptionHint("DelegatedAdminAccessAssignment")}`,
        );
      }
      const taken = same ? found : await gdap.updateAccessAssignment(inputs.relationshipId, found.id, found["@odata.etag"] ?? "*", inputs.roleDefinitionIds);
      const what = `the access assignment of security group ${inputs.securityGroupId} on relationship ${inputs.relationshipId}`;
      if (reason === "recovered") reportRecovered(what, request, found.createdDateTime ?? null);
      else reportAdoption(what, reason);
      return taken;
    };
    return journaledCreate("DelegatedAdminAccessAssignment", inputs, request, {
      what: `the access assignment of security group ${inputs.securityGroupId} on relationship ${inputs.relationshipId}`,
      // An earlier run's create answered with `{relationshipId}/{accessAssignmentId}`: the assignment it made, with the program's roles (gone: made anew).
      takeBack: async (id) => {
        const { relationshipId, accessAssignmentId } = split(id);
        if (relationshipId.toLowerCase() !== inputs.relationshipId.toLowerCase()) return undefined;
        const found = await gdap.getAccessAssignment(inputs.relationshipId, accessAssignmentId);
        if (gone(found) || found.accessContainer.accessContainerId.toLowerCase() !== inputs.securityGroupId.toLowerCase()) return undefined;
        const a = sameRoles(rolesOf(found), inputs.roleDefinitionIds)
          ? found
          : await gdap.updateAccessAssignment(inputs.relationshipId, found.id, found["@odata.etag"] ?? "*", inputs.roleDefinitionIds);
        return { id: `${inputs.relationshipId}/${a.id}`, outs: outputs(inputs, a) };
      },
      send: async () => {
        let a = await existing();
        if (a) {
          a = await takeOver(a);
        } else {
          try {
            a = await gdap.createAccessAssignment(inputs.relationshipId, inputs.securityGroupId, inputs.roleDefinitionIds);
            // Graph answers `pending`; the status recorded is the one a read shows next.
            a = (await gdap.getAccessAssignment(inputs.relationshipId, a.id)) ?? a;
          } catch (err) {
            if (outcomeUnknown(err)) {
              throw new PartnerCenterError({ operation, cause: err }, `${(err as Error).message} ${unknownOutcomeHint("the access assignment")}`);
            }
            const found = isPartnerCenterError(err) && err.statusCode === 409 ? await existing() : undefined;
            if (!found) throw err;
            a = await takeOver(found);
          }
        }
        return { id: `${inputs.relationshipId}/${a.id}`, outs: outputs(inputs, a) };
      },
    });
  },

  async read(id: string, props: AccessAssignmentOutputs) {
    // `DelegatedAdminAccessAssignment.get` reads with the id alone (a managed one always has its group).
    if (props.securityGroupId === undefined) return readForGet(id);
    const { relationshipId, accessAssignmentId } = split(id);
    const gdap = context().gdap;
    const relationship = await gdap.getRelationship(relationshipId);
    // An assignment of an ended relationship gives nothing: it reads as gone.
    if (!relationship || endedStatuses.has(relationship.status)) return { id: "", props: {} };
    const a = await gdap.getAccessAssignment(relationshipId, accessAssignmentId);
    if (gone(a)) return { id: "", props: {} };
    const live = outputs(props, a);
    const { accessAssignmentId: _i, status: _s, ...inputs } = live;
    return { id, props: live, inputs };
  },

  async update(id: string, _olds: AccessAssignmentOutputs, news: AccessAssignmentInputs) {
    const { relationshipId, accessAssignmentId } = split(id);
    const gdap = context().gdap;
    let a = await gdap.getAccessAssignment(relationshipId, accessAssignmentId);
    if (gone(a)) {
      throw new PartnerCenterError(
        { operation: `update the access assignment ${accessAssignmentId}`, statusCode: 404 },
        `Could not update the access assignment ${accessAssignmentId} of relationship ${relationshipId}: it no longer exists. Run \`pulumi refresh\`, then \`pulumi up\`.`,
      );
    }
    if (!sameRoles(rolesOf(a), news.roleDefinitionIds))
      a = await gdap.updateAccessAssignment(relationshipId, accessAssignmentId, a["@odata.etag"] ?? "*", news.roleDefinitionIds);
    return { outs: outputs(news, a) };
  },

  async delete(id: string): Promise<void> {
    const { relationshipId, accessAssignmentId } = split(id);
    const gdap = context().gdap;
    const relationship = await gdap.getRelationship(relationshipId);
    if (!relationship || endedStatuses.has(relationship.status)) return;
    const a = await gdap.getAccessAssignment(relationshipId, accessAssignmentId);
    if (gone(a)) return;
    await gdap.deleteAccessAssignment(relationshipId, accessAssignmentId, a["@odata.etag"] ?? "*");
  },
} satisfies pulumi.dynamic.ResourceProvider);
