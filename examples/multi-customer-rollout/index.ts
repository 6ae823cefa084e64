import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

const config = new pulumi.Config();
/** Which customers this stack (wave) owns: an OData filter over the delegated-admin customers. */
const customerFilter = config.require("customerFilter");
/** Optional "i/n": this job's shard of the wave, for n CI jobs in parallel (set partnercenter:consentRateLimit accordingly). */
const shard = config.get("shard");
const controlPanelApplicationId = config.require("controlPanelApplicationId");
const graphScopes = config.getObject<string[]>("graphScopes") ?? ["User.Read.All", "Directory.Read.All"];
// The GDAP roles a consent needs: Partner Center lists every GDAP customer, whatever roles its
// relationship grants, so each wave leaves alone the customers without one of them.
const consentRoles = ["Cloud Application Administrator", "Application Administrator", "Global Administrator"];

export = async () => {
  const { customers } = await partnercenter.getDelegatedAdminCustomers({ filter: customerFilter, orderBy: "organizationDisplayName" });
  const { activeRoleNamesByCustomer } = await partnercenter.getDelegatedAdminRelationships();
  const consentable = customers.filter((c) => (activeRoleNamesByCustomer[c.customerTenantId] ?? []).some((r) => consentRoles.includes(r)));
  // Sharded after the role filter, so that each shard's share of the rate limit goes to customers it acts on.
  const selected = shard ? partnercenter.selectShard(consentable, shard, (c) => c.customerTenantId) : consentable;

  // The baseline every customer of the wave gets.
  for (const c of selected) {
    new partnercenter.ApplicationConsent(`cpv-${c.customerTenantId}`, {
      customerId: c.customerTenantId,
      applicationId: controlPanelApplicationId,
      displayName: "Contoso Control Panel",
      grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: graphScopes }],
    });
  }
  return { wave: pulumi.getStack(), customers: selected.map((c) => c.organizationDisplayName) };
};
