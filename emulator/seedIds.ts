/**
 * What a first program needs from the seed: the partner's customers (id, name, domains) and its
 * security groups (the ids a DelegatedAdminAccessAssignment takes), as a table or as JSON.
 * `partnercenter-emulator ids` prints them without starting the emulator.
 */
import type { Seed } from "./seed/schema";

export interface SeedIds {
  partnerTenantId: string;
  customers: { id: string; displayName: string; domains: string[] }[];
  securityGroups: { id: string; displayName: string }[];
}

export function seedIds(seed: Seed): SeedIds {
  return {
    partnerTenantId: seed.partner.tenantId,
    customers: seed.customers.map((c) => ({ id: c.id, displayName: c.organization.displayName, domains: c.domains.map((d) => d.name) })),
    securityGroups: seed.partnerGroups.map((g) => ({ id: g.id, displayName: g.displayName })),
  };
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function seedIdsTable(ids: SeedIds): string {
  return [
    `Partner tenant ${ids.partnerTenantId}`,
    "",
    "Customers (customerId):",
    ...table(
      ["id", "displayName", "domains"],
      ids.customers.map((c) => [c.id, c.displayName, c.domains.join(", ")]),
    ).map((l) => `  ${l}`),
    "",
    "Partner security groups (DelegatedAdminAccessAssignment securityGroupId):",
    ...table(
      ["id", "displayName"],
      ids.securityGroups.map((g) => [g.id, g.displayName]),
    ).map((l) => `  ${l}`),
  ].join("\n");
}
