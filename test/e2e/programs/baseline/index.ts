import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

const config = new pulumi.Config();
const consentCustomers = config.requireObject<string[]>("consentCustomers");
const userCustomers = config.requireObject<string[]>("userCustomers");
const applicationId = config.require("applicationId");
const scopes = config.getObject<string[]>("scopes") ?? ["User.Read.All", "Directory.Read.All"];
const userDisplayName = config.get("userDisplayName") ?? "Break Glass Admin";
const userAlias = config.get("userAlias") ?? "breakglass";
const domainOf = config.requireObject<Record<string, string>>("domains");

// What a user may try instead of stack config: an explicit provider holding the configuration (refused).
const explicitSecret = config.get("explicitProviderSecret");
class NodejsProvider extends pulumi.ProviderResource {
  constructor(name: string, props: pulumi.Inputs) {
    super("pulumi-nodejs", name, props);
  }
}
const provider = explicitSecret ? new NodejsProvider("explicit", { "partnercenter:clientSecret": explicitSecret }) : undefined;

export const consents = consentCustomers.map(
  (customerId, i) =>
    new partnercenter.ApplicationConsent(
      `consent-${i}`,
      {
        customerId,
        applicationId,
        displayName: "Contoso Control Panel",
        grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes }],
      },
      { provider },
    ).id,
);

export const users = userCustomers.map((customerId, i) => {
  const user = new partnercenter.CustomerUser(`breakglass-${i}`, {
    customerId,
    userPrincipalName: `${userAlias}@${domainOf[customerId]}`,
    displayName: userDisplayName,
    firstName: "Break",
    lastName: "Glass",
    usageLocation: "US",
    password: config.requireSecret("userPassword"),
    adopt: config.getBoolean("adopt") ?? false,
  });
  return { id: user.id, state: user.state, displayName: user.displayName, upn: user.userPrincipalName };
});
