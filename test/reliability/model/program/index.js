// The model-based test's program (test/reliability/model/runner.ts): one stack's desired state, as
// the model wrote it to a JSON file, declared resource by resource. Passwords are derived inside the
// program from a secret salt, so they are secrets from the start and the file holds none.
// With config `native: true` the same declarations go through the native provider plugin
// (pulumi-resource-partnercenter) by the generated Node.js SDK instead of the dynamic providers.
// Plain JavaScript so that `tsc -b tsconfig.harness.json` (which includes test/reliability/**/*.ts) leaves it alone.
"use strict";
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const { builtInRoles } = require("pulumi-partnercenter");

const config = new pulumi.Config();
const partnercenter = config.getBoolean("native") ? require("@pulumi-partnercenter/native") : require("pulumi-partnercenter");
const desired = JSON.parse(fs.readFileSync(config.require("desiredFile"), "utf8"));
const salt = config.requireSecret("passwordSalt");

const made = {};
const entries = Object.entries(desired.resources);
// adopt: true, when the model's declaration adopts (every kind the model declares can be adopted).
const adoptOf = (r) => (r.adopt ? { adopt: true } : {});
// Relationships, users and consents first: access assignments and memberships name them.
for (const [name, r] of entries) {
  if (r.kind === "access" || r.kind === "roleMember") continue;
  if (r.kind === "relationship") {
    made[name] = new partnercenter.DelegatedAdminRelationship(name, {
      displayName: r.displayName,
      customerId: r.customerId,
      duration: r.duration,
      roleDefinitionIds: r.roles.map((n) => builtInRoles[n]),
      autoExtendDuration: r.autoExtendDuration,
      ...adoptOf(r),
    });
  } else if (r.kind === "consent") {
    new partnercenter.ApplicationConsent(name, {
      customerId: r.customerId,
      applicationId: r.applicationId,
      displayName: r.displayName,
      grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: r.scopes }],
      ...adoptOf(r),
    });
  } else {
    made[name] = new partnercenter.CustomerUser(name, {
      customerId: r.customerId,
      userPrincipalName: r.userPrincipalName,
      displayName: r.displayName,
      usageLocation: "US",
      password: salt.apply((s) => `${r.passwordPrefix}${s}${r.passwordSuffix}`),
      ...(r.immutableId ? { immutableId: r.immutableId } : {}),
      ...adoptOf(r),
    });
  }
}

// Access assignments on the stack's relationship; memberships after the assignments of their
// customer, whose roles (Privileged Role Administrator) the membership needs within the same run.
const accessByCustomer = {};
for (const [name, r] of entries) {
  if (r.kind !== "access") continue;
  const a = new partnercenter.DelegatedAdminAccessAssignment(name, {
    relationshipId: made[r.relationship].id,
    securityGroupId: r.securityGroupId,
    roleDefinitionIds: r.roles.map((n) => builtInRoles[n]),
    ...adoptOf(r),
  });
  const customerId = desired.resources[r.relationship].customerId;
  (accessByCustomer[customerId] = accessByCustomer[customerId] || []).push(a);
}
for (const [name, r] of entries) {
  if (r.kind !== "roleMember") continue;
  new partnercenter.CustomerUserRoleAssignment(
    name,
    { customerId: r.customerId, userId: made[r.user].id, roleName: r.roleName, ...adoptOf(r) },
    { dependsOn: accessByCustomer[r.customerId] || [] },
  );
}
