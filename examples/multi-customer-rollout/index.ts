import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

const config = new pulumi.Config();
/** Which customers this stack (wave) owns: an OData filter over the delegated-admin customers. */
const customerFilter = config.require("customerFilter");
/** Optional "i/n": this job's shard of the wave, for n CI jobs in parallel (set partnercenter:consentRateLimit accordingly). */
const shard = config.get("shard");
const controlPanelApplicationId = config.require("controlPanelApplicationId");
const graphScopes = config.getObject<string[]>("graphScopes") ?? ["User.Read.All", "Directory.Read.All"];

export = async () => {
  const { customers } = await partnercenter.getDelegatedAdminCustomers({ filter: customerFilter, orderBy: "organizationDisplayName" });
  const selected = shard ? partnercenter.selectShard(customers, shard, (c) => c.customerTenantId) : customers;

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
