/**
 * The data sources' reads, written once for both adapters: the SDK's `getX` functions run them in the
 * program with the stack's configuration (sdk/config.ts programContext), the plugin's Invoke runs them
 * in the provider process with the provider's (provider/native). Each checks its arguments first and
 * only then asks for its context (`ctx()`): making one reads the configuration and may check it, so a
 * bad argument gets its own error, with no configuration read and no token asked for. They answer in
 * the shapes declared here and in the clients' wire schemas.
 */
import { builtInRoleName } from "./clients/builtInRoles";
import type { DirectoryRole, Domain } from "./clients/gdapSchemas";
import { DelegatedAdminQuery, ODataOptionError, toODataQuery } from "./clients/odata";
import { requireGuid } from "./clients/path";
import { type DelegatedAdminCustomer, type MultiTenantOrganizationMember, multiTenantOrganizationMemberSchema, type Organization } from "./clients/schemas";
import type { ServiceContext } from "./context";
import { PartnerCenterError } from "./errors";

/** Gives the context a data source calls the service with; asked for only once the arguments are checked. */
export type ContextOf = () => ServiceContext;
export type { DelegatedAdminCustomer, DirectoryRole, Domain, MultiTenantOrganizationMember, Organization };

// ---- getCustomerOrganization ----
export interface GetCustomerOrganizationArgs {
  /** The customer's tenant id. */
  customerId: string;
}
export interface GetCustomerOrganizationResult extends Organization {
  /** The customer's tenant id the profile was read for. */
  customerId: string;
}

/** A customer's organization profile (display name, address, technical notification mails). */
export async function customerOrganization(ctx: ContextOf, args: GetCustomerOrganizationArgs): Promise<GetCustomerOrganizationResult> {
  const customerId = requireGuid("customerId", args?.customerId, "read the organization profile");
  const org = await ctx().partnerCenter.getOrganization(customerId);
  return { customerId, ...org };
}

// ---- getDelegatedAdminCustomers ----
export type GetDelegatedAdminCustomersArgs = DelegatedAdminQuery;
export interface GetDelegatedAdminCustomersResult {
  /** The customers, with the fields `select` asked for (all when it is not given). */
  customers: Partial<DelegatedAdminCustomer>[];
  /** The customers' tenant ids, in order: what a rollout iterates over. */
  customerIds: string[];
  /** The number of matching customers, when `count: true` asked for it. */
  count?: number;
}

/** The partner's delegated-admin customers, every page followed (App+User credentials required). */
export async function delegatedAdminCustomers(ctx: ContextOf, args: GetDelegatedAdminCustomersArgs = {}): Promise<GetDelegatedAdminCustomersResult> {
  try {
    toODataQuery(args ?? {});
  } catch (err) {
    if (err instanceof ODataOptionError) {
      throw new PartnerCenterError({ operation: "list the delegated-admin customers" }, `Could not list the delegated-admin customers: ${err.message}`);
    }
    throw err;
  }
  const { customers, count } = await ctx().delegatedAdmin.listCustomers(args ?? {});
  return { customers, customerIds: customers.map((c) => c.customerTenantId ?? c.id ?? "").filter(Boolean), count };
}

// ---- multitenant organization ----
const memberFields: string[] = multiTenantOrganizationMemberSchema.keyof().options;
function checkSelect(operation: string, select: unknown): string[] | undefined {
  if (select === undefined) return undefined;
  if (!Array.isArray(select) || select.length === 0 || select.some((f) => !memberFields.includes(f))) {
    throw new PartnerCenterError(
      { operation },
      `Could not ${operation}: select must be a non-empty list of ${memberFields.join(", ")}; got ${JSON.stringify(select)}.`,
    );
  }
  return select;
}

export interface GetMultiTenantOrganizationMemberArgs {
  /** The member tenant's id (GUID). */
  tenantId: string;
  /** Only these fields of the member (Graph's `$select`). */
  select?: string[];
}
/** One tenant of the partner's multitenant organization (Graph). */
export async function multiTenantOrganizationMember(
  ctx: ContextOf,
  args: GetMultiTenantOrganizationMemberArgs,
): Promise<Partial<MultiTenantOrganizationMember>> {
  const operation = "read the multitenant organization member";
  const tenantId = requireGuid("tenantId", args?.tenantId, operation);
  const select = checkSelect(operation, args.select);
  const member = await ctx().graph.getMultiTenantOrganizationMember(tenantId, select);
  if (!member) {
    throw new PartnerCenterError(
      { operation, service: "Microsoft Graph", statusCode: 404, serviceCode: "Request_ResourceNotFound" },
      `Could not ${operation}: tenant ${tenantId} is not a member of the partner's multitenant organization (Graph answered 404 Request_ResourceNotFound).`,
    );
  }
  return member;
}

export interface GetMultiTenantOrganizationMembersArgs {
  /** Only this tenant (a `$filter` on tenantId). */
  tenantId?: string;
  /** Only these fields of each member (Graph's `$select`). */
  select?: string[];
}
export interface GetMultiTenantOrganizationMembersResult {
  /** The member tenants, with the fields `select` asked for (all when it is not given). */
  members: Partial<MultiTenantOrganizationMember>[];
}
/** All tenants of the partner's multitenant organization (Graph). */
export async function multiTenantOrganizationMembers(
  ctx: ContextOf,
  args: GetMultiTenantOrganizationMembersArgs = {},
): Promise<GetMultiTenantOrganizationMembersResult> {
  const operation = "list the multitenant organization members";
  if (args?.tenantId !== undefined) requireGuid("tenantId", args.tenantId, operation);
  const select = checkSelect(operation, args?.select);
  return { members: await ctx().graph.listMultiTenantOrganizationMembers({ tenantId: args?.tenantId, select }) };
}

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
export async function delegatedAdminRelationships(
  ctx: ContextOf,
  args: GetDelegatedAdminRelationshipsArgs = {},
): Promise<GetDelegatedAdminRelationshipsResult> {
  if (args?.customerId !== undefined) requireGuid("customerId", args.customerId, "list the delegated admin relationships");
  const rows = await ctx().gdap.listRelationships({ customerId: args?.customerId });
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
export async function customerDomains(ctx: ContextOf, args: GetCustomerDomainsArgs): Promise<GetCustomerDomainsResult> {
  const customerId = requireGuid("customerId", args?.customerId, "list the customer's domains");
  const domains = await ctx().gdap.listDomains(customerId);
  const usable = domains.filter((d) => d.isVerified && (d.authenticationType ?? "Managed") === "Managed");
  const userDomain = (usable.find((d) => d.isDefault) ?? usable.find((d) => d.isInitial) ?? usable[0])?.id;
  return { domains, verifiedManagedDomains: usable.map((d) => d.id), userDomain };
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

/** A customer's directory roles through Partner Center (App+User): the ids a CustomerUserRoleAssignment takes. */
export async function customerDirectoryRoles(ctx: ContextOf, args: GetCustomerDirectoryRolesArgs): Promise<GetCustomerDirectoryRolesResult> {
  const customerId = requireGuid("customerId", args?.customerId, "list the directory roles");
  const roles = await ctx().directoryRoles.listRoles(customerId);
  const idsByName: Record<string, string> = Object.fromEntries(roles.map((r) => [r.name, r.id]));
  if (idsByName["Company Administrator"] && !idsByName["Global Administrator"]) idsByName["Global Administrator"] = idsByName["Company Administrator"];
  return { roles, idsByName };
}
