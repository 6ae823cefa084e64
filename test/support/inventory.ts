/** Reads the emulator's inventory (GET /_emulator/inventory) the way the tests need it. */
const values = <T>(x: Record<string, T> | T[] | undefined): T[] => (Array.isArray(x) ? x : Object.values(x ?? {}));

export function customerOf(inventory: any, customerId: string): any {
  const c = values<any>(inventory.customers).find((c) => c.id === customerId);
  if (!c) throw new Error(`customer ${customerId} is not in the emulator's inventory`);
  return c;
}

export function usersOf(inventory: any, customerId: string, state: "active" | "inactive" = "active"): any[] {
  return values<any>(customerOf(inventory, customerId).users).filter((u) => u.state === state);
}

export function consentsOf(inventory: any, customerId: string): any[] {
  return values<any>(customerOf(inventory, customerId).consents);
}

export function grantsOf(inventory: any, customerId: string): any[] {
  return values<any>(customerOf(inventory, customerId).grants);
}

export function servicePrincipalsOf(inventory: any, customerId: string): any[] {
  return values<any>(customerOf(inventory, customerId).servicePrincipals);
}

/** What a partner would call "the tenant's managed state": active users, consents, grants. */
export function summary(inventory: any): Record<string, { users: string[]; consents: string[]; grants: string[] }> {
  const out: Record<string, { users: string[]; consents: string[]; grants: string[] }> = {};
  for (const c of values<any>(inventory.customers)) {
    out[c.id] = {
      users: usersOf(inventory, c.id)
        .map((u) => `${u.userPrincipalName}|${u.displayName}`)
        .sort(),
      consents: consentsOf(inventory, c.id)
        .map((x) => x.applicationId)
        .sort(),
      grants: grantsOf(inventory, c.id)
        .map((g) => `${g.clientId}|${g.resourceId}|${g.scope}`)
        .sort(),
    };
  }
  return out;
}
