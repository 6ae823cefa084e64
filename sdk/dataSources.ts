import * as pulumi from "@pulumi/pulumi";
import {
  customerOrganization,
  delegatedAdminCustomers,
  type GetCustomerOrganizationArgs,
  type GetCustomerOrganizationResult,
  type GetDelegatedAdminCustomersArgs,
  type GetDelegatedAdminCustomersResult,
  type GetMultiTenantOrganizationMemberArgs,
  type GetMultiTenantOrganizationMembersArgs,
  type GetMultiTenantOrganizationMembersResult,
  type MultiTenantOrganizationMember,
  multiTenantOrganizationMember,
  multiTenantOrganizationMembers,
} from "../provider/dataSources";
import { programContext } from "./config";
import { reported } from "./reported";

export type { DelegatedAdminCustomer, MultiTenantOrganizationMember, Organization } from "../provider/dataSources";
export type {
  GetCustomerOrganizationArgs,
  GetCustomerOrganizationResult,
  GetDelegatedAdminCustomersArgs,
  GetDelegatedAdminCustomersResult,
  GetMultiTenantOrganizationMemberArgs,
  GetMultiTenantOrganizationMembersArgs,
  GetMultiTenantOrganizationMembersResult,
};

// ---- getCustomerOrganization ----
/** A customer's organization profile (display name, address, technical notification mails). */
export const getCustomerOrganization = reported(async function getCustomerOrganization(
  args: GetCustomerOrganizationArgs,
): Promise<GetCustomerOrganizationResult> {
  return customerOrganization(programContext, args);
});
/** {@link getCustomerOrganization} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getCustomerOrganizationOutput(
  args: pulumi.Input<GetCustomerOrganizationArgs> | { customerId: pulumi.Input<string> },
): pulumi.Output<GetCustomerOrganizationResult> {
  return pulumi.output(args).apply((a) => getCustomerOrganization(a as GetCustomerOrganizationArgs));
}

// ---- getDelegatedAdminCustomers ----
/** The partner's delegated-admin customers, every page followed (App+User credentials required). */
export const getDelegatedAdminCustomers = reported(async function getDelegatedAdminCustomers(
  args: GetDelegatedAdminCustomersArgs = {},
): Promise<GetDelegatedAdminCustomersResult> {
  return delegatedAdminCustomers(programContext, args);
});
/** {@link getDelegatedAdminCustomers} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getDelegatedAdminCustomersOutput(args: pulumi.Input<GetDelegatedAdminCustomersArgs> = {}): pulumi.Output<GetDelegatedAdminCustomersResult> {
  return pulumi.output(args).apply((a) => getDelegatedAdminCustomers(a as GetDelegatedAdminCustomersArgs));
}

// ---- multitenant organization ----
/** One tenant of the partner's multitenant organization (Graph). */
export const getMultiTenantOrganizationMember = reported(async function getMultiTenantOrganizationMember(
  args: GetMultiTenantOrganizationMemberArgs,
): Promise<Partial<MultiTenantOrganizationMember>> {
  return multiTenantOrganizationMember(programContext, args);
});
/** {@link getMultiTenantOrganizationMember} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getMultiTenantOrganizationMemberOutput(
  args: pulumi.Input<GetMultiTenantOrganizationMemberArgs> | { tenantId: pulumi.Input<string>; select?: string[] },
) {
  return pulumi.output(args).apply((a) => getMultiTenantOrganizationMember(a as GetMultiTenantOrganizationMemberArgs));
}

/** All tenants of the partner's multitenant organization (Graph). */
export const getMultiTenantOrganizationMembers = reported(async function getMultiTenantOrganizationMembers(
  args: GetMultiTenantOrganizationMembersArgs = {},
): Promise<GetMultiTenantOrganizationMembersResult> {
  return multiTenantOrganizationMembers(programContext, args);
});
/** {@link getMultiTenantOrganizationMembers} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getMultiTenantOrganizationMembersOutput(args: pulumi.Input<GetMultiTenantOrganizationMembersArgs> = {}) {
  return pulumi.output(args).apply((a) => getMultiTenantOrganizationMembers(a as GetMultiTenantOrganizationMembersArgs));
}
