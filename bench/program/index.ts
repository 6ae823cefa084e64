import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

const config = new pulumi.Config();
const plan = JSON.parse(fs.readFileSync(config.require("planFile"), "utf8")) as {
  applicationId: string;
  consentCustomers: string[];
  userCustomers: { id: string; domain: string }[];
  usersPerCustomer: number;
};
const password = config.requireSecret("userPassword");

for (const customerId of plan.consentCustomers) {
  new partnercenter.ApplicationConsent(`consent-${customerId}`, {
    customerId,
    applicationId: plan.applicationId,
    displayName: "Bench Control Panel",
    grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
  });
}
for (const c of plan.userCustomers) {
  for (let i = 1; i <= plan.usersPerCustomer; i++) {
    new partnercenter.CustomerUser(`user-${c.id}-${i}`, {
      customerId: c.id,
      userPrincipalName: `bench.user${i}@${c.domain}`,
      displayName: `Bench User ${i}`,
      usageLocation: "US",
      password,
    });
  }
}
