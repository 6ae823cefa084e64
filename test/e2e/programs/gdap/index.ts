// The GDAP tests' program (test/e2e/gdap.test.ts): like `declared`, the resources come from the stack
// config key `resources`, a JSON list, so each test states what a program declares and changes it
// between runs. An assignment's or membership's `relationship`/`user` names an earlier entry.
import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

interface Declared {
  kind: "relationship" | "assignment" | "user" | "roleMember" | "consent" | "getRelationship" | "getAssignment" | "getRoleMember";
  name: string;
  args: Record<string, any>;
  /** For an assignment: the relationship entry whose id it takes; for a roleMember: the user entry. */
  ref?: string;
  opts?: { retainOnDelete?: boolean };
  /** Earlier entries this one depends on (dependsOn): a user or membership after the assignment that gives the partner its roles. */
  after?: string[];
  /** For the get kinds: the id to read. */
  id?: string;
}

const config = new pulumi.Config();
const declared: Declared[] = JSON.parse(config.require("resources"));
const made: Record<string, pulumi.CustomResource> = {};
const outputs: Record<string, pulumi.Output<any>> = {};

for (const d of declared) {
  if (d.after) d.opts = { ...d.opts, dependsOn: d.after.map((n) => made[n]) } as Declared["opts"];
  if (d.kind === "relationship") {
    const r = new partnercenter.DelegatedAdminRelationship(d.name, d.args as partnercenter.DelegatedAdminRelationshipArgs, d.opts);
    made[d.name] = r;
    outputs[d.name] = pulumi
      .all([r.id, r.status, r.approvalUrl, r.duration])
      .apply(([id, status, approvalUrl, duration]) => ({ id, status, approvalUrl, duration }));
  } else if (d.kind === "assignment") {
    const a = new partnercenter.DelegatedAdminAccessAssignment(
      d.name,
      { ...d.args, relationshipId: made[d.ref!].id } as unknown as partnercenter.DelegatedAdminAccessAssignmentArgs,
      d.opts,
    );
    made[d.name] = a;
    outputs[d.name] = pulumi.all([a.id, a.status]).apply(([id, status]) => ({ id, status }));
  } else if (d.kind === "user") {
    const u = new partnercenter.CustomerUser(
      d.name,
      { password: config.requireSecret("password"), ...d.args } as unknown as partnercenter.CustomerUserArgs,
      d.opts,
    );
    made[d.name] = u;
    outputs[d.name] = u.id;
  } else if (d.kind === "consent") {
    const c = new partnercenter.ApplicationConsent(d.name, d.args as partnercenter.ApplicationConsentArgs, d.opts);
    made[d.name] = c;
    outputs[d.name] = c.id;
  } else if (d.kind === "getRelationship") {
    const r = partnercenter.DelegatedAdminRelationship.get(d.name, d.id!, d.args);
    outputs[d.name] = pulumi
      .all([r.id, r.status, r.displayName, r.customerId, r.roleDefinitionIds])
      .apply(([id, status, displayName, customerId, roleDefinitionIds]) => ({ id, status, displayName, customerId, roleDefinitionIds }));
  } else if (d.kind === "getAssignment") {
    const a = partnercenter.DelegatedAdminAccessAssignment.get(d.name, d.id!);
    outputs[d.name] = pulumi
      .all([a.id, a.relationshipId, a.securityGroupId, a.roleDefinitionIds, a.status])
      .apply(([id, relationshipId, securityGroupId, roleDefinitionIds, status]) => ({ id, relationshipId, securityGroupId, roleDefinitionIds, status }));
  } else if (d.kind === "getRoleMember") {
    const m = partnercenter.CustomerUserRoleAssignment.get(d.name, d.id!);
    outputs[d.name] = pulumi.all([m.id, m.customerId, m.roleId, m.userId]).apply(([id, customerId, roleId, userId]) => ({ id, customerId, roleId, userId }));
  } else {
    const m = new partnercenter.CustomerUserRoleAssignment(
      d.name,
      { ...d.args, userId: made[d.ref!].id } as unknown as partnercenter.CustomerUserRoleAssignmentArgs,
      d.opts,
    );
    outputs[d.name] = pulumi.all([m.id, m.roleId]).apply(([id, roleId]) => ({ id, roleId }));
  }
}

export const resources = outputs;

// The data sources, for the customer named by the config key `lookupCustomerId`.
const lookupCustomerId = config.get("lookupCustomerId");
export const lookups = lookupCustomerId
  ? pulumi
      .all([
        partnercenter.getDelegatedAdminRelationshipsOutput({ customerId: lookupCustomerId }),
        partnercenter.getCustomerDomainsOutput({ customerId: lookupCustomerId }),
        partnercenter.getCustomerDirectoryRolesOutput({ customerId: lookupCustomerId }),
      ])
      .apply(([relationships, domains, roles]) => ({
        activeRoleNames: relationships.activeRoleNamesByCustomer[lookupCustomerId] ?? [],
        statuses: relationships.relationships.map((r) => r.status).sort(),
        userDomain: domains.userDomain,
        globalAdministratorRoleId: roles.idsByName["Global Administrator"],
      }))
  : undefined;
