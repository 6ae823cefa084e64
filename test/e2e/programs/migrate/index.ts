// README's "Moving a stack from dynamic to native resources": the same user and consent declared
// through the TypeScript SDK's dynamic providers (`sdk: dynamic`) or through the native provider's
// generated SDK (`sdk: native`), under the same names, as a program looks before and after the move.
import * as pulumi from "@pulumi/pulumi";
import * as dynamic from "pulumi-partnercenter";
import * as native from "@pulumi-partnercenter/native";

const config = new pulumi.Config();
const customerId = config.require("customerId");
const user = {
  customerId,
  userPrincipalName: `migrated@${config.require("domain")}`,
  displayName: "Migrated Admin",
  usageLocation: "US",
  password: config.requireSecret("password"),
};
const consent = {
  customerId,
  applicationId: config.require("applicationId"),
  displayName: "Contoso Control Panel",
  grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
};

const sdk = config.require("sdk");
const made =
  sdk === "native"
    ? [new native.CustomerUser("admin", user), new native.ApplicationConsent("control-panel", consent)]
    : [new dynamic.CustomerUser("admin", user), new dynamic.ApplicationConsent("control-panel", consent)];

export const userId = made[0].id;
export const consentId = made[1].id;
