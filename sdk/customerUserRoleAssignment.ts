import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { roleAssignmentInputsSchema, RoleAssignmentOutputs } from "../provider/resources/gdapInputs";
import { PackagedDynamicResource } from "./packagedProvider";
import type { InputsOf, OutputsOf } from "./shapes";

/** The arguments of a {@link CustomerUserRoleAssignment} (TSDoc on `roleAssignmentFields`). Any change of the ids replaces the membership. */
export interface CustomerUserRoleAssignmentArgs extends InputsOf<z.input<typeof roleAssignmentInputsSchema>> {}

/** The output properties of a {@link CustomerUserRoleAssignment}: its arguments, with the role's id resolved. */
export interface CustomerUserRoleAssignment extends OutputsOf<RoleAssignmentOutputs> {}

/** A customer user in a directory role, through Partner Center (App+User credentials). */
export class CustomerUserRoleAssignment extends PackagedDynamicResource {
  constructor(name: string, args: CustomerUserRoleAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    super("roleMember", "CustomerUserRoleAssignment", name, { adopt: undefined, roleId: undefined, roleName: undefined, ...args }, { ...opts, deleteBeforeReplace: true });
  }
}
