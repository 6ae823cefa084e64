import { z } from "zod";
import { organizationSchema } from "../schemas/responses";
import { customerSchema, customerUserSchema } from "../seed/schema";

/**
 * Request bodies of the admin API. Out-of-band edits take the seed's own field rules, so an edit
 * can only make a state a seed could have made.
 */

/** A hundred years either way: beyond that the emulator's dates stop being valid JavaScript dates. */
const maxClockSeconds = 100 * 365 * 86400;

export const advanceClockBody = z.object({ advanceSeconds: z.number().min(-maxClockSeconds).max(maxClockSeconds) }).strict();

/** `PATCH /_emulator/customers/{c}/users/{u}`: what someone could change in the Entra portal. */
export const userPatchBody = customerUserSchema
  .pick({
    userPrincipalName: true,
    firstName: true,
    lastName: true,
    displayName: true,
    usageLocation: true,
    immutableId: true,
    state: true,
    softDeletionTime: true,
  })
  .partial()
  .strict();

/**
 * `PATCH /_emulator/customers/{c}`: seed facts that change while a run goes on, such as the GDAP roles
 * of the customer's seeded relationship and access assignment (a role taken away shows as 403s from
 * the next call, and is gone from Graph's GDAP routes too: gdap/admin.ts `setSeededRoles`).
 */
const patchable = customerSchema.pick({
  gdapRoles: true,
  dapEnabled: true,
  endDateTime: true,
  lastSignInDateTime: true,
  partnerAgentCount: true,
  partnerSignInCount: true,
  globalAdminSignInCount: true,
}).shape;
/** Without the seed's defaults: a field the PATCH leaves out keeps its value (a default would reset it). */
const withoutDefault = <T extends z.ZodTypeAny>(field: T) => (field instanceof z.ZodDefault ? (field.removeDefault() as z.ZodTypeAny) : field);
export const customerPatchBody = z
  .object({
    gdapRoles: withoutDefault(patchable.gdapRoles) as z.ZodType<string[]>,
    dapEnabled: withoutDefault(patchable.dapEnabled) as z.ZodType<boolean>,
    endDateTime: withoutDefault(patchable.endDateTime) as z.ZodType<string | null>,
    lastSignInDateTime: withoutDefault(patchable.lastSignInDateTime) as z.ZodType<string | null>,
    partnerAgentCount: withoutDefault(patchable.partnerAgentCount) as z.ZodType<number>,
    partnerSignInCount: withoutDefault(patchable.partnerSignInCount) as z.ZodType<number>,
    globalAdminSignInCount: withoutDefault(patchable.globalAdminSignInCount) as z.ZodType<number>,
    organization: organizationSchema.partial().strict(),
  })
  .partial()
  .strict();
export type CustomerPatch = z.infer<typeof customerPatchBody>;

export const revokeRefreshTokenBody = z.object({ refreshToken: z.string().optional(), userId: z.string().optional() }).strict();

export const clientSecretBody = z.object({ clientSecret: z.string().min(1) }).strict();

export const oidcTokenBody = z.object({ subject: z.string().min(1), audience: z.string().optional() }).strict();
