/**
 * Wire shapes of GDAP (Microsoft Graph v1.0 `delegatedAdminRelationship`, `delegatedAdminAccessAssignment`,
 * `delegatedAdminRelationshipRequest`), a customer's domains (Graph `domain`) and Partner Center's
 * directory roles and their user members.
 */
import { z } from "zod";
import { nullableString, odataPage, partnerCenterCollection } from "./schemas";

const unifiedRolesSchema = z.array(z.object({ roleDefinitionId: z.string() }));

export const relationshipStatuses = [
  "activating",
  "active",
  "approvalPending",
  "approved",
  "created",
  "expired",
  "expiring",
  "terminated",
  "terminationRequested",
  "terminating",
  "unknownFutureValue",
] as const;

export const delegatedAdminRelationshipSchema = z.object({
  "@odata.etag": z.string().optional(),
  id: z.string(),
  displayName: z.string(),
  duration: z.string(),
  customer: z.object({ tenantId: z.string(), displayName: nullableString }).nullable().optional(),
  accessDetails: z.object({ unifiedRoles: unifiedRolesSchema }),
  // A status added after this was written reads as itself; the provider treats unknown ones as "in progress".
  status: z.string(),
  autoExtendDuration: z
    .string()
    .nullable()
    .optional()
    .transform((s) => s ?? "PT0S"),
  createdDateTime: nullableString,
  lastModifiedDateTime: nullableString,
  activatedDateTime: nullableString,
  endDateTime: nullableString,
});
export type DelegatedAdminRelationship = z.infer<typeof delegatedAdminRelationshipSchema>;
export const delegatedAdminRelationshipPageSchema = odataPage(delegatedAdminRelationshipSchema);

export const delegatedAdminRelationshipRequestSchema = z.object({
  id: z.string(),
  action: z.string(),
  status: z.string(),
});

/** A long-running operation (`…/{relationshipId}/operations/{id}`), named by a 202 Accepted's Location. */
export const delegatedAdminRelationshipOperationSchema = z.object({
  id: z.string(),
  operationType: nullableString,
  // notStarted, running, succeeded, failed, unknownFutureValue: anything but the last two is still going.
  status: z.string(),
  data: nullableString,
});

export const delegatedAdminAccessAssignmentSchema = z.object({
  "@odata.etag": z.string().optional(),
  id: z.string(),
  status: z.string(),
  accessContainer: z.object({ accessContainerId: z.string(), accessContainerType: z.string() }),
  accessDetails: z.object({ unifiedRoles: unifiedRolesSchema }),
  createdDateTime: nullableString,
  lastModifiedDateTime: nullableString,
});
export type DelegatedAdminAccessAssignment = z.infer<typeof delegatedAdminAccessAssignmentSchema>;
export const delegatedAdminAccessAssignmentPageSchema = odataPage(delegatedAdminAccessAssignmentSchema);

/** A domain of a customer's tenant, as Graph lists them (fields documented once, for the SDK's result type too). */
const domainFields = {
  /** The domain name, e.g. `contoso.com`. */
  id: z.string(),
  /** `Managed` (cloud sign-in) or `Federated` (signs in elsewhere: no cloud user's UPN there). */
  authenticationType: nullableString,
  /** The tenant's default domain for new users. */
  isDefault: z.boolean().nullable().optional(),
  /** The `*.onmicrosoft.com` domain the tenant was created with. */
  isInitial: z.boolean().nullable().optional(),
  /** Whether the customer proved they own it. */
  isVerified: z.boolean().nullable().optional(),
};
export const domainSchema: z.ZodObject<typeof domainFields, z.core.$strip> = z.object(domainFields);
export type Domain = z.infer<typeof domainSchema>;
export const domainPageSchema = odataPage(domainSchema);

const directoryRoleFields = {
  /** The role's id in the customer's tenant (what `CustomerUserRoleAssignment.roleId` takes). */
  id: z.string(),
  /** The role's name, e.g. `Company Administrator` (Global Administrator). */
  name: z.string(),
};
export const directoryRoleSchema: z.ZodObject<typeof directoryRoleFields, z.core.$strip> = z.object(directoryRoleFields);
export type DirectoryRole = z.infer<typeof directoryRoleSchema>;
export const directoryRoleCollectionSchema = partnerCenterCollection(directoryRoleSchema);

export const userMemberSchema = z.object({
  id: z.string(),
  userPrincipalName: nullableString,
  displayName: nullableString,
  roleId: nullableString,
});
export type UserMember = z.infer<typeof userMemberSchema>;
export const userMemberCollectionSchema = partnerCenterCollection(userMemberSchema);
