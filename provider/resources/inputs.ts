/**
 * What a program may ask for, as zod schemas: the provider's `check` validates with them before any
 * call to the service, and the SDK's argument types come from them.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { guidExample, guidPattern } from "../clients/path";

/** zod 4's one `error` for what zod 3 split into required_error (no value) and invalid_type_error. */
export const messages = (required: string, invalidType: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? required : invalidType),
});

export { guidPattern };
export const guid = (field: string) =>
  z.string(messages(`${field} is required`, `${field} must be a string`)).regex(guidPattern, `${field} must be a GUID like ${guidExample}`);

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
const notCountries = new Set(["ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"]);
/** ISO 3166-1 alpha-2, as Node's ICU knows the regions. */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || notCountries.has(code)) return false;
  try {
    return regionNames.of(code) !== code;
  } catch {
    return false;
  }
}

// local@domain.tld, as Entra accepts a UPN: no spaces, no leading dot, a domain with a dot.
const upnPattern = /^(?!\.)[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]{1,64}(?<!\.)@(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** Entra ID's password rules for cloud users. */
function passwordProblem(p: string): string | undefined {
  if (p.length < 8 || p.length > 256) return "password must be 8 to 256 characters long";
  if (/[\s\u0000-\u001f\u007f]/.test(p) && /[\u0000-\u001f\u007f]/.test(p)) return "password must not contain control characters";
  if (/[^\x20-\x7e]/.test(p)) return "password may use only ASCII letters, digits, spaces and symbols";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length;
  if (classes < 3) return "password needs 3 of: lowercase, uppercase, digits, symbols";
  return undefined;
}

const displayText = (field: string, max: number) =>
  z
    .string(messages(`${field} is required`, `${field} must be a string`))
    .trim()
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${field} must not contain control characters`);

/**
 * A CustomerUser as a program declares it: the one declaration of its fields. The SDK's
 * `CustomerUserArgs` and outputs are mapped from these (their TSDoc is written here, once); the
 * provider sends every field that Partner Center's user also has (see `userFields` in customerUser.ts),
 * and diffs, patches and reads them back by these keys.
 */
export const customerUserFields = {
  /** The customer's tenant id (GUID). Changing it replaces the user. */
  customerId: guid("customerId"),
  /** Sign-in name, `alias@domain`; the domain must be the customer's and not federated. Updates in place. */
  userPrincipalName: z
    .string(messages("userPrincipalName is required", "userPrincipalName must be a string"))
    .max(113, "userPrincipalName must be at most 113 characters")
    .regex(upnPattern, "userPrincipalName must look like alias@domain.onmicrosoft.com (no spaces, a domain the customer owns)"),
  /** Display name. Updates in place. */
  displayName: displayText("displayName", 256),
  /** Given name. Updates in place. */
  firstName: displayText("firstName", 64).optional(),
  /** Surname. Updates in place. */
  lastName: displayText("lastName", 64).optional(),
  /** ISO 3166-1 alpha-2 country code (`US`, `DE`), needed to assign licences. Updates in place. */
  usageLocation: z
    .string(messages("usageLocation is required", "usageLocation must be a string"))
    .refine(isCountryCode, "usageLocation must be an ISO 3166-1 alpha-2 country code in capitals, like US or DE"),
  /**
   * Initial password, kept as a secret; changing it resets the password. 8-256 characters, 3 of 4
   * character classes. Required to create a user; a user taken over with `adopt: true` keeps its
   * password unless this is given.
   */
  password: z
    .string({ error: "password must be a string" })
    .superRefine((p, ctx) => {
      const problem = passwordProblem(p);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    })
    .optional(),
  /** Whether the user must change the password at next sign-in. Default true. */
  forceChangePassword: z.boolean({ error: "forceChangePassword must be true or false" }).default(true),
  /** On-premises immutable id (anchor), for synced identities. Updates in place; read back, so a change outside Pulumi shows as drift. */
  immutableId: z
    .string({ error: "immutableId must be a string" })
    // Partner Center's own example is "Some unique ID": spaces are fine. Only what the service
    // certainly rejects is refused here: an empty anchor and control characters.
    .min(1, "immutableId must not be empty")
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "immutableId must not contain control characters")
    .optional(),
  /**
   * Take over an existing active user with the same userPrincipalName instead of failing
   * (`pulumi import` does not work for dynamic providers). Its fields are set to these; its password
   * only when `password` is given (a password reset). A user found at create time may be another
   * stack's: after adopting, this stack's `destroy` soft-deletes it (add `retainOnDelete: true` to
   * leave it). Default false.
   */
  adopt: z.boolean({ error: "adopt must be true or false" }).default(false),
};
/** The CustomerUser fields that are secrets: never echoed in a check failure, kept encrypted in state. */
export const customerUserSecretFields = ["password"] as const;
// Typed by the shape's name (not its expansion) so that the published .d.ts keeps each field's TSDoc.
// A new user needs a password; one taken over (`adopt`) keeps its own unless the program gives one.
export const customerUserInputsSchema: z.ZodObject<typeof customerUserFields, z.core.$strip> = z.object(customerUserFields).superRefine((u, ctx) => {
  if (u.password === undefined && !u.adopt) {
    ctx.addIssue({
      code: "custom",
      path: ["password"],
      message: "password is required to create a user (only a user taken over with adopt: true may go without one: it keeps its own)",
    });
  }
});
export type CustomerUserInputs = z.output<typeof customerUserInputsSchema>;

/** What Partner Center computes for a CustomerUser: its outputs beside the inputs. */
export const customerUserComputedFields = {
  /** The user's object id in the customer tenant (also the resource id). */
  userId: z.string(),
  /** `active`, or `inactive` when soft-deleted. */
  state: z.string(),
  /** `none` for cloud users, `federated` for federated domains. */
  userDomainType: z.string(),
  /** Last directory sync, or null for cloud-only users. */
  lastDirectorySyncTime: z.string().nullable(),
};
export const customerUserComputedSchema: z.ZodObject<typeof customerUserComputedFields, z.core.$strip> = z.object(customerUserComputedFields);
export type CustomerUserOutputs = CustomerUserInputs & z.output<typeof customerUserComputedSchema>;

const scopePattern = /^[A-Za-z0-9][A-Za-z0-9._\-:/]{0,119}$/;

/** One resource application the consented app gets delegated permissions on. */
export const applicationGrantFields = {
  /** The appId of the resource application, e.g. Microsoft Graph `00000003-0000-0000-c000-000000000000`. */
  enterpriseApplicationId: guid("enterpriseApplicationId"),
  /** Permission names, e.g. `["User.Read.All", "Directory.Read.All"]`. */
  scopes: z
    .array(
      z
        .string({ error: "each scope must be a string" })
        .regex(scopePattern, "each scope must be a permission name like User.Read.All (letters, digits, . _ - : /; no spaces or commas)"),
      messages("scopes is required", "scopes must be a list of permission names"),
    )
    .min(1, "scopes must name at least one permission")
    .refine((s) => new Set(s.map((x) => x.toLowerCase())).size === s.length, "scopes must not repeat a permission"),
};
export const applicationGrantInputSchema: z.ZodObject<typeof applicationGrantFields, z.core.$strip> = z.object(applicationGrantFields);
export type Grant = z.output<typeof applicationGrantInputSchema>;

/** An ApplicationConsent as a program declares it (see {@link customerUserFields}). Any change but the two flags replaces the consent. */
export const applicationConsentFields = {
  /** The customer's tenant id (GUID). */
  customerId: guid("customerId"),
  /** The CPV application's id (GUID). */
  applicationId: guid("applicationId"),
  /** The application's display name. */
  displayName: displayText("displayName", 256),
  /** What the application is granted, one entry per resource application; as last read back from the customer tenant through Graph. */
  grants: z
    .array(applicationGrantInputSchema, messages("grants is required", "grants must be a list"))
    .min(1, "grants must have at least one entry")
    .refine(
      (g) => new Set(g.map((x) => x.enterpriseApplicationId.toLowerCase())).size === g.length,
      "grants must not name the same enterpriseApplicationId twice: merge their scopes",
    ),
  /** When a different consent for this application already exists: delete and re-create it instead of failing. Default false. */
  replaceExisting: z.boolean({ error: "replaceExisting must be true or false" }).default(false),
  /**
   * Take over a consent that already exists with exactly these grants, instead of failing. A consent
   * found at create time may be another stack's: after adopting, this stack's `destroy` deletes it
   * (add `retainOnDelete: true` to leave it). Default false.
   */
  adopt: z.boolean({ error: "adopt must be true or false" }).default(false),
};
export const applicationConsentInputsSchema: z.ZodObject<typeof applicationConsentFields, z.core.$strip> = z.object(applicationConsentFields);
export type ApplicationConsentInputs = z.output<typeof applicationConsentInputsSchema>;

/** Pulumi's own: `property` is the input's path, `reason` a sentence a person can act on. */
export type CheckFailure = pulumi.dynamic.CheckFailure;

/** Validates inputs; failures name the field (`grants[1].scopes[0]`) and say what to write. */
export function validate<S extends z.ZodTypeAny>(schema: S, news: unknown): { inputs?: z.output<S>; failures: CheckFailure[] } {
  const parsed = schema.safeParse(news);
  if (parsed.success) return { inputs: parsed.data, failures: [] };
  return {
    failures: parsed.error.issues.map((issue: z.ZodIssue) => ({
      property: issue.path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "") || "(inputs)",
      reason: issue.code === "unrecognized_keys" ? `unknown field(s) ${issue.keys.join(", ")}` : issue.message,
    })),
  };
}
