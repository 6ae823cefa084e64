/**
 * What a program may ask of the GDAP resources and directory role members, as zod schemas (see
 * inputs.ts): checked in `check`, before any call.
 */
import { z } from "zod";
import { builtInRoles } from "../clients/builtInRoles";
import { relationshipIdPattern } from "../clients/path";
import { CheckFailure, guid, messages, validate } from "./inputs";
import { configFailure, context, knownOnly } from "./runtime";

const roleDefinitionIds = z
  .array(guid("each roleDefinitionId"), messages("roleDefinitionIds is required", "roleDefinitionIds must be a list of role definition ids (GUIDs)"))
  .min(1, "roleDefinitionIds must name at least one role")
  .refine((ids) => new Set(ids.map((x) => x.toLowerCase())).size === ids.length, "roleDefinitionIds must not repeat a role")
  .transform((ids) => ids.map((x) => x.toLowerCase()));

const flag = (name: string) => z.boolean({ error: `${name} must be true or false` });

export const relationshipInputsSchema = z
  .object({
    displayName: z
      .string(messages("displayName is required", "displayName must be a string"))
      .min(1, "displayName must not be empty")
      .max(50, "displayName must be at most 50 characters (Graph's limit)")
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "displayName must not contain control characters"),
    customerId: guid("customerId"),
    customerDisplayName: z.string({ error: "customerDisplayName must be a string" }).max(256).optional(),
    duration: z
      .string({ error: "duration must be a string" })
      .regex(/^P\d{1,3}D$/, "duration must be an ISO 8601 duration in days, like P730D")
      .refine((d) => Number(d.slice(1, -1)) >= 1 && Number(d.slice(1, -1)) <= 730, "duration must be between P1D and P730D (two years)")
      .default("P730D"),
    roleDefinitionIds,
    autoExtendDuration: z.enum(["P180D", "PT0S"], { error: "autoExtendDuration must be P180D (extend by 180 days) or PT0S (never)" }).default("PT0S"),
    lockForApproval: flag("lockForApproval").default(true),
    adopt: flag("adopt").default(false),
  })
  .superRefine((v, ctx) => {
    if (v.autoExtendDuration !== "PT0S" && v.roleDefinitionIds.includes(builtInRoles["Global Administrator"])) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["autoExtendDuration"], message: "autoExtendDuration must be PT0S when the roles include Global Administrator: Microsoft does not auto-extend such relationships" });
    }
  });
export type RelationshipInputs = z.output<typeof relationshipInputsSchema>;

export const accessAssignmentInputsSchema = z.object({
  relationshipId: z
    .string(messages("relationshipId is required", "relationshipId must be a string"))
    .regex(relationshipIdPattern, "relationshipId must be a GDAP relationship id (a DelegatedAdminRelationship's id)"),
  securityGroupId: guid("securityGroupId"),
  roleDefinitionIds,
  adopt: flag("adopt").default(false),
});
export type AccessAssignmentInputs = z.output<typeof accessAssignmentInputsSchema>;

export const roleAssignmentInputsSchema = z
  .object({
    customerId: guid("customerId"),
    roleId: guid("roleId").optional(),
    roleName: z.string({ error: "roleName must be a string" }).min(1, "roleName must not be empty").max(256).optional(),
    userId: guid("userId"),
    adopt: flag("adopt").default(false),
  })
  .refine((v) => (v.roleId === undefined) !== (v.roleName === undefined), { path: ["roleName"], message: "set exactly one of roleId and roleName (like \"Global Administrator\")" });
export type RoleAssignmentInputs = z.output<typeof roleAssignmentInputsSchema>;

/** The provider's `check`: validation of what is known, plus the configuration (and App+User when needed). */
export function checkInputs<S extends z.ZodTypeAny>(schema: S, news: Record<string, unknown>, appUser?: string): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const { known, unknownKeys } = knownOnly(news);
  // A refinement over several fields runs only when every field is known.
  const { inputs, failures } = validate(schema, known);
  const real = failures.filter((f) => !unknownKeys.has(f.property.split(/[.[]/)[0]) && !(unknownKeys.size && f.property === "(inputs)"));
  const config = configFailure();
  if (config) real.push(config);
  else if (appUser && !context().credentials.hasUserCredential) real.push({ property: "partnercenter:refreshToken", reason: appUser });
  return { inputs: inputs ? { ...news, ...inputs } : news, failures: real };
}

/** The same roles, whatever the order and case. */
export function sameRoles(a: string[] = [], b: string[] = []): boolean {
  const x = a.map((r) => r.toLowerCase()).sort();
  const y = b.map((r) => r.toLowerCase()).sort();
  return x.length === y.length && x.every((r, i) => r === y[i]);
}
