/**
 * The one place where a value becomes part of a request URL. Every id the clients put in a path
 * (a customer, a user, an application, a tenant) is a GUID on these services, so anything else is
 * refused before a request leaves, and what is accepted is percent-encoded: `../` or a trailing `#`
 * in an id can never move a request to another customer's object or outside the API's base path.
 */
import { PartnerCenterError } from "../errors";

const g = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
export const guidPattern = new RegExp(`^${g}$`);
export const guidExample = "6fc468f5-b399-4e05-a6f1-da8a33da9a6c";

/**
 * Ids that are not one GUID: a GDAP relationship's id is the partner's GUID and the customer's
 * joined by a hyphen (Graph's own example: `5d027261-…-7fa1f56fb163-8777b240-…-a3205431b836`); a
 * relationship created without a customer has a single GUID.
 */
export const relationshipIdPattern = new RegExp(`^${g}(-${g})?$`);
const idShapes: Record<string, { pattern: RegExp; what: string }> = {
  relationshipId: {
    pattern: relationshipIdPattern,
    what: `a GDAP relationship id (one GUID or two joined by a hyphen) like ${guidExample}-8777b240-c6f0-4469-9e98-a3205431b836`,
  },
};

/** The value when it is a GUID (or, for the fields in idShapes, an id of that shape); otherwise a PartnerCenterError that names the field and what to write. */
export function requireGuid(field: string, value: unknown, operation = `use ${field}`): string {
  const shape = idShapes[field] ?? { pattern: guidPattern, what: `a GUID like ${guidExample}` };
  if (typeof value === "string" && shape.pattern.test(value)) return value;
  const shown = typeof value === "string" ? `'${value.length > 80 ? `${value.slice(0, 80)}…` : value}'` : describe(value);
  throw new PartnerCenterError({ operation }, `Could not ${operation}: ${field} must be ${shape.what}, got ${shown}. Nothing was sent to the service.`);
}

/**
 * A URL path whose interpolated values are named GUIDs: path`customers/${{ customerId }}/users/${{ userId }}`.
 * Each value is checked with {@link requireGuid} (the name comes with it) and percent-encoded.
 */
export function guidPath(strings: TemplateStringsArray, ...values: Record<string, unknown>[]): string {
  let out = strings[0];
  values.forEach((named, i) => {
    const [field, value] = Object.entries(named)[0];
    out += encodeURIComponent(requireGuid(field, value)) + strings[i + 1];
  });
  return out;
}

/** A non-string value, shown safely: hostile input (`{toString: "x"}`, cycles) must not turn the check into a TypeError. */
function describe(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 80) ?? typeof value;
  } catch {
    return `a ${typeof value}`;
  }
}
