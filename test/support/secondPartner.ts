/**
 * A second partner tenant for a seed (the seed's optional `partners`): its own tenant, app
 * registration, partner user and one customer of its own, appended after the seed's customers so
 * that tests picking the seed partner's customers by their facts pick the same ones as before.
 */
export const secondPartner = {
  tenantId: "b7c41e08-3d5a-4f6e-9a21-6c8d0e4f2a13",
  displayName: "Woodgrove Managed Services",
  domain: "woodgrovems.onmicrosoft.com",
  clientId: "c2f9a6d4-1e7b-4c3a-8f05-9d2e6b1a7c48",
  clientSecret: "woodgrove-client-secret",
  refreshToken: "0.AXEA-emulator-refresh-token-woodgrove-admin",
  customerId: "e4a8d2c6-5b1f-4e9a-a7c3-2f6d8b0e1a59",
  customerDomain: "lakeshoreretail.onmicrosoft.com",
} as const;

/** The seed (a parsed default.json, changed in place and returned) with the second partner and its customer. */
export function withSecondPartner(seed: any): any {
  const p = secondPartner;
  seed.customers.push({
    id: p.customerId,
    domains: [{ name: p.customerDomain }],
    organization: { ...seed.customers[0].organization, displayName: "Lakeshore Retail", technicalNotificationMails: [`it@${p.customerDomain}`] },
    gdapRoles: ["User Administrator", "Cloud Application Administrator", "Global Reader"],
    startDateTime: "2024-01-01T09:00:00.0000000Z",
  });
  seed.partners = [
    {
      tenantId: p.tenantId,
      displayName: p.displayName,
      domain: p.domain,
      applications: [
        {
          clientId: p.clientId,
          displayName: "Woodgrove Partner Automation",
          clientSecret: p.clientSecret,
          certificate: false,
          delegatedScopes: { "https://api.partnercenter.microsoft.com": "user_impersonation" },
        },
      ],
      partnerUsers: [
        { id: "f1d3b5a7-9c2e-4b6d-8e0a-3c5e7a9b1d24", userPrincipalName: `admin@${p.domain}`, displayName: "Woodgrove Admin", refreshToken: p.refreshToken },
      ],
      customers: [p.customerId],
    },
  ];
  return seed;
}
