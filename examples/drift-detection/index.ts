import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

const config = new pulumi.Config();
const customers = config.requireObject<{ id: string; domain: string }[]>("customers");
const controlPanelApplicationId = config.require("controlPanelApplicationId");

for (const c of customers) {
  new partnercenter.ApplicationConsent(`cpv-${c.id}`, {
    customerId: c.id,
    applicationId: controlPanelApplicationId,
    displayName: "Contoso Control Panel",
    grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
  });
  new partnercenter.CustomerUser(`breakglass-${c.id}`, {
    customerId: c.id,
    userPrincipalName: `breakglass@${c.domain}`,
    displayName: "Break Glass Admin",
    usageLocation: "US",
    password: config.requireSecret("breakGlassPassword"),
  });
}
