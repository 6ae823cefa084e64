import * as pulumi from "@pulumi/pulumi";
import { builtInRoleName, builtInRoles } from "../provider/clients/builtInRoles";
import type { DirectoryRole, Domain } from "../provider/clients/gdapSchemas";
import { requireGuid } from "../provider/clients/path";
import { programContext } from "./config";

export { builtInRoles };
export type { BuiltInRoleName } from "../provider/clients/builtInRoles";
export type { DirectoryRole, Domain };

// ---- getDelegatedAdminRelationships ----
export interface GetDelegatedAdminRelationshipsArgs {
  /** Only this customer's relationships (a `$filter` on customer/tenantId). */
  customerId?: string;
}
/** One GDAP relationship, as `getDelegatedAdminRelationships` reports it. */
export interface DelegatedAdminRelationshipInfo {
  /** The relationship's id (what `DelegatedAdminAccessAssignment.relationshipId` takes). */
  id: string;
  /** Its name, unique among the partner's relationships that have not ended. */
  displayName: string;
  /** The customer's tenant id; null while the relationship is not yet tied to a customer. */
  customerId: string | null;
  /** Graph's status: `created`, `approvalPending`, `active`, `expiring`, `expired`, `terminated`, … */
  status: string;
  /** ISO 8601 duration, e.g. `P730D`. */
  duration: string;
  /** `P180D` when it extends itself at the end, `PT0S` when it does not. */
  autoExtendDuration: string;
  /** The Entra role template ids it gives. */
  roleDefinitionIds: string[];
  /** When the customer approved it (ISO 8601); null before. */
  activatedDateTime: string | null;
  /** When it ends or ended (ISO 8601); null before approval. */
  endDateTime: string | null;
}
export interface GetDelegatedAdminRelationshipsResult {
  /** Every relationship of the partner (of the customer, when `customerId` is given), whatever its status. */
  relationships: DelegatedAdminRelationshipInfo[];
  /** The relationships that are active now: the only ones that give roles. */
  active: DelegatedAdminRelationshipInfo[];
  /** Per customer, the role template ids of its active relationships (what the partner may be given there). */
  activeRoleIdsByCustomer: Record<string, string[]>;
  /** The same with built-in role names (ids for custom roles). */
  activeRoleNamesByCustomer: Record<string, string[]>;
}

/** The partner's GDAP relationships (Graph), every page; with the roles the active ones hold per customer. */
export async function getDelegatedAdminRelationships(args: GetDelegatedAdminRelationshipsArgs = {}): Promise<GetDelegatedAdminRelationshipsResult> {
  if (args?.customerId !== undefined) requireGuid("customerId", args.customerId, "list the delegated admin relationships");
  const rows = await programContext().gdap.listRelationships({ customerId: args?.customerId });
  const relationships = rows.map((r) => ({
    id: r.id,
    displayName: r.displayName,
    customerId: r.customer?.tenantId ?? null,
    status: r.status,
    duration: r.duration,
    autoExtendDuration: r.autoExtendDuration,
    roleDefinitionIds: r.accessDetails.unifiedRoles.map((x) => x.roleDefinitionId.toLowerCase()),
    activatedDateTime: r.activatedDateTime ?? null,
    endDateTime: r.endDateTime ?? null,
  }));
  const active = relationships.filter((r) => r.status === "active");
  const activeRoleIdsByCustomer: Record<string, string[]> = {};
  for (const r of active) {
    if (!r.customerId) continue;
    activeRoleIdsByCustomer[r.customerId] = [...new Set([...(activeRoleIdsByCustomer[r.customerId] ?? []), ...r.roleDefinitionIds])];
  }
  const activeRoleNamesByCustomer = Object.fromEntries(
    Object.entries(activeRoleIdsByCustomer).map(([c, ids]) => [c, ids.map((id) => builtInRoleName(id) ?? id)]),
  );
  return { relationships, active, activeRoleIdsByCustomer, activeRoleNamesByCustomer };
}
/** {@link getDelegatedAdminRelationships} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getDelegatedAdminRelationshipsOutput(
  args: pulumi.Input<GetDelegatedAdminRelationshipsArgs> = {},
): pulumi.Output<GetDelegatedAdminRelationshipsResult> {
  return pulumi.output(args).apply((a) => getDelegatedAdminRelationships(a as GetDelegatedAdminRelationshipsArgs));
}

// ---- getCustomerDomains ----
export interface GetCustomerDomainsArgs {
  /** The customer's tenant id (GUID). */
  customerId: string;
}
export interface GetCustomerDomainsResult {
  /** Every domain of the customer's tenant, as Graph lists them. */
  domains: Domain[];
  /** Verified, managed (not federated) domain names: where a cloud user's UPN may live. */
  verifiedManagedDomains: string[];
  /** The default domain when it is verified and managed, else the initial `*.onmicrosoft.com` one. */
  userDomain: string | undefined;
}

/** A customer's domains, read through Graph in the customer tenant (the partner app's CPV consent, Domain.Read.All). */
export async function getCustomerDomains(args: GetCustomerDomainsArgs): Promise<GetCustomerDomainsResult> {
  const customerId = requireGuid("customerId", args?.customerId, "list the customer's domains");
  const domains = await programContext().gdap.listDomains(customerId);
  const usable = domains.filter((d) => d.isVerified && (d.authenticationType ?? "Managed") === "Managed");
  const userDomain = (usable.find((d) => d.isDefault) ?? usable.find((d) => d.isInitial) ?? usable[0])?.id;
  return { domains, verifiedManagedDomains: usable.map((d) => d.id), userDomain };
}
/** {@link getCustomerDomains} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getCustomerDomainsOutput(
  args: pulumi.Input<GetCustomerDomainsArgs> | { customerId: pulumi.Input<string> },
): pulumi.Output<GetCustomerDomainsResult> {
  return pulumi.output(args).apply((a) => getCustomerDomains(a as GetCustomerDomainsArgs));
}

// ---- getCustomerDirectoryRoles ----
export interface GetCustomerDirectoryRolesArgs {
  /** The customer's tenant id (GUID). */
  customerId: string;
}
export interface GetCustomerDirectoryRolesResult {
  /** The directory roles activated in the customer's tenant, as Partner Center lists them. */
  roles: DirectoryRole[];
  /** Role id by name (Partner Center's older "Company Administrator" is also listed as "Global Administrator"). */
  idsByName: Record<string, string>;
}

/** A customer's directory roles through Partner Center (App+User): the ids a {@link CustomerUserRoleAssignment} takes. */
export async function getCustomerDirectoryRoles(args: GetCustomerDirectoryRolesArgs): Promise<GetCustomerDirectoryRolesResult> {
  const customerId = requireGuid("customerId", args?.customerId, "list the directory roles");
  const roles = await programContext().directoryRoles.listRoles(customerId);
  const idsByName: Record<string, string> = Object.fromEntries(roles.map((r) => [r.name, r.id]));
  if (idsByName["Company Administrator"] && !idsByName["Global Administrator"]) idsByName["Global Administrator"] = idsByName["Company Administrator"];
  return { roles, idsByName };
}
/** {@link getCustomerDirectoryRoles} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getCustomerDirectoryRolesOutput(
  args: pulumi.Input<GetCustomerDirectoryRolesArgs> | { customerId: pulumi.Input<string> },
): pulumi.Output<GetCustomerDirectoryRolesResult> {
  return pulumi.output(args).apply((a) => getCustomerDirectoryRoles(a as GetCustomerDirectoryRolesArgs));
}
