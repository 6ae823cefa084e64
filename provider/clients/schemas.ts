/**
 * The shapes of the services' answers, as zod schemas: the single source of truth for the types the
 * clients return. Every response body is parsed with one of these; a mismatch is an error that names
 * the field (see errors.ts `responseMismatch`).
 */
import { z } from "zod";

export const nullableString = z.string().nullable().optional();

/** A Graph (OData) page: its rows and, while more remain, the link to the next page. */
export const odataPage = <Row extends z.ZodTypeAny>(row: Row) => z.object({ "@odata.nextLink": z.string().optional(), value: z.array(row) });

// ---- Partner Center: customer users ----
export const customerUserSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string(),
  displayName: z.string(),
  firstName: nullableString,
  lastName: nullableString,
  usageLocation: nullableString,
  immutableId: nullableString,
  lastDirectorySyncTime: nullableString,
  userDomainType: z.string(),
  state: z.enum(["active", "inactive"]),
  softDeletionTime: nullableString,
  attributes: z.object({ objectType: z.string() }).partial().optional(),
});
export type CustomerUser = z.infer<typeof customerUserSchema>;

export const linkSchema = z.object({
  uri: z.string(),
  method: z.string().optional(),
  headers: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
});

/** A Partner Center collection: its rows and, while more remain, the link to the next page (with its continuation headers). */
export const partnerCenterCollection = <Row extends z.ZodTypeAny>(row: Row) =>
  z.object({
    totalCount: z.number().int().optional(),
    items: z.array(row),
    links: z.object({ self: linkSchema.optional(), next: linkSchema.optional() }).partial().optional(),
  });

export const customerUserCollectionSchema = partnerCenterCollection(customerUserSchema);

// ---- Partner Center: application consents ----
export const applicationGrantSchema = z.object({
  enterpriseApplicationId: z.string(),
  scope: z.string(),
});
export const applicationConsentSchema = z.object({
  applicationId: z.string(),
  applicationGrants: z.array(applicationGrantSchema),
  displayName: nullableString,
});
export type ApplicationConsentBody = z.infer<typeof applicationConsentSchema>;

// ---- Partner Center: organization (an array) ----
export const organizationSchema = z.object({
  displayName: z.string(),
  countryLetterCode: z.string(),
  street: nullableString,
  postalCode: nullableString,
  city: nullableString,
  state: nullableString,
  technicalNotificationMails: z.array(z.string()).default([]),
});
export type Organization = z.infer<typeof organizationSchema>;
export const organizationResponseSchema = z.array(organizationSchema).min(1);

// ---- Delegated admin customers (OData) ----
export const delegatedAdminCustomerSchema = z.object({
  id: z.string(),
  customerTenantId: z.string(),
  organizationDisplayName: z.string(),
  partnerAgentCount: z.number().int(),
  partnerSignInCount: z.number().int(),
  globalAdminSignInCount: z.number().int().optional(),
  dapEnabled: z.boolean(),
  startDateTime: nullableString,
  endDateTime: nullableString,
  lastSignInDateTime: nullableString,
});
export type DelegatedAdminCustomer = z.infer<typeof delegatedAdminCustomerSchema>;
/** With $select the service returns only some fields, so a page's rows are parsed as partial. */
export const delegatedAdminCustomerPageSchema = z.object({
  "@odata.context": z.string().optional(),
  "@odata.count": z.number().int().optional(),
  "@odata.nextLink": z.string().optional(),
  value: z.array(delegatedAdminCustomerSchema.partial()),
});

// ---- Graph: multitenant organization ----
export const multiTenantOrganizationMemberSchema = z.object({
  tenantId: z.string(),
  displayName: z.string().nullable(),
  addedDateTime: nullableString,
  joinedDateTime: nullableString,
  addedByTenantId: nullableString,
  role: z.string().nullable().optional(),
  state: z.string().nullable().optional(),
  transitionDetails: z
    .object({
      desiredState: z.string().nullable().optional(),
      desiredRole: z.string().nullable().optional(),
      status: z.string().nullable().optional(),
      details: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
});
export type MultiTenantOrganizationMember = z.infer<typeof multiTenantOrganizationMemberSchema>;
export const multiTenantOrganizationMemberPageSchema = odataPage(multiTenantOrganizationMemberSchema.partial({ displayName: true }).passthrough());

// ---- Graph: what a consent did in the customer tenant ----
export const servicePrincipalSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string().nullable().optional(),
});
export type ServicePrincipal = z.infer<typeof servicePrincipalSchema>;
export const oauth2PermissionGrantSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  consentType: z.string(),
  principalId: z.string().nullable().optional(),
  resourceId: z.string(),
  scope: z
    .string()
    .nullable()
    .transform((s) => s ?? ""),
});
export type OAuth2PermissionGrant = z.infer<typeof oauth2PermissionGrantSchema>;
export const oauth2PermissionGrantPageSchema = odataPage(oauth2PermissionGrantSchema);

// ---- Error bodies ----
export const partnerCenterErrorBodySchema = z.object({
  code: z.union([z.string(), z.number()]).transform(String),
  description: z.string(),
  data: z.array(z.unknown()).optional(),
  source: z.string().optional(),
});
export const partnerCenterThrottleBodySchema = z.object({ statusCode: z.number(), message: z.string() });
export const graphErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    innerError: z.record(z.string(), z.unknown()).optional(),
  }),
});
