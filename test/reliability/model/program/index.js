// The model-based test's program (test/reliability/model/runner.ts): one stack's desired state, as
// the model wrote it to a JSON file, declared resource by resource. Passwords are derived inside the
// program from a secret salt, so they are secrets from the start and the file holds none.
// Plain JavaScript so that `tsc -b tsconfig.harness.json` (which includes test/reliability/**/*.ts) leaves it alone.
"use strict";
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const partnercenter = require("pulumi-partnercenter");

const config = new pulumi.Config();
const desired = JSON.parse(fs.readFileSync(config.require("desiredFile"), "utf8"));
const salt = config.requireSecret("passwordSalt");

for (const [name, r] of Object.entries(desired.resources)) {
  if (r.kind === "consent") {
    new partnercenter.ApplicationConsent(name, {
      customerId: r.customerId,
      applicationId: r.applicationId,
      displayName: r.displayName,
      grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: r.scopes }],
    });
  } else {
    new partnercenter.CustomerUser(name, {
      customerId: r.customerId,
      userPrincipalName: r.userPrincipalName,
      displayName: r.displayName,
      usageLocation: "US",
      password: salt.apply((s) => `${r.passwordPrefix}${s}${r.passwordSuffix}`),
      ...(r.immutableId ? { immutableId: r.immutableId } : {}),
      ...(r.adopt ? { adopt: true } : {}),
    });
  }
}
