/**
 * A seed customer's `gdapRoles` are a shorthand: the partner holds roles in a customer only through
 * an active GDAP relationship and an access assignment of it to one of the partner's security groups,
 * as on the real service. The loader turns the shorthand into that relationship and assignment, so
 * that the roles the emulator enforces are the ones Graph's GDAP routes (and the provider's GDAP data
 * sources) list. Their ids derive from the customer id: stable across restarts and resets.
 */
import { createHash } from "crypto";
import { builtInRoles, type BuiltInRoleName } from "../../provider/clients/builtInRoles";
import type { DelegatedAdminAccessAssignment, DelegatedAdminRelationship } from "../store/model";
import type { Seed } from "./schema";

/** A name-based GUID (RFC 9562 version 5 layout, SHA-1 of the name): the same name, the same id. */
function stableGuid(name: string): string {
  const h = createHash("sha1").update(`partnercenter-emulator:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Graph's relationship ids are a GUID and the customer's tenant id joined (its example's shape). */
export const seededRelationshipId = (customerId: string): string =>
  `${stableGuid(`gdap-relationship:${customerId.toLowerCase()}`)}-${customerId.toLowerCase()}`;
export const seededAssignmentId = (customerId: string): string => stableGuid(`gdap-access-assignment:${customerId.toLowerCase()}`);

/** The group a seed without `partnerGroups` gives its shorthand roles to (every partner user a member). */
export const defaultAgentsGroupId = (partnerTenantId: string): string => stableGuid(`partner-group:${partnerTenantId.toLowerCase()}`);

/** Gives the seed a security group for the shorthand's access assignments when it names none. */
export function withAgentsGroup(seed: Seed): Seed {
  if (seed.partnerGroups.length > 0 || !seed.customers.some((c) => c.gdapRoles.length > 0)) return seed;
  const group = { id: defaultAgentsGroupId(seed.partner.tenantId), displayName: "GDAP Agents", members: seed.partnerUsers.map((u) => u.id) };
  return { ...seed, partnerGroups: [group] };
}

const relationshipDays = 730;

export interface SeededGdap {
  relationship: DelegatedAdminRelationship;
  assignment: DelegatedAdminAccessAssignment;
}

/**
 * The active relationship (P730D from `nowIso`, auto-extended by 180 days unless it holds Global
 * Administrator, which Graph forbids) and its access assignment to `groupId`, both with these roles.
 * `previous` keeps the ids' versions moving (etags change) when the admin API rewrites them.
 */
export function seededGdap(
  customer: { id: string; displayName: string },
  roleNames: string[],
  groupId: string,
  nowIso: string,
  previous?: Partial<SeededGdap>,
): SeededGdap {
  const roles = roleNames.map((n) => builtInRoles[n as BuiltInRoleName]);
  const customerId = customer.id.toLowerCase();
  const end = new Date(Date.parse(nowIso) + relationshipDays * 86_400_000).toISOString();
  const relationship: DelegatedAdminRelationship = {
    id: seededRelationshipId(customerId),
    displayName: `${customer.displayName.slice(0, 43)} (seed)`,
    duration: `P${relationshipDays}D`,
    customer: { tenantId: customerId, displayName: customer.displayName },
    unifiedRoles: roles,
    autoExtendDuration: roleNames.includes("Global Administrator") ? "PT0S" : "P180D",
    status: "active",
    createdDateTime: previous?.relationship?.createdDateTime ?? nowIso,
    lastModifiedDateTime: nowIso,
    activatedDateTime: previous?.relationship?.activatedDateTime ?? nowIso,
    endDateTime: previous?.relationship?.status === "active" ? previous.relationship.endDateTime : end,
    version: (previous?.relationship?.version ?? 0) + 1,
  };
  const assignment: DelegatedAdminAccessAssignment = {
    id: seededAssignmentId(customerId),
    relationshipId: relationship.id,
    accessContainerId: previous?.assignment?.accessContainerId ?? groupId.toLowerCase(),
    unifiedRoles: roles,
    status: "active",
    createdDateTime: previous?.assignment?.createdDateTime ?? nowIso,
    lastModifiedDateTime: nowIso,
    version: (previous?.assignment?.version ?? 0) + 1,
  };
  return { relationship, assignment };
}
