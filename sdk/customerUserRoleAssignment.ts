import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { roleAssignmentInputsSchema, RoleAssignmentOutputs } from "../provider/resources/gdapInputs";
import { PackagedDynamicResource } from "./packagedProvider";
import type { InputsOf, OutputsOf } from "./shapes";

/** The arguments of a {@link CustomerUserRoleAssignment} (TSDoc on `roleAssignmentFields`). Any change of the ids replaces the membership. */
export interface CustomerUserRoleAssignmentArgs extends InputsOf<z.input<typeof roleAssignmentInputsSchema>> {}

/** The output properties of a {@link CustomerUserRoleAssignment}: its arguments, with the role's id resolved. */
export interface CustomerUserRoleAssignment extends OutputsOf<RoleAssignmentOutputs> {}

/** What a {@link CustomerUserRoleAssignment} holds; `get` reads it from Partner Center. */
export interface CustomerUserRoleAssignmentState {
  customerId?: pulumi.Input<string>;
  roleId?: pulumi.Input<string>;
  userId?: pulumi.Input<string>;
}

/** A customer user in a directory role, through Partner Center (App+User credentials). */
export class CustomerUserRoleAssignment extends PackagedDynamicResource {
  constructor(name: string, args: CustomerUserRoleAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "roleMember",
      "CustomerUserRoleAssignment",
      name,
      { adopt: undefined, roleId: undefined, roleName: undefined, ...args },
      { ...opts, deleteBeforeReplace: true },
    );
  }

  /**
   * Reads an existing membership by its resource id, `{customerId}/{roleId}/{userId}` (App+User
   * credentials, Privileged Role Administrator in the customer). The three GUIDs are checked before
   * any call; a user who is not a member is an error. To manage one, declare it with `adopt: true`.
   * The id names everything; `state` is not needed (it keeps the usual `get(name, id, state, opts)` shape).
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    _state?: CustomerUserRoleAssignmentState,
    opts?: pulumi.CustomResourceOptions,
  ): CustomerUserRoleAssignment {
    // Every argument named (unset), so that the outputs resolve from what the read returns.
    const args = { customerId: undefined, userId: undefined } as unknown as CustomerUserRoleAssignmentArgs;
    return new CustomerUserRoleAssignment(name, args, { ...opts, id });
  }
}
