import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

const config = new pulumi.Config();
/** OData filter over the delegated-admin customers: the GDAP ones (no DAP) by default. */
const customerFilter = config.get("customerFilter") ?? "dapEnabled eq false";
/** The partner's control-panel (CPV) application. */
const controlPanelApplicationId = config.require("controlPanelApplicationId");
const controlPanelDisplayName = config.get("controlPanelDisplayName") ?? "Contoso Control Panel";
/** Delegated permissions the control panel gets on Microsoft Graph in each customer. */
const graphScopes = config.getObject<string[]>("graphScopes") ?? ["User.Read.All", "Directory.Read.All"];
/** How many customers (the first by name where the partner may create users) get a break-glass admin. */
const breakGlassCustomers = config.getNumber("breakGlassCustomers") ?? 2;
const breakGlassAlias = config.get("breakGlassAlias") ?? "breakglass";
const microsoftGraphAppId = "00000003-0000-0000-c000-000000000000";
// The GDAP roles a consent and a user need: Partner Center lists every GDAP customer, whatever roles
// its relationship grants, so the demo leaves alone the customers without them.
const consentRoles = ["Cloud Application Administrator", "Application Administrator", "Global Administrator"];
const userRoles = ["User Administrator", "Directory Writers", "Global Administrator"];

export = async () => {
  const { customers: listed } = await partnercenter.getDelegatedAdminCustomers({
    filter: customerFilter,
    orderBy: "organizationDisplayName",
  });
  // The roles each customer's active GDAP relationships hold (Graph, every page).
  const { activeRoleNamesByCustomer } = await partnercenter.getDelegatedAdminRelationships();
  const holds = (customerId: string, roles: string[]) => (activeRoleNamesByCustomer[customerId] ?? []).some((r) => roles.includes(r));
  const customers = listed.filter((c) => holds(c.customerTenantId, consentRoles));

  const consents = customers.map(
    (c) =>
      new partnercenter.ApplicationConsent(`cpv-${c.customerTenantId}`, {
        customerId: c.customerTenantId,
        applicationId: controlPanelApplicationId,
        displayName: controlPanelDisplayName,
        grants: [{ enterpriseApplicationId: microsoftGraphAppId, scopes: graphScopes }],
      }),
  );

  const admins = [];
  for (const c of customers.filter((x) => holds(x.customerTenantId, userRoles)).slice(0, breakGlassCustomers)) {
    const org = await partnercenter.getCustomerOrganization({ customerId: c.customerTenantId });
    const domain = org.technicalNotificationMails[0]?.split("@")[1] ?? config.require(`domain-${c.customerTenantId}`);
    const user = new partnercenter.CustomerUser(`breakglass-${c.customerTenantId}`, {
      customerId: c.customerTenantId,
      userPrincipalName: `${breakGlassAlias}@${domain}`,
      displayName: "Break Glass Admin",
      firstName: "Break",
      lastName: "Glass",
      usageLocation: org.countryLetterCode,
      password: config.requireSecret(`breakGlassPassword`),
    });
    admins.push({ customer: c.organizationDisplayName, userPrincipalName: user.userPrincipalName, userId: user.id, displayName: user.displayName });
  }

  const organizations: Record<string, string> = {};
  for (const c of customers) {
    organizations[c.customerTenantId] = (await partnercenter.getCustomerOrganization({ customerId: c.customerTenantId })).displayName;
  }
  const { members } = await partnercenter.getMultiTenantOrganizationMembers({ select: ["tenantId", "displayName", "role", "state"] });

  return {
    customerCount: customers.length,
    consentIds: consents.map((c) => c.id),
    breakGlassAdmins: admins,
    organizations,
    multiTenantOrganization: members,
  };
};
