/**
 * What a program may ask of the GDAP resources and directory role members, as zod schemas (see
 * inputs.ts): checked in `check`, before any call.
 */
import { z } from "zod";
import { recoveryFailure, withCreateRequestId } from "./recovery";
import { builtInRoles } from "../clients/builtInRoles";
import { isBuiltInRoleTemplate, isNilGuid, relationshipNameProblem } from "../clients/gdapRules";
import { relationshipIdPattern } from "../clients/path";
import { CheckFailure, guid, messages, validate } from "./inputs";
import { configFailure, context, knownOnly } from "./runtime";

const roleCount = Object.keys(builtInRoles).length;
/** One role template id: a GUID, and one of Entra's built-in roles (GDAP takes no others). */
const roleDefinitionId = guid("each roleDefinitionId").refine(isBuiltInRoleTemplate, {
  message: "each roleDefinitionId must be the template id of a Microsoft Entra built-in role (see builtInRoles; GDAP does not take custom roles)",
  // Said only of a GUID: a name or a typo gets the GUID message alone.
  when: (payload) => payload.issues.length === 0,
});
const roleDefinitionIds = z
  .array(z.unknown(), messages("roleDefinitionIds is required", "roleDefinitionIds must be a list of role definition ids (GUIDs)"))
  .min(1, "roleDefinitionIds must name at least one role")
  // Checked before the elements, so that a list of thousands is one message, not one per element.
  .max(roleCount, `roleDefinitionIds must name at most ${roleCount} roles: Entra has no more built-in roles than that`)
  .pipe(z.array(roleDefinitionId))
  .refine((ids) => new Set(ids.map((x) => x.toLowerCase())).size === ids.length, "roleDefinitionIds must not repeat a role")
  .transform((ids) => ids.map((x) => x.toLowerCase()));

const flag = (name: string) => z.boolean({ error: `${name} must be true or false` });

/** A DelegatedAdminRelationship as a program declares it (see customerUserFields in inputs.ts: its TSDoc is the SDK's). */
export const relationshipFields = {
  /** The relationship's name: 1-50 UTF-16 code units (an emoji counts 2), not only whitespace, no control, bidirectional-override or zero-width characters. Graph keeps names unique across all the partner's relationships, ended ones too, ignoring case: a replacement is named with " (2)", " (3)", … on Graph (see `serviceDisplayName`). Changing it after the relationship was locked replaces it (a change of case only does not). */
  displayName: z.string(messages("displayName is required", "displayName must be a string")).superRefine((name, ctx) => {
    const problem = relationshipNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: `displayName ${problem}` });
  }),
  /** The customer's tenant id (GUID). Changing it replaces the relationship. */
  customerId: guid("customerId").refine((id) => !isNilGuid(id), "customerId must be a customer's tenant id, not the nil GUID"),
  /** The customer's name as the relationship shows it (optional, at most 256 characters). */
  customerDisplayName: z
    .string({ error: "customerDisplayName must be a string" })
    .refine((s) => s.length <= 256, "customerDisplayName must be at most 256 characters")
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "customerDisplayName must not contain control characters")
    .optional(),
  /** ISO 8601 duration in days, `P1D` to `P730D`. Default `P730D`. */
  duration: z
    .string({ error: "duration must be a string" })
    .regex(/^P\d{1,3}D$/, "duration must be an ISO 8601 duration in days, like P730D")
    .refine((d) => Number(d.slice(1, -1)) >= 1 && Number(d.slice(1, -1)) <= 730, "duration must be between P1D and P730D (two years)")
    .default("P730D"),
  /** The Entra role template ids the relationship grants (see `builtInRoles`); as last read from Graph. Changing them after the relationship was locked replaces it. */
  roleDefinitionIds,
  /** `P180D` (extend by 180 days at the end) or `PT0S` (never; required with Global Administrator). Default `PT0S`. Updated in place. */
  autoExtendDuration: z.enum(["P180D", "PT0S"], { error: "autoExtendDuration must be P180D (extend by 180 days) or PT0S (never)" }).default("PT0S"),
  /** Lock the relationship for the customer's approval right after creating it. Default true. */
  lockForApproval: flag("lockForApproval").default(true),
  /** Take over a live relationship with the same displayName instead of failing (see README "Who owns what"). Default false. */
  adopt: flag("adopt").default(false),
};
export const relationshipInputsSchema: z.ZodObject<typeof relationshipFields, z.core.$strip> = z.object(relationshipFields).superRefine((v, ctx) => {
  if (v.autoExtendDuration !== "PT0S" && v.roleDefinitionIds.includes(builtInRoles["Global Administrator"])) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["autoExtendDuration"],
      message: "autoExtendDuration must be PT0S when the roles include Global Administrator: Microsoft does not auto-extend such relationships",
    });
  }
});
export type RelationshipInputs = z.output<typeof relationshipInputsSchema>;

/** What Graph says of a relationship beside the inputs. */
export const relationshipComputedFields = {
  /** Graph's status: created, approvalPending, active, expired, terminated, … (current after `pulumi refresh`). */
  status: z.string(),
  /** The link the customer's Global Administrator opens to approve the relationship. */
  approvalUrl: z.string(),
  /** When the relationship was created. */
  createdDateTime: z.string().nullable().optional(),
  /** When the customer approved it; null until then. */
  activatedDateTime: z.string().nullable().optional(),
  /** When it ends (or ended); null until approved. */
  endDateTime: z.string().nullable().optional(),
  /** The name on Graph: `displayName`, or with " (2)", " (3)", … when an earlier relationship had that name (Graph never reuses one). */
  serviceDisplayName: z.string().optional(),
  /**
   * While a change of name, duration or roles of an active relationship awaits the customer's
   * approval: the relationship requested with the program's fields (`id`, `serviceDisplayName`,
   * `status`, `approvalUrl` and those fields). This one stays, with its roles, until that one is
   * active; `pulumi up --refresh` then switches to it and terminates this one. Null otherwise.
   */
  successor: z
    .object({
      id: z.string(),
      serviceDisplayName: z.string(),
      status: z.string(),
      approvalUrl: z.string(),
      displayName: z.string(),
      duration: z.string(),
      roleDefinitionIds: z.array(z.string()),
      customerDisplayName: z.string().optional(),
    })
    .nullable()
    .optional(),
};
export type RelationshipOutputs = RelationshipInputs & z.output<z.ZodObject<typeof relationshipComputedFields>>;

/** A DelegatedAdminAccessAssignment as a program declares it. */
export const accessAssignmentFields = {
  /** The relationship's id (a DelegatedAdminRelationship's `id`); it must be active. Changing it replaces the assignment. */
  relationshipId: z
    .string(messages("relationshipId is required", "relationshipId must be a string"))
    .regex(relationshipIdPattern, "relationshipId must be a GDAP relationship id (a DelegatedAdminRelationship's id)"),
  /** The partner's security group (object id) that gets the roles. Changing it replaces the assignment. */
  securityGroupId: guid("securityGroupId"),
  /** Some of the relationship's role template ids; as last read from Graph. Updated in place; a change made outside Pulumi shows as drift. */
  roleDefinitionIds,
  /** Take over the group's existing assignment on this relationship instead of failing. Default false. */
  adopt: flag("adopt").default(false),
};
export const accessAssignmentInputsSchema: z.ZodObject<typeof accessAssignmentFields, z.core.$strip> = z.object(accessAssignmentFields);
export type AccessAssignmentInputs = z.output<typeof accessAssignmentInputsSchema>;

export const accessAssignmentComputedFields = {
  /** Graph's id of the assignment (the resource id is `{relationshipId}/{accessAssignmentId}`). */
  accessAssignmentId: z.string(),
  /** pending, active, deleting, deleted or error. */
  status: z.string(),
};
export type AccessAssignmentOutputs = AccessAssignmentInputs & z.output<z.ZodObject<typeof accessAssignmentComputedFields>>;

/** A CustomerUserRoleAssignment as a program declares it. Any change of the ids replaces the membership. */
export const roleAssignmentFields = {
  /** The customer's tenant id (GUID). */
  customerId: guid("customerId"),
  /** The directory role's id in that customer (from `getCustomerDirectoryRoles`; it differs between tenants); resolved from roleName when that is given. Set this or roleName. */
  roleId: guid("roleId").optional(),
  /** The directory role's name, e.g. `Global Administrator`, resolved to its id in the customer at create time. Set this or roleId. */
  roleName: z
    .string({ error: "roleName must be a string" })
    .min(1, "roleName must not be empty")
    .max(256, "roleName must be at most 256 characters")
    .optional(),
  /** The user's id (a CustomerUser's `id`). */
  userId: guid("userId"),
  /** Take over an existing membership instead of failing. Default false. */
  adopt: flag("adopt").default(false),
};
export const roleAssignmentInputsSchema: z.ZodObject<typeof roleAssignmentFields, z.core.$strip> = z
  .object(roleAssignmentFields)
  .refine((v) => (v.roleId === undefined) !== (v.roleName === undefined), {
    path: ["roleName"],
    message: 'set exactly one of roleId and roleName (like "Global Administrator")',
  });
export type RoleAssignmentInputs = z.output<typeof roleAssignmentInputsSchema>;
/** Once created, the role's id is known whichever way the program named it. */
export type RoleAssignmentOutputs = RoleAssignmentInputs & { roleId: string };

/** The provider's `check`: validation of what is known, plus the configuration (and App+User when needed). */
export async function checkInputs<S extends z.ZodTypeAny>(
  schema: S,
  news: Record<string, unknown>,
  appUser?: string,
): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const { known, unknownKeys } = knownOnly(news);
  // A refinement over several fields runs only when every field is known.
  const { inputs, failures } = validate(schema, known);
  const real = failures.filter((f) => !unknownKeys.has(f.property.split(/[.[]/)[0]) && !(unknownKeys.size && f.property === "(inputs)"));
  const config = configFailure();
  if (config) real.push(config);
  else if (appUser && !context().credentials.hasUserCredential) real.push({ property: "partnercenter:refreshToken", reason: appUser });
  const recovery = config ? undefined : await recoveryFailure();
  if (recovery) real.push(recovery);
  return { inputs: withCreateRequestId(inputs ? { ...news, ...inputs } : news), failures: real };
}

/** The same roles, whatever the order and case. */
export function sameRoles(a: string[] = [], b: string[] = []): boolean {
  const x = a.map((r) => r.toLowerCase()).sort();
  const y = b.map((r) => r.toLowerCase()).sort();
  return x.length === y.length && x.every((r, i) => r === y[i]);
}
