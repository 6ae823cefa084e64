import { z } from "zod";

/**
 * Wire shapes of the emulated services, written from the literal examples in the service docs
 * (see the spec pages beside the repository). The emulator's tests parse both the doc examples and live answers with
 * them, so a drift between the two shows up as a failing field path. Clients may reuse them.
 */
const link = z.object({ uri: z.string(), method: z.string(), headers: z.array(z.object({ key: z.string(), value: z.string() })) });

export const customerUserSchema = z.object({
  id: z.guid(),
  usageLocation: z.string(),
  userPrincipalName: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  displayName: z.string(),
  immutableId: z.string().optional(),
  passwordProfile: z.object({ forceChangePassword: z.boolean(), password: z.string() }).optional(),
  lastDirectorySyncTime: z.string().nullable(),
  userDomainType: z.string(),
  state: z.enum(["active", "inactive"]),
  softDeletionTime: z.string().nullable(),
  links: z.object({ self: link }).optional(),
  attributes: z.object({ objectType: z.literal("CustomerUser") }),
});

export const customerUserListSchema = z.object({
  totalCount: z.number().int(),
  items: z.array(customerUserSchema),
  links: z.object({ self: link, next: link.optional() }),
  attributes: z.object({ objectType: z.literal("Collection") }),
});

/** A customer's organization profile; the seed describes each customer's with it too. */
export const organizationSchema = z.object({
  street: z.string(),
  countryLetterCode: z.string().length(2),
  postalCode: z.string(),
  city: z.string(),
  state: z.string(),
  displayName: z.string(),
  technicalNotificationMails: z.array(z.string()),
});

export const organizationListSchema = z.array(organizationSchema);

export const applicationConsentSchema = z.object({
  applicationId: z.guid(),
  displayName: z.string().nullable().optional(),
  applicationGrants: z.array(z.object({ enterpriseApplicationId: z.guid(), scope: z.string() })),
});

export const delegatedAdminCustomerSchema = z.object({
  id: z.string(),
  customerTenantId: z.string(),
  organizationDisplayName: z.string(),
  partnerAgentCount: z.number().int(),
  partnerSignInCount: z.number().int(),
  globalAdminSignInCount: z.number().int(),
  dapEnabled: z.boolean(),
  startDateTime: z.string(),
  endDateTime: z.string().nullable(),
  lastSignInDateTime: z.string().nullable(),
});

export const delegatedAdminCustomersSchema = z.object({
  "@odata.context": z.string(),
  "@odata.count": z.number().int().optional(),
  "@odata.nextLink": z.string().url().optional(),
  value: z.array(delegatedAdminCustomerSchema),
});

export const multiTenantOrganizationMemberSchema = z.object({
  "@odata.context": z.string().optional(),
  tenantId: z.guid(),
  displayName: z.string(),
  addedDateTime: z.string(),
  joinedDateTime: z.string().nullable(),
  addedByTenantId: z.guid(),
  role: z.enum(["owner", "member", "unknownFutureValue"]),
  state: z.enum(["pending", "active", "removed", "unknownFutureValue"]),
  transitionDetails: z.object({ desiredState: z.string(), desiredRole: z.string(), status: z.string(), details: z.string().nullable() }).nullable(),
});

export const servicePrincipalSchema = z.object({ id: z.guid(), appId: z.guid(), displayName: z.string() }).passthrough();

export const oauth2PermissionGrantsSchema = z.object({
  "@odata.context": z.string(),
  value: z.array(
    z.object({
      id: z.string(),
      clientId: z.string(),
      consentType: z.string(),
      principalId: z.string().nullable(),
      resourceId: z.string(),
      scope: z.string(),
    }),
  ),
});

export const partnerCenterErrorSchema = z.object({
  code: z.string(),
  description: z.string().max(1024),
  data: z.array(z.unknown()),
  source: z.string(),
});

export const throttledSchema = z.object({ statusCode: z.literal(429), message: z.string() });

export const graphErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), innerError: z.object({ "request-id": z.string(), date: z.string() }).passthrough() }),
});

export const tokenResponseSchema = z.object({
  token_type: z.literal("Bearer"),
  expires_in: z.number(),
  ext_expires_in: z.number(),
  access_token: z.string(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
  client_info: z.string().optional(),
  scope: z.string().optional(),
});

export const tokenErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().regex(/^AADSTS\d+: /),
  error_codes: z.array(z.number()),
  timestamp: z.string(),
  trace_id: z.string(),
  correlation_id: z.string(),
});
