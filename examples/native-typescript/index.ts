/**
 * The quickstart's break-glass user in TypeScript on the native provider: the resources and functions
 * of the generated SDK @pulumi-partnercenter/native (generated/nodejs), which the plugin
 * pulumi-resource-partnercenter serves, so the state names `partnercenter:index:CustomerUser`.
 * The provider is configured by the stack's `partnercenter:*` keys, as for a YAML program.
 */
import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "@pulumi-partnercenter/native";

const config = new pulumi.Config();
const customerId = config.require("customerId");
const domain = config.require("domain");

// Who the customer is, as Partner Center knows it.
const organization = partnercenter.getCustomerOrganizationOutput({ customerId });

const breakglass = new partnercenter.CustomerUser("breakglass", {
  customerId,
  userPrincipalName: `breakglass@${domain}`,
  displayName: "Break Glass Admin",
  usageLocation: organization.countryLetterCode,
  password: config.requireSecret("breakGlassPassword"),
});

export const customer = organization.displayName;
export const adminUserId = breakglass.userId;
