import * as pulumi from "@pulumi/pulumi";
import { builtInRoles } from "../provider/clients/builtInRoles";
import {
  customerDirectoryRoles,
  customerDomains,
  delegatedAdminRelationships,
  type GetCustomerDirectoryRolesArgs,
  type GetCustomerDirectoryRolesResult,
  type GetCustomerDomainsArgs,
  type GetCustomerDomainsResult,
  type GetDelegatedAdminRelationshipsArgs,
  type GetDelegatedAdminRelationshipsResult,
} from "../provider/dataSources";
import { isNameOf } from "../provider/resources/relationshipNames";
import { programContext } from "./config";
import { reported } from "./reported";

export { builtInRoles };
/**
 * True when `graphName` (a name `getDelegatedAdminRelationships` lists) is the relationship a program
 * declared with `displayName`: the same name as Graph compares names (ignoring case), or a numbered
 * one (`displayName (2)`, …) that a replacement gets on Graph.
 */
export const isRelationshipNamed = (graphName: string, displayName: string): boolean => isNameOf(graphName, displayName);
export type { BuiltInRoleName } from "../provider/clients/builtInRoles";
export type { DelegatedAdminRelationshipInfo, DirectoryRole, Domain } from "../provider/dataSources";
export type {
  GetCustomerDirectoryRolesArgs,
  GetCustomerDirectoryRolesResult,
  GetCustomerDomainsArgs,
  GetCustomerDomainsResult,
  GetDelegatedAdminRelationshipsArgs,
  GetDelegatedAdminRelationshipsResult,
};

// ---- getDelegatedAdminRelationships ----
/** The partner's GDAP relationships (Graph), every page; with the roles the active ones hold per customer. */
export const getDelegatedAdminRelationships = reported(async function getDelegatedAdminRelationships(
  args: GetDelegatedAdminRelationshipsArgs = {},
): Promise<GetDelegatedAdminRelationshipsResult> {
  return delegatedAdminRelationships(programContext, args);
});
/** {@link getDelegatedAdminRelationships} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getDelegatedAdminRelationshipsOutput(
  args: pulumi.Input<GetDelegatedAdminRelationshipsArgs> = {},
): pulumi.Output<GetDelegatedAdminRelationshipsResult> {
  return pulumi.output(args).apply((a) => getDelegatedAdminRelationships(a as GetDelegatedAdminRelationshipsArgs));
}

// ---- getCustomerDomains ----
/** A customer's domains, read through Graph in the customer tenant (the partner app's CPV consent, Domain.Read.All). */
export const getCustomerDomains = reported(async function getCustomerDomains(args: GetCustomerDomainsArgs): Promise<GetCustomerDomainsResult> {
  return customerDomains(programContext, args);
});
/** {@link getCustomerDomains} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getCustomerDomainsOutput(
  args: pulumi.Input<GetCustomerDomainsArgs> | { customerId: pulumi.Input<string> },
): pulumi.Output<GetCustomerDomainsResult> {
  return pulumi.output(args).apply((a) => getCustomerDomains(a as GetCustomerDomainsArgs));
}

// ---- getCustomerDirectoryRoles ----
/** A customer's directory roles through Partner Center (App+User): the ids a {@link CustomerUserRoleAssignment} takes. */
export const getCustomerDirectoryRoles = reported(async function getCustomerDirectoryRoles(
  args: GetCustomerDirectoryRolesArgs,
): Promise<GetCustomerDirectoryRolesResult> {
  return customerDirectoryRoles(programContext, args);
});
/** {@link getCustomerDirectoryRoles} as an Output: takes Inputs, so it can wait on values other resources produce. */
export function getCustomerDirectoryRolesOutput(
  args: pulumi.Input<GetCustomerDirectoryRolesArgs> | { customerId: pulumi.Input<string> },
): pulumi.Output<GetCustomerDirectoryRolesResult> {
  return pulumi.output(args).apply((a) => getCustomerDirectoryRoles(a as GetCustomerDirectoryRolesArgs));
}
