// The reliability suite's rollout (test/reliability/run.ts): N consents and users from a JSON plan
// file, like bench/program, plus what the suite needs: per-UPN `adopt` (the documented recovery) and
// deliberately bad resources and data-source arguments (the CLI half of the bad-input part).
// Plain JavaScript so that `tsc -b tsconfig.harness.json` (which includes test/reliability/**/*.ts) leaves it alone.
"use strict";
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const partnercenter = require("pulumi-partnercenter");

const config = new pulumi.Config();
const plan = JSON.parse(fs.readFileSync(config.require("planFile"), "utf8"));
const password = config.requireSecret("userPassword");
const adopt = new Set(plan.adoptUpns || []);

for (const customerId of plan.consentCustomers || []) {
  new partnercenter.ApplicationConsent(`consent-${customerId}`, {
    customerId,
    applicationId: plan.applicationId,
    displayName: "Reliability Control Panel",
    grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
  });
}
for (const c of plan.userCustomers || []) {
  for (let i = 1; i <= (plan.usersPerCustomer || 1); i++) {
    const upn = `rel.user${i}@${c.domain}`;
    new partnercenter.CustomerUser(`user-${c.id}-${i}`, {
      customerId: c.id,
      userPrincipalName: upn,
      displayName: `Reliability User ${i}`,
      usageLocation: "US",
      password,
      ...(adopt.has(upn) ? { adopt: true } : {}),
    });
  }
}
for (const [i, bad] of (plan.badUsers || []).entries()) new partnercenter.CustomerUser(`bad-user-${i}`, bad);
for (const [i, bad] of (plan.badConsents || []).entries()) new partnercenter.ApplicationConsent(`bad-consent-${i}`, bad);
if (plan.badFilter !== undefined) {
  module.exports.badLookup = partnercenter.getDelegatedAdminCustomersOutput({ filter: plan.badFilter }).customerIds;
}
if (plan.badTenantId !== undefined) {
  module.exports.badMember = partnercenter.getMultiTenantOrganizationMemberOutput({ tenantId: plan.badTenantId }).displayName;
}
