/**
 * Admin API for GDAP: the customer's side of a relationship (approve, terminate), changes out of
 * band (an access assignment's roles, a user taken out of a directory role), and what exists.
 */
import { z } from "zod";
import type { ApiResponse, RequestContext } from "../http/context";
import { readJsonBody } from "../http/context";
import { ServiceError } from "../http/errors";
import type { Services } from "../services";
import { assignmentToWire, setAssignmentRoles } from "./accessAssignments";
import { heldRoles, settle } from "./lifecycle";
import { customerAction, relationshipToWire, unifiedRoles } from "./relationships";
import { describeZod } from "../partnercenter/badRequest";
import { seededAssignmentId, seededGdap, seededRelationshipId } from "../seed/gdap";
import type { Customer } from "../store/model";

const assignmentRolesBody = z.object({ roleDefinitionIds: unifiedRoles.element.shape.roleDefinitionId.array().min(1, "must name at least one role") }).strict();

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
  /** Checked as Graph checks a PATCH of the roles: built-in roles, no repeats, some of the relationship's. */
  setAssignmentRoles: (ctx: RequestContext, svc: Services): ApiResponse => {
    const r = svc.store.getRelationship(ctx.params.relationshipId);
    if (!r) throw new ServiceError(404, () => ({ error: "not_found", message: `Unknown relationship ${ctx.params.relationshipId}` }));
    const raw = readJsonBody(ctx);
    if (!raw.ok) throw bad(raw.reason);
    const parsed = assignmentRolesBody.safeParse(raw.value);
    if (!parsed.success) throw bad(`The request body is invalid: ${describeZod(parsed.error)}`);
    const ids = parsed.data.roleDefinitionIds.map((x) => x.toLowerCase());
    if (new Set(ids).size !== ids.length) throw bad("The request body is invalid: roleDefinitionIds: must not repeat a role");
    const extra = ids.filter((id) => !r.unifiedRoles.includes(id));
    if (extra.length) throw bad(`The request body is invalid: roleDefinitionIds: ${extra.join(", ")} are not roles of relationship ${r.id}`);
    return { status: 200, body: assignmentToWire(setAssignmentRoles(svc, r.id, ctx.params.assignmentId, ids)) };
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

/**
 * `PATCH /_emulator/customers/{c}` with `gdapRoles`: the seed's shorthand applied mid-run. The
 * customer's seeded relationship and its access assignment get these roles (made anew when the
 * customer had none, removed for `[]`), so Graph's GDAP routes keep listing what is enforced.
 * Relationships the program made are left as they are.
 */
export function setSeededRoles(svc: Services, customer: Customer, roleNames: string[]): void {
  const relationship = svc.store.getRelationship(seededRelationshipId(customer.id));
  if (roleNames.length === 0) {
    if (relationship) svc.store.deleteRelationship(relationship.id);
    return;
  }
  const assignment = relationship && svc.store.listAccessAssignments(relationship.id).find((a) => a.id === seededAssignmentId(customer.id));
  const group = svc.store.seed.partnerGroups[0]?.id;
  if (!group) throw bad("gdapRoles: the seed has no partnerGroups for the access assignment to name");
  const next = seededGdap({ id: customer.id, displayName: customer.organization.displayName }, roleNames, group, svc.clock.now().toISOString(), {
    relationship,
    assignment,
  });
  svc.store.putRelationship(next.relationship);
  svc.store.putAccessAssignment(next.assignment);
}
