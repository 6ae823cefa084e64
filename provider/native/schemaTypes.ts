/**
 * The types the package schema is generated from (scripts/generate-schema.ts reads this file with the
 * TypeScript compiler): each resource's inputs and outputs as its zod shape declares them, and each
 * function's arguments and result as the SDK's data source has them. The fields, their types and
 * their TSDoc are declared once, there; this file only names which type is which.
 */
import type { z } from "zod";
import type { ProviderConfig } from "../config";
import type * as ds from "../dataSources";
import type * as gdap from "../resources/gdapInputs";
import type * as inputs from "../resources/inputs";

/** The provider's configuration: the stack's `partnercenter:*` keys. */
export type Config = ProviderConfig;

export interface Resources {
  /** A user in a customer tenant, managed through Partner Center (App+User credentials required). Import id: `<customerId>/<userId>`. */
  // The password is kept in the state's inputs only (resources.ts inputOnlyFields).
  CustomerUser: { inputs: z.input<typeof inputs.customerUserInputsSchema>; outputs: Omit<inputs.CustomerUserOutputs, "password"> };
  /** A Control Panel Vendor (CPV) consent of an application in a customer tenant. Import id: `<customerId>/<applicationId>`. */
  ApplicationConsent: { inputs: z.input<typeof inputs.applicationConsentInputsSchema>; outputs: inputs.ApplicationConsentInputs };
  /** A GDAP relationship with a customer (Microsoft Graph delegatedAdminRelationship). Import id: the relationship's id. */
  DelegatedAdminRelationship: { inputs: z.input<typeof gdap.relationshipInputsSchema>; outputs: gdap.RelationshipOutputs };
  /** A partner security group's roles on an active GDAP relationship. Import id: `<relationshipId>/<accessAssignmentId>`. */
  DelegatedAdminAccessAssignment: { inputs: z.input<typeof gdap.accessAssignmentInputsSchema>; outputs: gdap.AccessAssignmentOutputs };
  /** A customer user's membership of a directory role in the customer tenant. Import id: `<customerId>/<roleId>/<userId>`. */
  CustomerUserRoleAssignment: { inputs: z.input<typeof gdap.roleAssignmentInputsSchema>; outputs: gdap.RoleAssignmentOutputs };
}

export interface Functions {
  /** A customer's organization profile (display name, address, technical notification mails). */
  getCustomerOrganization: { inputs: ds.GetCustomerOrganizationArgs; outputs: ds.GetCustomerOrganizationResult };
  /** The partner's delegated-admin customers, every page followed (App+User credentials required). */
  getDelegatedAdminCustomers: { inputs: ds.GetDelegatedAdminCustomersArgs; outputs: ds.GetDelegatedAdminCustomersResult };
  /** One tenant of the partner's multitenant organization (Graph). */
  getMultiTenantOrganizationMember: { inputs: ds.GetMultiTenantOrganizationMemberArgs; outputs: Partial<ds.MultiTenantOrganizationMember> };
  /** All tenants of the partner's multitenant organization (Graph). */
  getMultiTenantOrganizationMembers: { inputs: ds.GetMultiTenantOrganizationMembersArgs; outputs: ds.GetMultiTenantOrganizationMembersResult };
  /** The partner's GDAP relationships (Graph), every page; with the roles the active ones hold per customer. */
  getDelegatedAdminRelationships: { inputs: ds.GetDelegatedAdminRelationshipsArgs; outputs: ds.GetDelegatedAdminRelationshipsResult };
  /** A customer's domains, read through Graph in the customer tenant (the partner app's CPV consent, Domain.Read.All). */
  getCustomerDomains: { inputs: ds.GetCustomerDomainsArgs; outputs: ds.GetCustomerDomainsResult };
  /** A customer's directory roles through Partner Center (App+User): the ids a CustomerUserRoleAssignment takes. */
  getCustomerDirectoryRoles: { inputs: ds.GetCustomerDirectoryRolesArgs; outputs: ds.GetCustomerDirectoryRolesResult };
}
