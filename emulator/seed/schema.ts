import { z } from "zod";
import { guidSchema as guid } from "../ids";
import { organizationSchema } from "../schemas/responses";
import { builtInRoles } from "../../provider/clients/builtInRoles";

/**
 * The seed: everything the emulator starts from. Users write these by hand, so every field is
 * validated and a mismatch names the path (see loadSeed).
 */
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date-time");

export const resources = {
  partnerCenter: "https://api.partnercenter.microsoft.com",
  delegatedAdmin: "https://api.partnercustomeradministration.microsoft.com",
  graph: "https://graph.microsoft.com",
} as const;

const federatedCredentialSchema = z.object({
  name: z.string().default("github"),
  /** Omit to mean the emulator's own OIDC issuer (`{url}/_emulator/oidc`), whose URL is only known at start. */
  issuer: z.string().optional(),
  subject: z.string(),
  audiences: z.array(z.string()).default(["api://AzureADTokenExchange"]),
});

const applicationSchema = z.object({
  clientId: guid,
  displayName: z.string(),
  clientSecret: z.string().min(1),
  /** The client certificate is generated at start (its thumbprints go to the handle's credentials). */
  certificate: z.boolean().default(true),
  federatedCredentials: z.array(federatedCredentialSchema).default([]),
  /** Application permissions (the `roles` claim of app-only tokens), keyed by resource URI. */
  appRoles: z.record(z.string(), z.array(z.string())).default({}),
  /** Delegated permissions (the `scp` claim of App+User tokens), keyed by resource URI. */
  delegatedScopes: z.record(z.string(), z.string()).default({}),
});

const partnerUserSchema = z.object({
  id: guid,
  userPrincipalName: z.string(),
  displayName: z.string(),
  refreshToken: z.string().min(16),
});

const passwordProfileSchema = z.object({ password: z.string(), forceChangePassword: z.boolean().default(true) });

export const customerUserSchema = z.object({
  id: guid,
  userPrincipalName: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  displayName: z.string(),
  usageLocation: z.string().length(2),
  immutableId: z.string().optional(),
  passwordProfile: passwordProfileSchema.default({ password: "Seeded!Passw0rd", forceChangePassword: false }),
  state: z.enum(["active", "inactive"]).default("active"),
  softDeletionTime: isoDate.nullable().default(null),
});

const servicePrincipalSchema = z.object({ id: guid, appId: guid, displayName: z.string() });

export const customerSchema = z.object({
  id: guid,
  domains: z.array(z.object({ name: z.string(), federated: z.boolean().default(false) })).min(1),
  organization: organizationSchema,
  /**
   * Shorthand for the GDAP roles the partner holds in this customer: the loader makes them an active
   * relationship with an access assignment to the first of `partnerGroups` (seed/gdap.ts), and the
   * roles come from there. Entra built-in role names. Empty: DAP only or no access.
   */
  gdapRoles: z
    .array(z.string().refine((name) => Object.hasOwn(builtInRoles, name), "must be the name of a Microsoft Entra built-in role, e.g. Global Reader"))
    .refine((names) => new Set(names).size === names.length, "must not repeat a role")
    .default([]),
  dapEnabled: z.boolean().default(false),
  startDateTime: isoDate,
  endDateTime: isoDate.nullable().default(null),
  lastSignInDateTime: isoDate.nullable().default(null),
  partnerAgentCount: z.number().int().default(0),
  partnerSignInCount: z.number().int().default(0),
  globalAdminSignInCount: z.number().int().default(0),
  users: z.array(customerUserSchema).default([]),
  servicePrincipals: z.array(servicePrincipalSchema).default([]),
});

const transitionDetailsSchema = z.object({ desiredState: z.string(), desiredRole: z.string(), status: z.string(), details: z.string().nullable() }).nullable();

const mtoMemberSchema = z.object({
  tenantId: guid,
  displayName: z.string(),
  addedDateTime: isoDate,
  joinedDateTime: isoDate.nullable(),
  addedByTenantId: guid,
  role: z.enum(["owner", "member", "unknownFutureValue"]),
  state: z.enum(["pending", "active", "removed", "unknownFutureValue"]),
  transitionDetails: transitionDetailsSchema.default(null),
});

const partnerTenantSchema = z.object({ tenantId: guid, displayName: z.string(), domain: z.string() });

/**
 * A further partner tenant the same emulator serves (a second MSP, or a second partner account of
 * one MSP): its own tenant, app registrations and partner users, and the seed customers it serves.
 * Such a partner reaches only those customers; the seed's `partner` serves every other one.
 */
const otherPartnerSchema = partnerTenantSchema.extend({
  applications: z.array(applicationSchema).min(1),
  partnerUsers: z.array(partnerUserSchema).min(1),
  customers: z.array(guid).min(1),
});

export const seedSchema = z.object({
  name: z.string().default("custom"),
  partner: partnerTenantSchema,
  /** The first application is the one the handle's credentials describe. */
  applications: z.array(applicationSchema).min(1),
  /** A CPV (control panel vendor) application id the demo consents for in customers. */
  controlPanelApplicationId: guid,
  partnerUsers: z.array(partnerUserSchema).min(1),
  /** Further partner tenants (see otherPartnerSchema); none by default. GDAP and the partner tenant's own Graph (MTO, groups) are the seed partner's only. */
  partners: z.array(otherPartnerSchema).default([]),
  /** Security groups in the partner tenant: what GDAP access assignments give roles to. */
  partnerGroups: z.array(z.object({ id: guid, displayName: z.string(), members: z.array(guid).default([]) })).default([]),
  roleRequirements: z
    .object({
      users: z.array(z.string()),
      organization: z.array(z.string()),
      consents: z.array(z.string()),
      /** Partner Center's directoryroles and their usermembers. */
      directoryRoles: z.array(z.string()).default(["Privileged Role Administrator", "Global Administrator"]),
    })
    .default({
      users: ["User Administrator", "Directory Writers", "Global Administrator"],
      organization: ["Global Administrator", "Directory Writers", "Global Reader"],
      consents: ["Cloud Application Administrator", "Application Administrator", "Global Administrator"],
      directoryRoles: ["Privileged Role Administrator", "Global Administrator"],
    }),
  settings: z
    .object({
      tokenLifetimeSeconds: z.number().int().positive().default(3600),
      softDeleteRetentionDays: z.number().positive().default(30),
      idempotencyWindowHours: z.number().positive().default(24),
      delegatedAdminPageSize: z.number().int().positive().default(100),
      requestLogSize: z.number().int().positive().default(1000),
      /**
       * delegatedadminaccessassignment-update "typically returns a 202 Accepted" with an operation to
       * follow (true, the default), or answers 200 with the object (false: the other documented answer).
       */
      longRunningAccessAssignmentUpdates: z.boolean().default(true),
      /** How long such an operation runs, on the emulator's clock, and the Retry-After it answers (chosen; the page's example says 10). */
      longRunningOperationSeconds: z.number().int().min(0).max(3600).default(1),
    })
    .prefault({}),
  customers: z.array(customerSchema),
  multiTenantOrganization: z.object({ displayName: z.string(), tenants: z.array(mtoMemberSchema) }).default({ displayName: "", tenants: [] }),
});

export type Seed = z.infer<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;
export type SeedApplication = Seed["applications"][number];
export type OtherPartner = Seed["partners"][number];
export type MtoMember = Seed["multiTenantOrganization"]["tenants"][number];
export type Organization = z.infer<typeof organizationSchema>;
