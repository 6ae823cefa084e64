/**
 * Graph's `delegatedAdminRelationships/{id}/accessAssignments`: a partner security group gets some of
 * an active relationship's roles. Only assignments of active relationships give the partner roles
 * in the customer (see lifecycle.ts `heldRoles`).
 */
import { randomUUID } from "crypto";
import { z } from "zod";
import { guidSchema as guid } from "../ids";
import type { ApiResponse, RequestContext } from "../http/context";
import { graphError } from "../http/errors";
import type { DelegatedAdminAccessAssignment } from "../store/model";
import type { Services } from "../services";
import { acceptAssignmentUpdate, operationAnswer, operationsAnswer } from "./operations";
import { badRequest, etagOf, notFound, parse, relationshipOr404, requireIfMatch, requirePartner, unifiedRoles } from "./relationships";

const accessDetails = z.object({ unifiedRoles });
const createBody = z.object({
  accessContainer: z.object({ accessContainerId: guid, accessContainerType: z.literal("securityGroup") }),
  accessDetails,
});
const patchBody = z.object({ accessDetails }).strict();

const base = (svc: Services, relationshipId: string) =>
  `${svc.baseUrl}/graph/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships('${relationshipId}')/accessAssignments`;

export function assignmentToWire(a: DelegatedAdminAccessAssignment): Record<string, unknown> {
  return {
    "@odata.etag": etagOf(a.id, a.version),
    id: a.id,
    status: a.status,
    createdDateTime: a.createdDateTime,
    lastModifiedDateTime: a.lastModifiedDateTime,
    accessContainer: { accessContainerId: a.accessContainerId, accessContainerType: "securityGroup" },
    accessDetails: { unifiedRoles: a.unifiedRoles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}

function assignmentOr404(svc: Services, relationshipId: string, id: string): DelegatedAdminAccessAssignment {
  const a = svc.store.listAccessAssignments(relationshipId).find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!a) throw notFound(`The access assignment '${id}'`);
  return a;
}

/** Documented: an assignment's roles are some of its relationship's. */
function checkRoles(roles: string[], allowed: string[]): void {
  const extra = roles.filter((r) => !allowed.includes(r));
  if (extra.length) throw badRequest(`The roles ${extra.join(", ")} are not part of the relationship's accessDetails.`);
}

export function listAssignments(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, false);
  const r = relationshipOr404(svc, ctx.params.relationshipId);
  return { status: 200, body: { "@odata.context": base(svc, r.id), value: svc.store.listAccessAssignments(r.id).map(assignmentToWire) } };
}

export function getAssignment(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, false);
  const r = relationshipOr404(svc, ctx.params.relationshipId);
  const a = assignmentOr404(svc, r.id, ctx.params.assignmentId);
  return { status: 200, headers: { ETag: etagOf(a.id, a.version) }, body: { "@odata.context": `${base(svc, r.id)}/$entity`, ...assignmentToWire(a) } };
}

export function createAssignment(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, true);
  const r = relationshipOr404(svc, ctx.params.relationshipId);
  const body = parse(ctx, createBody);
  if (r.status !== "active") throw badRequest(`The relationship is ${r.status}: access assignments can be made on an active relationship only.`);
  const groupId = body.accessContainer.accessContainerId.toLowerCase();
  if (!svc.store.seed.partnerGroups.some((g) => g.id.toLowerCase() === groupId)) {
    throw badRequest(`The security group '${groupId}' does not exist in the partner tenant.`);
  }
  const roles = body.accessDetails.unifiedRoles.map((x) => x.roleDefinitionId.toLowerCase());
  checkRoles(roles, r.unifiedRoles);
  // Chosen (Graph's docs are silent on the status): one assignment per security group and relationship; a second is 409.
  if (svc.store.listAccessAssignments(r.id).some((a) => a.accessContainerId === groupId && a.status !== "deleted")) {
    throw graphError(409, "conflict", `The security group '${groupId}' already has an access assignment on this relationship.`);
  }
  const now = svc.clock.now().toISOString();
  // Chosen: the answer says `pending` (as Graph's does); the assignment is active from the next read on.
  const a: DelegatedAdminAccessAssignment = {
    id: randomUUID(),
    relationshipId: r.id.toLowerCase(),
    accessContainerId: groupId,
    unifiedRoles: roles,
    status: "active",
    createdDateTime: now,
    lastModifiedDateTime: now,
    version: 1,
  };
  svc.store.putAccessAssignment(a);
  return {
    status: 201,
    headers: { ETag: etagOf(a.id, a.version) },
    body: { "@odata.context": `${base(svc, r.id)}/$entity`, ...assignmentToWire({ ...a, status: "pending" }) },
  };
}

export function updateAssignment(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, true);
  const r = relationshipOr404(svc, ctx.params.relationshipId);
  const a = assignmentOr404(svc, r.id, ctx.params.assignmentId);
  requireIfMatch(ctx, a.id, a.version);
  if (r.status !== "active") throw badRequest(`The relationship is ${r.status}: its access assignments can no longer be changed.`);
  const body = parse(ctx, patchBody);
  const roles = body.accessDetails.unifiedRoles.map((x) => x.roleDefinitionId.toLowerCase());
  checkRoles(roles, r.unifiedRoles);
  const entity = (x: DelegatedAdminAccessAssignment): ApiResponse => ({
    status: 200,
    headers: { ETag: etagOf(x.id, x.version) },
    body: { "@odata.context": `${base(svc, r.id)}/$entity`, ...assignmentToWire(x) },
  });
  // The update page: "If the values specified in the call are identical to the values in the existing
  // object, the API returns a 200 OK response code with the original delegatedAdminAccessAssignment".
  if (roles.length === a.unifiedRoles.length && roles.every((x) => a.unifiedRoles.includes(x))) return entity(a);
  if (svc.store.seed.settings.longRunningAccessAssignmentUpdates) return acceptAssignmentUpdate(svc, a, roles);
  const next = { ...a, unifiedRoles: roles, lastModifiedDateTime: svc.clock.now().toISOString(), version: a.version + 1 };
  svc.store.putAccessAssignment(next);
  return entity(next);
}

export function listOperations(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, false);
  return operationsAnswer(svc, relationshipOr404(svc, ctx.params.relationshipId).id);
}

export function getOperation(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, false);
  return operationAnswer(svc, relationshipOr404(svc, ctx.params.relationshipId).id, ctx.params.operationId);
}

/** Chosen: a deleted assignment is gone at once (Graph passes through `deleting`). */
export function deleteAssignment(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, true);
  const r = relationshipOr404(svc, ctx.params.relationshipId);
  const a = assignmentOr404(svc, r.id, ctx.params.assignmentId);
  requireIfMatch(ctx, a.id, a.version);
  svc.store.deleteAccessAssignment(a.id);
  return { status: 204 };
}

/** Admin API: roles changed out of band (someone in the Partner Center portal). */
export function setAssignmentRoles(svc: Services, relationshipId: string, assignmentId: string, roleDefinitionIds: string[]): DelegatedAdminAccessAssignment {
  const a = assignmentOr404(svc, relationshipId, assignmentId);
  const next = {
    ...a,
    unifiedRoles: roleDefinitionIds.map((x) => x.toLowerCase()),
    lastModifiedDateTime: svc.clock.now().toISOString(),
    version: a.version + 1,
  };
  svc.store.putAccessAssignment(next);
  svc.store.commit();
  return next;
}
