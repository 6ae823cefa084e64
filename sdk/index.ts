/**
 * pulumi-partnercenter: manage Microsoft CSP customer tenants with Pulumi.
 *
 *   import * as partnercenter from "pulumi-partnercenter";
 */
export { CustomerUser, CustomerUserArgs, CustomerUserState } from "./customerUser";
export { ApplicationConsent, ApplicationConsentArgs, ApplicationGrant } from "./applicationConsent";
export * from "./dataSources";

import * as pulumi from "@pulumi/pulumi";
import * as dataSources from "./dataSources";
import type { DelegatedAdminCustomer, GetDelegatedAdminCustomersArgs, GetDelegatedAdminCustomersResult } from "./dataSources";

/** Without `select` the service answers every field of each customer, so none of them is optional. */
export interface GetDelegatedAdminCustomersFullResult extends Omit<GetDelegatedAdminCustomersResult, "customers"> {
  customers: DelegatedAdminCustomer[];
}

/**
 * The partner's delegated-admin customers, every page followed (App+User credentials required).
 * Without `select`, each customer has every field (`customers[0].customerTenantId` is a string); with
 * it, only the fields selected.
 */
export function getDelegatedAdminCustomers(
  args?: Omit<GetDelegatedAdminCustomersArgs, "select"> & { select?: undefined },
): Promise<GetDelegatedAdminCustomersFullResult>;
export function getDelegatedAdminCustomers(args: GetDelegatedAdminCustomersArgs): Promise<GetDelegatedAdminCustomersResult>;
export async function getDelegatedAdminCustomers(args: GetDelegatedAdminCustomersArgs = {}): Promise<GetDelegatedAdminCustomersResult> {
  const result = await dataSources.getDelegatedAdminCustomers(args);
  const incomplete = args?.select
    ? undefined
    : result.customers.find((c) => typeof c.customerTenantId !== "string" || typeof c.organizationDisplayName !== "string");
  if (incomplete) {
    throw new Error(
      `Could not list the delegated-admin customers: the service answered a customer without customerTenantId or organizationDisplayName (${JSON.stringify(incomplete)}).`,
    );
  }
  return result;
}

/** {@link getDelegatedAdminCustomers} as an Output. */
export function getDelegatedAdminCustomersOutput(
  args?: pulumi.Input<Omit<GetDelegatedAdminCustomersArgs, "select"> & { select?: undefined }>,
): pulumi.Output<GetDelegatedAdminCustomersFullResult>;
export function getDelegatedAdminCustomersOutput(args: pulumi.Input<GetDelegatedAdminCustomersArgs>): pulumi.Output<GetDelegatedAdminCustomersResult>;
export function getDelegatedAdminCustomersOutput(args: pulumi.Input<GetDelegatedAdminCustomersArgs> = {}): pulumi.Output<GetDelegatedAdminCustomersResult> {
  return pulumi.output(args).apply((a) => getDelegatedAdminCustomers(a as GetDelegatedAdminCustomersArgs));
}
export { PartnerCenterError, isPartnerCenterError } from "../provider/errors";
export { configKeys } from "../provider/config";
export { selectShard, rateLimitPerShard } from "./rollout";
export { DelegatedAdminRelationship, DelegatedAdminRelationshipArgs, DelegatedAdminRelationshipState } from "./delegatedAdminRelationship";
export { DelegatedAdminAccessAssignment, DelegatedAdminAccessAssignmentArgs, DelegatedAdminAccessAssignmentState } from "./delegatedAdminAccessAssignment";
export { CustomerUserRoleAssignment, CustomerUserRoleAssignmentArgs, CustomerUserRoleAssignmentState } from "./customerUserRoleAssignment";
export * from "./gdapDataSources";
