/**
 * Seeds for benchmarks and reliability runs: the default seed's partner, app and user, with `count`
 * generated GDAP customers (deterministic ids, so runs are comparable).
 */
import { createHash } from "crypto";
import { readDefaultSeed } from "../emulator/seed/load";

function uuidFrom(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const microsoftGraphAppId = "00000003-0000-0000-c000-000000000000";

export function generatedSeed(count: number): any {
  const seed = readDefaultSeed() as any;
  const partnerAppId = seed.applications[0].clientId;
  seed.name = `generated-${count}`;
  seed.customers = Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(5, "0");
    const domain = `customer${n}.onmicrosoft.com`;
    return {
      id: uuidFrom(`customer-${n}`),
      domains: [{ name: domain }],
      organization: {
        street: `${i + 1} Main Street`,
        countryLetterCode: "US",
        postalCode: "98052",
        city: "Redmond",
        state: "WA",
        displayName: `Customer ${n}`,
        technicalNotificationMails: [`it@${domain}`],
      },
      gdapRoles: ["User Administrator", "Cloud Application Administrator", "Global Reader"],
      dapEnabled: false,
      startDateTime: "2024-01-01T00:00:00Z",
      servicePrincipals: [
        { id: uuidFrom(`sp-partner-${n}`), appId: partnerAppId, displayName: seed.applications[0].displayName },
        { id: uuidFrom(`sp-graph-${n}`), appId: microsoftGraphAppId, displayName: "Microsoft Graph" },
      ],
    };
  });
  seed.multiTenantOrganization = { displayName: "", tenants: [] };
  return seed;
}
