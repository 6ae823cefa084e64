import * as pulumi from "@pulumi/pulumi";
import { PackagedDynamicResource } from "./packagedProvider";

/** The arguments of a {@link CustomerUserRoleAssignment}. Any change of the ids replaces the membership. */
export interface CustomerUserRoleAssignmentArgs {
  /** The customer's tenant id (GUID). */
  customerId: pulumi.Input<string>;
  /** The directory role's id in that customer (from {@link getCustomerDirectoryRoles}; it differs between tenants). */
  roleId: pulumi.Input<string>;
  /** The user's id (a {@link CustomerUser}'s `id`). */
  userId: pulumi.Input<string>;
  /** Take over an existing membership instead of failing. Default false. */
  adopt?: pulumi.Input<boolean>;
}

/** A customer user in a directory role, through Partner Center (App+User credentials). */
export class CustomerUserRoleAssignment extends PackagedDynamicResource {
  declare public readonly customerId: pulumi.Output<string>;
  declare public readonly roleId: pulumi.Output<string>;
  declare public readonly userId: pulumi.Output<string>;
  declare public readonly adopt: pulumi.Output<boolean>;

  constructor(name: string, args: CustomerUserRoleAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    super("roleMember", "CustomerUserRoleAssignment", name, { adopt: undefined, ...args }, { ...opts, deleteBeforeReplace: true });
  }
}
