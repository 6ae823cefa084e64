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
 * a relationship grants (a role removed in the partner's portal shows as 403s from the next call).
 */
export const customerPatchBody = customerSchema
  .pick({
    gdapRoles: true,
    dapEnabled: true,
    endDateTime: true,
    lastSignInDateTime: true,
    partnerAgentCount: true,
    partnerSignInCount: true,
    globalAdminSignInCount: true,
  })
  .extend({ organization: organizationSchema.partial().strict() })
  .partial()
  .strict();
export type CustomerPatch = z.infer<typeof customerPatchBody>;

export const revokeRefreshTokenBody = z.object({ refreshToken: z.string().optional(), userId: z.string().optional() }).strict();

export const clientSecretBody = z.object({ clientSecret: z.string().min(1) }).strict();

export const oidcTokenBody = z.object({ subject: z.string().min(1), audience: z.string().optional() }).strict();
