/**
 * What `check` can learn about a customer from read-only calls, so that preview catches two mistakes
 * that would otherwise surface only at `up`: a customerId that is a GUID but not one of the partner's
 * customers, and a userPrincipalName on a domain that is not the customer's. Each customer is read at
 * most once per provider process (one engine run): its organization profile, and, for users, its
 * domains. Only a definite answer fails the check; any other error (no role, no consent, the service
 * unreachable) leaves the input to the operation itself, which reports it in full.
 */
import { isPartnerCenterError } from "../errors";
import type { CheckFailure } from "./inputs";
import { context } from "./runtime";

const isCustomer = new Map<string, Promise<boolean>>();
const domainsOf = new Map<string, Promise<string[] | undefined>>();

function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let p = cache.get(key);
  if (!p) {
    p = read();
    cache.set(key, p);
  }
  return p;
}

/** False only when Partner Center says the tenant is not the partner's customer (404, code 60003). */
function partnersCustomer(customerId: string): Promise<boolean> {
  return once(isCustomer, customerId.toLowerCase(), () =>
    context()
      .partnerCenter.getOrganization(customerId)
      .then(
        () => true,
        (err) => !(isPartnerCenterError(err) && err.statusCode === 404 && err.serviceCode === "60003"),
      ),
  );
}

/** The customer's domain names (lower case), or undefined when they cannot be read. */
function customerDomains(customerId: string): Promise<string[] | undefined> {
  return once(domainsOf, customerId.toLowerCase(), () =>
    context()
      .gdap.listDomains(customerId)
      .then(
        (domains) => domains.map((d) => d.id.toLowerCase()),
        () => undefined,
      ),
  );
}

/** The customerId failure, when the partner has no such customer. */
async function customerFailure(customerId: string): Promise<CheckFailure | undefined> {
  if (await partnersCustomer(customerId)) return undefined;
  return {
    property: "customerId",
    reason: `customerId ${customerId} is not one of the partner's customers (Partner Center answered 404, code 60003, for its organization profile). Use a customer's tenant id: getDelegatedAdminCustomers lists them (against the emulator, \`partnercenter-emulator ids\`). Nothing was changed.`,
  };
}

/** The customerId failure, else the userPrincipalName failure when its domain is not one of the customer's. */
export async function customerUserFailure(customerId: string, userPrincipalName: string): Promise<CheckFailure | undefined> {
  const notCustomer = await customerFailure(customerId);
  if (notCustomer) return notCustomer;
  const domain = userPrincipalName.slice(userPrincipalName.lastIndexOf("@") + 1).toLowerCase();
  const domains = await customerDomains(customerId);
  if (!domains || domains.includes(domain)) return undefined;
  return {
    property: "userPrincipalName",
    reason: `userPrincipalName ${userPrincipalName} is on ${domain}, which is not a domain of customer ${customerId} (its domains: ${domains.join(", ")}). A user's name must be on one of its own tenant's domains: getCustomerDomains lists them. Nothing was changed.`,
  };
}
