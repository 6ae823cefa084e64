/**
 * Graph's long-running operations of a relationship (`delegatedAdminRelationships/{id}/operations`).
 * delegatedadminaccessassignment-update: the PATCH "typically returns a 202 Accepted response code
 * with a URL to a long-running operation in the Location response header"; the operation's status is
 * notStarted, running, succeeded or failed (delegatedAdminRelationshipOperation). Here an operation
 * runs for `settings.longRunningOperationSeconds` of the emulator's clock, then applies its change.
 * This file imports no other GDAP handler: lifecycle.ts settles operations with everything else.
 */
import { randomUUID } from "crypto";
import type { ApiResponse } from "../http/context";
import { graphError } from "../http/errors";
import type { DelegatedAdminAccessAssignment, DelegatedAdminRelationshipOperation } from "../store/model";
import type { Services } from "../services";

const base = (svc: Services, relationshipId: string) =>
  `${svc.baseUrl}/graph/v1.0/tenantRelationships/delegatedAdminRelationships/${relationshipId}/operations`;

function operationToWire(o: DelegatedAdminRelationshipOperation): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.delegatedAdminRelationshipOperation",
    id: o.id,
    operationType: o.operationType,
    data: o.data,
    status: o.status,
    createdDateTime: o.createdDateTime,
    lastModifiedDateTime: o.lastModifiedDateTime,
  };
}

/**
 * Starts the update of an assignment's roles and answers as the update page's example does: 202,
 * Location, Retry-After and `{ }`. Chosen: a second update while one runs is 409.
 */
export function acceptAssignmentUpdate(svc: Services, a: DelegatedAdminAccessAssignment, unifiedRoles: string[]): ApiResponse {
  const running = svc.store.listOperations(a.relationshipId).find((o) => o.status === "running" && o.accessAssignmentId === a.id);
  if (running) throw graphError(409, "conflict", `An update of the access assignment '${a.id}' is still running (operation '${running.id}').`);
  const seconds = svc.store.seed.settings.longRunningOperationSeconds;
  const now = svc.clock.nowMs();
  const op: DelegatedAdminRelationshipOperation = {
    id: randomUUID(),
    relationshipId: a.relationshipId,
    operationType: "delegatedAdminAccessAssignmentUpdate",
    status: "running",
    data: "",
    createdDateTime: new Date(now).toISOString(),
    lastModifiedDateTime: new Date(now).toISOString(),
    dueDateTime: new Date(now + seconds * 1000).toISOString(),
    accessAssignmentId: a.id,
    unifiedRoles,
  };
  svc.store.putOperation(op);
  svc.store.commit();
  return { status: 202, headers: { Location: `${base(svc, a.relationshipId)}/${op.id}`, "Retry-After": String(seconds) }, body: {} };
}

/**
 * Completes the operations that are due: the assignment takes its new roles (a new etag) while its
 * relationship is active and it still exists; otherwise the operation fails and nothing changes.
 */
export function settleOperations(svc: Services): void {
  const now = svc.clock.nowMs();
  for (const o of svc.store.listOperations()) {
    if (o.status !== "running" || Date.parse(o.dueDateTime) > now) continue;
    const at = new Date(now).toISOString();
    const relationship = svc.store.getRelationship(o.relationshipId);
    const a = svc.store.listAccessAssignments(o.relationshipId).find((x) => x.id === o.accessAssignmentId && x.status !== "deleted");
    if (!a || relationship?.status !== "active") {
      const why = !a ? "The access assignment no longer exists." : `The relationship is ${relationship?.status ?? "gone"}.`;
      svc.store.putOperation({ ...o, status: "failed", data: JSON.stringify({ error: { code: "badRequest", message: why } }), lastModifiedDateTime: at });
    } else {
      const next = { ...a, unifiedRoles: o.unifiedRoles, lastModifiedDateTime: at, version: a.version + 1 };
      svc.store.putAccessAssignment(next);
      const data = {
        id: next.id,
        accessContainer: { accessContainerId: next.accessContainerId, accessContainerType: "securityGroup" },
        accessDetails: { unifiedRoles: next.unifiedRoles.map((roleDefinitionId) => ({ roleDefinitionId })) },
        status: next.status,
      };
      svc.store.putOperation({ ...o, status: "succeeded", data: JSON.stringify(data), lastModifiedDateTime: at });
    }
    svc.store.commit();
  }
}

/** The operations of a relationship the caller may read (accessAssignments.ts checks both). */
export function operationsAnswer(svc: Services, relationshipId: string): ApiResponse {
  const value = svc.store.listOperations(relationshipId).map(operationToWire);
  return {
    status: 200,
    body: { "@odata.context": `${svc.baseUrl}/graph/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships('${relationshipId}')/operations`, value },
  };
}

export function operationAnswer(svc: Services, relationshipId: string, operationId: string): ApiResponse {
  const o = svc.store.listOperations(relationshipId).find((x) => x.id.toLowerCase() === operationId.toLowerCase());
  if (!o) throw graphError(404, "notFound", `The operation '${operationId}' was not found.`);
  return { status: 200, body: { "@odata.context": `${svc.baseUrl}/graph/v1.0/$metadata#operations/$entity`, ...operationToWire(o) } };
}
