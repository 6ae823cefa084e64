/**
 * Admin API for GDAP: the customer's side of a relationship (approve, terminate), changes out of
 * band (an access assignment's roles, a user taken out of a directory role), and what exists.
 */
import type { ApiResponse, RequestContext } from "../http/context";
import { readJsonBody } from "../http/context";
import { ServiceError } from "../http/errors";
import type { Services } from "../services";
import { assignmentToWire, setAssignmentRoles } from "./accessAssignments";
import { heldRoles, settle } from "./lifecycle";
import { customerAction, relationshipToWire } from "./relationships";

const bad = (message: string) => new ServiceError(400, () => ({ error: "bad_request", message }));

export const gdapAdmin = {
  /** Every relationship with its access assignments, and each customer's effective GDAP roles. */
  list: (_ctx: RequestContext, svc: Services): ApiResponse => {
    settle(svc);
    return {
      status: 200,
      body: {
        relationships: svc.store
          .listRelationships()
          .map((r) => ({ ...relationshipToWire(r), accessAssignments: svc.store.listAccessAssignments(r.id).map(assignmentToWire) })),
        heldRoles: Object.fromEntries(svc.store.listCustomers().map((c) => [c.id, heldRoles(c, svc)])),
        roleMembers: Object.fromEntries(
          svc.store
            .listCustomers()
            .filter((c) => c.roleMembers)
            .map((c) => [c.id, c.roleMembers]),
        ),
      },
    };
  },
  approve: (ctx: RequestContext, svc: Services): ApiResponse => ({
    status: 200,
    body: relationshipToWire(customerAction(svc, ctx.params.relationshipId, "approve")),
  }),
  terminate: (ctx: RequestContext, svc: Services): ApiResponse => ({
    status: 200,
    body: relationshipToWire(customerAction(svc, ctx.params.relationshipId, "terminate")),
  }),
  setAssignmentRoles: (ctx: RequestContext, svc: Services): ApiResponse => {
    const body = readJsonBody<{ roleDefinitionIds?: unknown }>(ctx);
    const ids = body.ok ? body.value.roleDefinitionIds : undefined;
    if (!Array.isArray(ids) || ids.some((x) => typeof x !== "string")) throw bad('Body must be {"roleDefinitionIds": string[]}');
    return { status: 200, body: assignmentToWire(setAssignmentRoles(svc, ctx.params.relationshipId, ctx.params.assignmentId, ids as string[])) };
  },
  /** The customer's administrator takes a user out of a directory role in the portal (no GDAP role needed: it is the customer's side). */
  removeRoleMember: (ctx: RequestContext, svc: Services): ApiResponse => {
    const { customerId, roleId, userId } = ctx.params;
    if (!svc.store.getCustomer(customerId)) throw new ServiceError(404, () => ({ error: "not_found", message: `Unknown customer ${customerId}` }));
    const members = svc.store.listRoleMembers(customerId, roleId.toLowerCase());
    if (!members.includes(userId.toLowerCase()))
      throw new ServiceError(404, () => ({ error: "not_found", message: `User ${userId} is not a member of role ${roleId}` }));
    svc.store.setRoleMembers(
      customerId,
      roleId.toLowerCase(),
      members.filter((m) => m !== userId.toLowerCase()),
    );
    svc.store.commit();
    return { status: 204 };
  },
};
