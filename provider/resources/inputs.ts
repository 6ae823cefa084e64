/**
 * What a program may ask for, as zod schemas: the provider's `check` validates with them before any
 * call to the service, and the SDK's argument types come from them.
 */
import { z } from "zod";
import { guidExample, guidPattern } from "../clients/path";

/** zod 4's one `error` for what zod 3 split into required_error (no value) and invalid_type_error. */
export const messages = (required: string, invalidType: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? required : invalidType),
});

export { guidPattern };
export const guid = (field: string) =>
  z.string(messages(`${field} is required`, `${field} must be a string`))
    .regex(guidPattern, `${field} must be a GUID like ${guidExample}`);

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
  z.string(messages(`${field} is required`, `${field} must be a string`))
    .trim()
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${field} must not contain control characters`);

export const customerUserInputsSchema = z.object({
  customerId: guid("customerId"),
  userPrincipalName: z
    .string(messages("userPrincipalName is required", "userPrincipalName must be a string"))
    .max(113, "userPrincipalName must be at most 113 characters")
    .regex(upnPattern, "userPrincipalName must look like alias@domain.onmicrosoft.com (no spaces, a domain the customer owns)"),
  displayName: displayText("displayName", 256),
  firstName: displayText("firstName", 64).optional(),
  lastName: displayText("lastName", 64).optional(),
  usageLocation: z
    .string(messages("usageLocation is required", "usageLocation must be a string"))
    .refine(isCountryCode, "usageLocation must be an ISO 3166-1 alpha-2 country code in capitals, like US or DE"),
  password: z
    .string(messages("password is required", "password must be a string"))
    .superRefine((p, ctx) => {
      const problem = passwordProblem(p);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
  forceChangePassword: z.boolean({ error: "forceChangePassword must be true or false" }).default(true),
  immutableId: z
    .string({ error: "immutableId must be a string" })
    // Partner Center's own example is "Some unique ID": spaces are fine. Only what the service
    // certainly rejects is refused here: an empty anchor and control characters.
    .min(1, "immutableId must not be empty")
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "immutableId must not contain control characters")
    .optional(),
  adopt: z.boolean({ error: "adopt must be true or false" }).default(false),
});
export type CustomerUserInputs = z.output<typeof customerUserInputsSchema>;

const scopePattern = /^[A-Za-z0-9][A-Za-z0-9._\-:/]{0,119}$/;

export const applicationGrantInputSchema = z.object({
  enterpriseApplicationId: guid("enterpriseApplicationId"),
  scopes: z
    .array(z.string({ error: "each scope must be a string" }).regex(scopePattern, "each scope must be a permission name like User.Read.All (letters, digits, . _ - : /; no spaces or commas)"), messages("scopes is required", "scopes must be a list of permission names"))
    .min(1, "scopes must name at least one permission")
    .refine((s) => new Set(s.map((x) => x.toLowerCase())).size === s.length, "scopes must not repeat a permission"),
});

export const applicationConsentInputsSchema = z.object({
  customerId: guid("customerId"),
  applicationId: guid("applicationId"),
  displayName: displayText("displayName", 256),
  grants: z
    .array(applicationGrantInputSchema, messages("grants is required", "grants must be a list"))
    .min(1, "grants must have at least one entry")
    .refine(
      (g) => new Set(g.map((x) => x.enterpriseApplicationId.toLowerCase())).size === g.length,
      "grants must not name the same enterpriseApplicationId twice: merge their scopes",
    ),
  replaceExisting: z.boolean({ error: "replaceExisting must be true or false" }).default(false),
  adopt: z.boolean({ error: "adopt must be true or false" }).default(false),
});
export type ApplicationConsentInputs = z.output<typeof applicationConsentInputsSchema>;

export interface CheckFailure {
  property: string;
  reason: string;
}

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
