import { isPartnerCenterError } from "../provider/errors";

/**
 * Pulumi prints an error that escapes a program as an "unhandled exception": its stack (frames in .ts
 * files this package does not ship) and every field, with terminal colours. Ours are sentences written
 * for the user, so they leave the data sources marked as a Pulumi RunError, which Pulumi prints as its
 * message alone. Pulumi recognizes a RunError by this marker field (so that it works across copies of
 * its SDK); the error stays a PartnerCenterError for a program that catches it.
 */
export function reported<A extends unknown[], T>(dataSource: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  return async (...args) => {
    try {
      return await dataSource(...args);
    } catch (err) {
      if (isPartnerCenterError(err)) Object.defineProperty(err, "__pulumiRunError", { value: true });
      throw err;
    }
  };
}
