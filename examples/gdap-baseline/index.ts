// A partner's whole GDAP baseline per customer, in one program:
//   1. a GDAP relationship with a least-privilege role set, locked for the customer's approval;
//   2. once the customer approved it: the roles for the partner's security groups,
//   3. a break-glass user on the customer's own domain, made Global Administrator,
//   4. and the Control Panel Vendor consent.
// Steps 2-4 need the roles of step 2, so they are made once the customer approved: the first
// `pulumi up` asks for approval (see the `approvalUrl` outputs), a later one finishes. The access
// (step 2) lives as long as the relationship; the customer's own objects (steps 3-4) stay declared
// after it ends, so an ended relationship never deletes them (see "Once approved" below).
import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

const config = new pulumi.Config();
/** The customers' tenant ids. */
const customers: string[] = config.requireObject("customers");
/** The partner's security groups and the roles each gets in every customer. */
const accessGroups: { groupId: string; roles: partnercenter.BuiltInRoleName[] }[] = config.requireObject("accessGroups");
const controlPanelApplicationId = config.require("controlPanelApplicationId");
const breakGlassPassword = config.requireSecret("breakGlassPassword");

// Global Administrator stays out of GDAP (least privilege): the break-glass user holds it in the tenant.
const roleSet = [...new Set(accessGroups.flatMap((g) => g.roles))];
const roleIds = (names: partnercenter.BuiltInRoleName[]) => names.map((n) => partnercenter.builtInRoles[n]);

export = async () => {
  const { relationships } = await partnercenter.getDelegatedAdminRelationships();
  const result: Record<string, pulumi.Output<unknown>> = {};

  for (const customerId of customers) {
    const displayName = `Baseline ${customerId.slice(0, 8)}`;
    const relationship = new partnercenter.DelegatedAdminRelationship(`gdap-${customerId}`, {
      displayName,
      customerId,
      duration: "P730D",
      roleDefinitionIds: roleIds(roleSet),
      autoExtendDuration: "P180D",
    });

    // This program's relationships with the customer on Graph: its displayName, or the numbered name a
    // replacement gets there (`Baseline 1234abcd (2)`, the resource's serviceDisplayName).
    const ours = relationships.filter(
      (r) => r.customerId?.toLowerCase() === customerId.toLowerCase() && partnercenter.isRelationshipNamed(r.displayName, displayName),
    );
    const waiting = pulumi
      .all([relationship.status, relationship.serviceDisplayName, relationship.approvalUrl])
      .apply(([status, serviceDisplayName, approvalUrl]) => ({ status, serviceDisplayName, approvalUrl }));
    if (!ours.some((r) => r.activatedDateTime)) {
      result[customerId] = waiting;
      continue;
    }

    // Once approved: the customer's objects below stay declared even after the relationship ended (the
    // customer terminated it, or it expired). Not declaring them would delete them: the break-glass admin
    // and the consent are the customer's, and a partner that can no longer reach the customer could not
    // delete them anyway. While it has ended they stay in the state as recorded (reads refused with 403
    // keep it); the next `up --refresh` asks for a new relationship, and its approval brings the access
    // back. To let go of a customer, see the repository README, "Offboarding a customer".
    const active = ours.some((r) => r.status === "active");
    const assignments = active
      ? accessGroups.map(
          (g) =>
            new partnercenter.DelegatedAdminAccessAssignment(`access-${customerId}-${g.groupId}`, {
              relationshipId: relationship.id,
              securityGroupId: g.groupId,
              roleDefinitionIds: roleIds(g.roles),
            }),
        )
      : [];
    const afterAccess = { dependsOn: assignments };

    // A UPN on a real, verified domain of this customer.
    const { userDomain } = await partnercenter.getCustomerDomains({ customerId });
    const breakGlass = new partnercenter.CustomerUser(
      `breakglass-${customerId}`,
      {
        customerId,
        userPrincipalName: `breakglass@${userDomain}`,
        displayName: "Break Glass Admin",
        usageLocation: "US",
        password: breakGlassPassword,
        forceChangePassword: false,
      },
      afterAccess,
    );
    new partnercenter.CustomerUserRoleAssignment(
      `breakglass-ga-${customerId}`,
      { customerId, roleName: "Global Administrator", userId: breakGlass.id },
      afterAccess,
    );

    new partnercenter.ApplicationConsent(
      `cpv-${customerId}`,
      {
        customerId,
        applicationId: controlPanelApplicationId,
        displayName: "Contoso Control Panel",
        grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
      },
      afterAccess,
    );
    result[customerId] = pulumi.all([waiting, breakGlass.userPrincipalName]).apply(([w, breakGlassUser]) => ({ ...w, breakGlassUser }));
  }
  return { customers: result };
};
