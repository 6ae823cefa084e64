/**
 * The one place where a value becomes part of a request URL. Every id the clients put in a path
 * (a customer, a user, an application, a tenant) is a GUID on these services, so anything else is
 * refused before a request leaves, and what is accepted is percent-encoded: `../` or a trailing `#`
 * in an id can never move a request to another customer's object or outside the API's base path.
 */
import { PartnerCenterError } from "../errors";

export const guidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const guidExample = "6fc468f5-b399-4e05-a6f1-da8a33da9a6c";

/** The value when it is a GUID; otherwise a PartnerCenterError that names the field and what to write. */
export function requireGuid(field: string, value: unknown, operation = `use ${field}`): string {
  if (typeof value === "string" && guidPattern.test(value)) return value;
  const shown = typeof value === "string" ? `'${value.length > 80 ? `${value.slice(0, 80)}…` : value}'` : String(value);
  throw new PartnerCenterError(
    { operation },
    `Could not ${operation}: ${field} must be a GUID like ${guidExample}, got ${shown}. Nothing was sent to the service.`,
  );
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
