import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { accessAssignmentComputedFields, type accessAssignmentInputsSchema, type AccessAssignmentOutputs } from "../provider/resources/gdapInputs";
import { PackagedDynamicResource } from "./packagedProvider";
import { type InputsOf, type OutputsOf, unset } from "./shapes";

/** The arguments of a {@link DelegatedAdminAccessAssignment} (TSDoc on `accessAssignmentFields`). */
export interface DelegatedAdminAccessAssignmentArgs extends InputsOf<z.input<typeof accessAssignmentInputsSchema>> {}

/** The output properties of a {@link DelegatedAdminAccessAssignment}: its arguments as Graph has them, its id and status. */
export interface DelegatedAdminAccessAssignment extends OutputsOf<AccessAssignmentOutputs> {}

/** Roles of an active GDAP relationship for a partner security group (Graph `delegatedAdminAccessAssignment`). */
export class DelegatedAdminAccessAssignment extends PackagedDynamicResource {
  constructor(name: string, args: DelegatedAdminAccessAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    super("accessAssignment", "DelegatedAdminAccessAssignment", name, { adopt: undefined, ...args, ...unset(accessAssignmentComputedFields) }, { ...opts, deleteBeforeReplace: true });
  }
}
