import type { Seed, SeedApplication } from "./schema";

/** A partner tenant as the emulated Entra ID and Partner Center see it: the seed's `partner` or one of `partners`. */
export interface PartnerTenant {
  tenantId: string;
  displayName: string;
  domain: string;
  applications: SeedApplication[];
  partnerUsers: Seed["partnerUsers"];
}

/** Every partner tenant, the seed's `partner` first. */
export function partnerTenants(seed: Seed): PartnerTenant[] {
  return [{ ...seed.partner, applications: seed.applications, partnerUsers: seed.partnerUsers }, ...seed.partners];
}

export function partnerTenant(seed: Seed, tenantId: string): PartnerTenant | undefined {
  return partnerTenants(seed).find((p) => p.tenantId === tenantId);
}

/** The partner tenant that serves a customer: the one of `partners` that lists it, else the seed's `partner`. */
export function partnerOf(seed: Seed, customerId: string): string {
  return seed.partners.find((p) => p.customers.includes(customerId))?.tenantId ?? seed.partner.tenantId;
}
