/**
 * The plugin's resources and functions by type token: the same providers the dynamic adapter loads
 * (provider/resources, `pulumi-partnercenter/dynamic`) and the same data-source reads the SDK runs
 * (provider/dataSources.ts). Nothing here decides anything about a resource.
 */
import { z } from "zod";
import { requireGuid } from "../clients/path";
import type { ContextOf } from "../dataSources";
import { PartnerCenterError } from "../errors";
import * as dataSources from "../dataSources";
import { applicationConsentProvider } from "../resources/applicationConsent";
import { customerUserProvider } from "../resources/customerUser";
import { customerUserRoleAssignmentProvider } from "../resources/customerUserRoleAssignment";
import { delegatedAdminAccessAssignmentProvider } from "../resources/delegatedAdminAccessAssignment";
import { delegatedAdminRelationshipProvider } from "../resources/delegatedAdminRelationship";
import {
  accessAssignmentComputedFields,
  accessAssignmentFields,
  relationshipComputedFields,
  relationshipFields,
  roleAssignmentFields,
} from "../resources/gdapInputs";
import { applicationConsentFields, customerUserComputedFields, customerUserFields, customerUserSecretFields } from "../resources/inputs";

export const packageName = "partnercenter";
export const token = (name: string) => `${packageName}:index:${name}`;

/** What the adapters call on a resource: Pulumi's dynamic-provider interface, which provider/resources implement once. */
export interface ResourceBehaviour {
  check(olds: unknown, news: Record<string, unknown>): Promise<{ inputs?: Record<string, unknown>; failures?: { property: string; reason: string }[] }>;
  diff(id: string, olds: never, news: never): Promise<{ changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;
  create(inputs: never): Promise<{ id: string; outs: object }>;
  read(id: string, props: never): Promise<{ id: string; props: object; inputs?: object }>;
  update(id: string, olds: never, news: never): Promise<{ outs: object }>;
  delete(id: string, props: never): Promise<void>;
}

export interface NativeResource {
  behaviour: ResourceBehaviour;
  /** Fields whose values are secrets wherever they appear (inputs, outputs, state). */
  secretFields: readonly string[];
  /** Outputs the service computes: unknown in the preview of a create. */
  computedFields: string[];
  /**
   * Inputs kept in the state's inputs only, not copied into the outputs. The engine hands a native
   * provider its old inputs at diff, update and read, so a secret input (the password) needs no second
   * copy among the outputs, which the engine would encrypt again at every checkpoint
   * (bench/users-profile.md). schemaTypes.ts leaves the same fields out of the outputs.
   */
  inputOnlyFields: readonly string[];
  /**
   * For `pulumi import`, when the import id is not the resource id: the id and state the resource's
   * `get` read takes (which checks them as `get` does). Without it the import id is the resource id.
   */
  importId?(id: string): { id: string; props: Record<string, unknown> };
  /** The input shape (zod): an import fills what the service cannot report with the shape's defaults. */
  inputFields: Record<string, z.ZodType>;
}

/** The inputs' defaults (`adopt: false`, …): what a program that leaves them out declares. */
export function inputDefaults(r: NativeResource): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r.inputFields).flatMap(([k, f]) => (f instanceof z.ZodDefault ? [[k, f.def.defaultValue]] : [])));
}

/** `<customerId>/<userId>`, both GUIDs: a `../` or a third part can never reach another customer's object. */
function customerUserImportId(id: string): { id: string; props: Record<string, unknown> } {
  const operation = `import the user ${id}`;
  const parts = id.split("/");
  if (parts.length !== 2) {
    throw new PartnerCenterError(
      { operation },
      `Could not ${operation}: the import id must be <customerId>/<userId> (two GUIDs). Nothing was sent to the service.`,
    );
  }
  return { id: requireGuid("userId", parts[1], operation), props: { customerId: requireGuid("customerId", parts[0], operation) } };
}

export const resources: Record<string, NativeResource> = {
  [token("CustomerUser")]: {
    behaviour: customerUserProvider as ResourceBehaviour,
    secretFields: customerUserSecretFields,
    computedFields: Object.keys(customerUserComputedFields),
    inputOnlyFields: customerUserSecretFields,
    importId: customerUserImportId,
    inputFields: customerUserFields,
  },
  [token("ApplicationConsent")]: {
    behaviour: applicationConsentProvider as ResourceBehaviour,
    secretFields: [],
    computedFields: [],
    inputOnlyFields: [],
    inputFields: applicationConsentFields,
  },
  [token("DelegatedAdminRelationship")]: {
    behaviour: delegatedAdminRelationshipProvider as ResourceBehaviour,
    secretFields: [],
    computedFields: Object.keys(relationshipComputedFields),
    inputOnlyFields: [],
    inputFields: relationshipFields,
  },
  [token("DelegatedAdminAccessAssignment")]: {
    behaviour: delegatedAdminAccessAssignmentProvider as ResourceBehaviour,
    secretFields: [],
    computedFields: Object.keys(accessAssignmentComputedFields),
    inputOnlyFields: [],
    inputFields: accessAssignmentFields,
  },
  // roleId is computed when the program names the role by roleName.
  [token("CustomerUserRoleAssignment")]: {
    behaviour: customerUserRoleAssignmentProvider as ResourceBehaviour,
    secretFields: [],
    computedFields: ["roleId"],
    inputOnlyFields: [],
    inputFields: roleAssignmentFields,
  },
};

type Read = (ctx: ContextOf, args: never) => Promise<object>;
export const functions: Record<string, Read> = {
  [token("getCustomerOrganization")]: dataSources.customerOrganization,
  [token("getDelegatedAdminCustomers")]: dataSources.delegatedAdminCustomers,
  [token("getMultiTenantOrganizationMember")]: dataSources.multiTenantOrganizationMember,
  [token("getMultiTenantOrganizationMembers")]: dataSources.multiTenantOrganizationMembers,
  [token("getDelegatedAdminRelationships")]: dataSources.delegatedAdminRelationships,
  [token("getCustomerDomains")]: dataSources.customerDomains,
  [token("getCustomerDirectoryRoles")]: dataSources.customerDirectoryRoles,
};
