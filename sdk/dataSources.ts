import * as pulumi from "@pulumi/pulumi";
import {
  type DelegatedAdminCustomer,
  type MultiTenantOrganizationMember,
  multiTenantOrganizationMemberSchema,
  type Organization,
} from "../provider/clients/schemas";
import { DelegatedAdminQuery, ODataOptionError, toODataQuery } from "../provider/clients/odata";
import { isPartnerCenterError, PartnerCenterError } from "../provider/errors";
import { requireGuid } from "../provider/clients/path";
import { programContext } from "./config";

export type { DelegatedAdminCustomer, MultiTenantOrganizationMember, Organization };

/**
 * Pulumi prints an error that escapes a program as an "unhandled exception": its stack (frames in .ts
 * files this package does not ship) and every field, with terminal colours. Ours are sentences written
 * for the user, so they leave the data sources marked as a Pulumi RunError, which Pulumi prints as its
 * message alone. Pulumi recognizes a RunError by this marker field (so that it works across copies of
 * its SDK); the error stays a PartnerCenterError for a program that catches it.
 */
function reported<A extends unknown[], T>(dataSource: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  return async (...args) => {
    try {
      return await dataSource(...args);
    } catch (err) {
      if (isPartnerCenterError(err)) Object.defineProperty(err, "__pulumiRunError", { value: true });
      throw err;
    }
  };
}

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
export const getCustomerOrganization = reported(async function getCustomerOrganization(
  args: GetCustomerOrganizationArgs,
): Promise<GetCustomerOrganizationResult> {
  const customerId = requireGuid("customerId", args?.customerId, "read the organization profile");
  const org = await programContext().partnerCenter.getOrganization(customerId);
  return { customerId, ...org };
});
/** {@link getCustomerOrganization} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getCustomerOrganizationOutput(
  args: pulumi.Input<GetCustomerOrganizationArgs> | { customerId: pulumi.Input<string> },
): pulumi.Output<GetCustomerOrganizationResult> {
  return pulumi.output(args).apply((a) => getCustomerOrganization(a as GetCustomerOrganizationArgs));
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
export const getDelegatedAdminCustomers = reported(async function getDelegatedAdminCustomers(
  args: GetDelegatedAdminCustomersArgs = {},
): Promise<GetDelegatedAdminCustomersResult> {
  try {
    toODataQuery(args ?? {});
  } catch (err) {
    if (err instanceof ODataOptionError) {
      throw new PartnerCenterError({ operation: "list the delegated-admin customers" }, `Could not list the delegated-admin customers: ${err.message}`);
    }
    throw err;
  }
  const { customers, count } = await programContext().delegatedAdmin.listCustomers(args ?? {});
  return { customers, customerIds: customers.map((c) => c.customerTenantId ?? c.id ?? "").filter(Boolean), count };
});
/** {@link getDelegatedAdminCustomers} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getDelegatedAdminCustomersOutput(args: pulumi.Input<GetDelegatedAdminCustomersArgs> = {}): pulumi.Output<GetDelegatedAdminCustomersResult> {
  return pulumi.output(args).apply((a) => getDelegatedAdminCustomers(a as GetDelegatedAdminCustomersArgs));
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
export const getMultiTenantOrganizationMember = reported(async function getMultiTenantOrganizationMember(
  args: GetMultiTenantOrganizationMemberArgs,
): Promise<Partial<MultiTenantOrganizationMember>> {
  const operation = "read the multitenant organization member";
  const tenantId = requireGuid("tenantId", args?.tenantId, operation);
  const select = checkSelect(operation, args.select);
  const member = await programContext().graph.getMultiTenantOrganizationMember(tenantId, select);
  if (!member) {
    throw new PartnerCenterError(
      { operation, service: "Microsoft Graph", statusCode: 404, serviceCode: "Request_ResourceNotFound" },
      `Could not ${operation}: tenant ${tenantId} is not a member of the partner's multitenant organization (Graph answered 404 Request_ResourceNotFound).`,
    );
  }
  return member;
});
/** {@link getMultiTenantOrganizationMember} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getMultiTenantOrganizationMemberOutput(
  args: pulumi.Input<GetMultiTenantOrganizationMemberArgs> | { tenantId: pulumi.Input<string>; select?: string[] },
) {
  return pulumi.output(args).apply((a) => getMultiTenantOrganizationMember(a as GetMultiTenantOrganizationMemberArgs));
}

export interface GetMultiTenantOrganizationMembersArgs {
  /** Only this tenant (a `$filter` on tenantId). */
  tenantId?: string;
  /** Only these fields of each member (Graph's `$select`). */
  select?: string[];
}
/** All tenants of the partner's multitenant organization (Graph). */
export const getMultiTenantOrganizationMembers = reported(async function getMultiTenantOrganizationMembers(
  args: GetMultiTenantOrganizationMembersArgs = {},
): Promise<{ members: Partial<MultiTenantOrganizationMember>[] }> {
  const operation = "list the multitenant organization members";
  if (args?.tenantId !== undefined) requireGuid("tenantId", args.tenantId, operation);
  const select = checkSelect(operation, args?.select);
  return { members: await programContext().graph.listMultiTenantOrganizationMembers({ tenantId: args?.tenantId, select }) };
});
/** {@link getMultiTenantOrganizationMembers} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getMultiTenantOrganizationMembersOutput(args: pulumi.Input<GetMultiTenantOrganizationMembersArgs> = {}) {
  return pulumi.output(args).apply((a) => getMultiTenantOrganizationMembers(a as GetMultiTenantOrganizationMembersArgs));
}
