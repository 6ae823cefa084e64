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
/** A customer's organization profile, as Partner Center's `GET customers/{id}/organization` answers (its fields documented here once, for the SDK's result type too). */
const organizationFields = {
  /** The organization's name, as the customer's tenant shows it. */
  displayName: z.string(),
  /** ISO 3166-1 alpha-2 country of the company's address, e.g. `US`. */
  countryLetterCode: z.string(),
  /** Street of the company's address; null when not given. */
  street: nullableString,
  /** Postal code of the company's address; null when not given. */
  postalCode: nullableString,
  /** City of the company's address; null when not given. */
  city: nullableString,
  /** State or region of the company's address; null when not given. */
  state: nullableString,
  /** Where Microsoft sends the tenant's technical notifications. */
  technicalNotificationMails: z.array(z.string()).default([]),
};
export const organizationSchema: z.ZodObject<typeof organizationFields, z.core.$strip> = z.object(organizationFields);
export type Organization = z.infer<typeof organizationSchema>;
export const organizationResponseSchema = z.array(organizationSchema).min(1);

// ---- Delegated admin customers (OData) ----
/** A customer of the delegated-admin customers API (its fields documented here once, for the SDK's result type too). */
const delegatedAdminCustomerFields = {
  /** The record's id in the delegated-admin API (the customer's tenant id). */
  id: z.string(),
  /** The customer's tenant id: what resources take as customerId. */
  customerTenantId: z.string(),
  /** The customer's organization name. */
  organizationDisplayName: z.string(),
  /** How many of the partner's agents hold delegated admin rights in this customer. */
  partnerAgentCount: z.number().int(),
  /** Sign-ins of the partner's agents into this customer. */
  partnerSignInCount: z.number().int(),
  /** Sign-ins of the customer's Global Administrators, when reported. */
  globalAdminSignInCount: z.number().int().optional(),
  /** Whether the customer still grants the legacy DAP (delegated admin privileges). */
  dapEnabled: z.boolean(),
  /** When the delegated admin relationship started (ISO 8601); null when unknown. */
  startDateTime: nullableString,
  /** When it ends (ISO 8601); null when it does not. */
  endDateTime: nullableString,
  /** The partner's last sign-in into this customer (ISO 8601); null when none. */
  lastSignInDateTime: nullableString,
};
export const delegatedAdminCustomerSchema: z.ZodObject<typeof delegatedAdminCustomerFields, z.core.$strip> = z.object(delegatedAdminCustomerFields);
export type DelegatedAdminCustomer = z.infer<typeof delegatedAdminCustomerSchema>;
/** With $select the service returns only some fields, so a page's rows are parsed as partial. */
export const delegatedAdminCustomerPageSchema = z.object({
  "@odata.context": z.string().optional(),
  "@odata.count": z.number().int().optional(),
  "@odata.nextLink": z.string().optional(),
  value: z.array(delegatedAdminCustomerSchema.partial()),
});

// ---- Graph: multitenant organization ----
/** A tenant of the partner's multitenant organization, as Microsoft Graph answers (fields documented once, for the SDK's result type too). */
const multiTenantOrganizationMemberFields = {
  /** The member tenant's id. */
  tenantId: z.string(),
  /** The member tenant's name. */
  displayName: z.string().nullable(),
  /** When the tenant was added to the multitenant organization (ISO 8601). */
  addedDateTime: nullableString,
  /** When the tenant joined, i.e. accepted (ISO 8601); null while pending. */
  joinedDateTime: nullableString,
  /** The tenant that added it. */
  addedByTenantId: nullableString,
  /** `owner` or `member`. */
  role: z.string().nullable().optional(),
  /** `pending`, `active` or `removed`. */
  state: z.string().nullable().optional(),
  /** A change of role or state in progress, and how it is going. */
  transitionDetails: z
    .object({
      desiredState: z.string().nullable().optional(),
      desiredRole: z.string().nullable().optional(),
      status: z.string().nullable().optional(),
      details: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
};
export const multiTenantOrganizationMemberSchema: z.ZodObject<typeof multiTenantOrganizationMemberFields, z.core.$strip> =
  z.object(multiTenantOrganizationMemberFields);
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
