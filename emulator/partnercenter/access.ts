import { requireAppUser } from "../auth/bearer";
import type { RequestContext } from "../http/context";
import { partnerCenterError } from "../http/errors";
import type { Customer } from "../store/model";
import type { Services } from "../services";
import { heldRoles } from "../gdap/lifecycle";
import { partnerOf } from "../seed/partners";

export type GdapOperation = "users" | "organization" | "consents" | "directoryRoles";

/** Unknown (or not-ours: another partner tenant's) customer: Partner Center's 404 code 60003. */
export function customerOrFail(ctx: RequestContext, svc: Services): Customer {
  const customer = svc.store.getCustomer(ctx.params.customerId);
  if (!customer || partnerOf(svc.store.seed, customer.id) !== ctx.caller?.tenantId) {
    throw partnerCenterError(404, "60003", `Tenant with id ${ctx.params.customerId} is not found or is not a customer of this partner.`);
  }
  return customer;
}

/**
 * GDAP gate: the partner's roles in this customer (those of its active relationships' access
 * assignments, see gdap/lifecycle.ts) must include one the operation accepts (seed
 * `roleRequirements`). DAP alone does not count, as on the real service.
 */
export function requireGdapRole(customer: Customer, operation: GdapOperation, svc: Services): void {
  // Global Administrator holds every permission of the other Entra roles, whatever a seed lists.
  const listed = svc.store.seed.roleRequirements[operation];
  const accepted = listed.includes("Global Administrator") ? listed : [...listed, "Global Administrator"];
  const roles = heldRoles(customer, svc);
  if (roles.some((r) => accepted.includes(r))) return;
  const held = roles.length ? roles.join(", ") : "none";
  throw partnerCenterError(
    403,
    "403",
    `Forbidden: this operation needs one of the GDAP roles ${accepted.join(", ")} in customer ${customer.id}; the partner holds: ${held}.`,
  );
}

/** The usual preamble of a customer-scoped Partner Center call. */
export function customerFor(ctx: RequestContext, svc: Services, operation: GdapOperation, appUserOnly: boolean): Customer {
  if (appUserOnly) requireAppUser(ctx);
  const customer = customerOrFail(ctx, svc);
  requireGdapRole(customer, operation, svc);
  return customer;
}
