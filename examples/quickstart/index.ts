import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

const config = new pulumi.Config();
const customerId = config.require("customerId");
const domain = config.require("domain");

// Who the customer is, as Partner Center knows it.
const organization = partnercenter.getCustomerOrganizationOutput({ customerId });

// A break-glass admin; its password lives only in the stack's encrypted config.
const admin = new partnercenter.CustomerUser("breakglass", {
  customerId,
  userPrincipalName: `breakglass@${domain}`,
  displayName: "Break Glass Admin",
  usageLocation: organization.countryLetterCode,
  password: config.requireSecret("breakGlassPassword"),
});

// Our control panel, with read access to the customer's directory on Microsoft Graph.
const consent = new partnercenter.ApplicationConsent("control-panel", {
  customerId,
  applicationId: config.require("controlPanelApplicationId"),
  displayName: "Contoso Control Panel",
  grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All", "Directory.Read.All"] }],
});

export const customer = organization.displayName;
export const adminUserPrincipalName = admin.userPrincipalName;
export const adminUserId = admin.userId;
export const consentId = consent.id;
