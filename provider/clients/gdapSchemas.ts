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

export const domainSchema = z.object({
  id: z.string(),
  authenticationType: nullableString,
  isDefault: z.boolean().nullable().optional(),
  isInitial: z.boolean().nullable().optional(),
  isVerified: z.boolean().nullable().optional(),
});
export type Domain = z.infer<typeof domainSchema>;
export const domainPageSchema = odataPage(domainSchema);

export const directoryRoleSchema = z.object({ id: z.string(), name: z.string() });
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
