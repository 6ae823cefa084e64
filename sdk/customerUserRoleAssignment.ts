import * as pulumi from "@pulumi/pulumi";
import { PackagedDynamicResource } from "./packagedProvider";

/** The arguments of a {@link CustomerUserRoleAssignment}. Any change of the ids replaces the membership. */
export interface CustomerUserRoleAssignmentArgs {
  /** The customer's tenant id (GUID). */
  customerId: pulumi.Input<string>;
  /** The directory role's id in that customer (from {@link getCustomerDirectoryRoles}; it differs between tenants). Set this or roleName. */
  roleId?: pulumi.Input<string>;
  /** The directory role's name, e.g. `Global Administrator`, resolved to its id in the customer at create time. Set this or roleId. */
  roleName?: pulumi.Input<string>;
  /** The user's id (a {@link CustomerUser}'s `id`). */
  userId: pulumi.Input<string>;
  /** Take over an existing membership instead of failing. Default false. */
  adopt?: pulumi.Input<boolean>;
}

/** What a {@link CustomerUserRoleAssignment} holds; `get` reads it from Partner Center. */
export interface CustomerUserRoleAssignmentState {
  customerId?: pulumi.Input<string>;
  roleId?: pulumi.Input<string>;
  userId?: pulumi.Input<string>;
}

/** A customer user in a directory role, through Partner Center (App+User credentials). */
export class CustomerUserRoleAssignment extends PackagedDynamicResource {
  declare public readonly customerId: pulumi.Output<string>;
  /** The directory role's id in the customer (resolved from roleName when that is given). */
  declare public readonly roleId: pulumi.Output<string>;
  declare public readonly roleName: pulumi.Output<string | undefined>;
  declare public readonly userId: pulumi.Output<string>;
  declare public readonly adopt: pulumi.Output<boolean>;

  constructor(name: string, args: CustomerUserRoleAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    super("roleMember", "CustomerUserRoleAssignment", name, { adopt: undefined, roleId: undefined, roleName: undefined, ...args }, { ...opts, deleteBeforeReplace: true });
  }

  /**
   * Reads an existing membership by its resource id, `{customerId}/{roleId}/{userId}` (App+User
   * credentials, Privileged Role Administrator in the customer). The three GUIDs are checked before
   * any call; a user who is not a member is an error. To manage one, declare it with `adopt: true`.
   * The id names everything; `state` is not needed (it keeps the usual `get(name, id, state, opts)` shape).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, _state?: CustomerUserRoleAssignmentState, opts?: pulumi.CustomResourceOptions): CustomerUserRoleAssignment {
    // Every argument named (unset), so that the outputs resolve from what the read returns.
    const args = { customerId: undefined, userId: undefined } as unknown as CustomerUserRoleAssignmentArgs;
    return new CustomerUserRoleAssignment(name, args, { ...opts, id });
  }
}
