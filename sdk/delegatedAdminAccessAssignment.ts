import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { accessAssignmentComputedFields, type accessAssignmentInputsSchema, type AccessAssignmentOutputs } from "../provider/resources/gdapInputs";
import { PackagedDynamicResource } from "./packagedProvider";
import { type InputsOf, type OutputsOf, unset } from "./shapes";

/** The arguments of a {@link DelegatedAdminAccessAssignment} (TSDoc on `accessAssignmentFields`). */
export interface DelegatedAdminAccessAssignmentArgs extends InputsOf<z.input<typeof accessAssignmentInputsSchema>> {}

/** The output properties of a {@link DelegatedAdminAccessAssignment}: its arguments as Graph has them, its id and status. */
export interface DelegatedAdminAccessAssignment extends OutputsOf<AccessAssignmentOutputs> {}

/** What a {@link DelegatedAdminAccessAssignment} holds; `get` reads all of it from Graph. */
export interface DelegatedAdminAccessAssignmentState {
  relationshipId?: pulumi.Input<string>;
  securityGroupId?: pulumi.Input<string>;
  roleDefinitionIds?: pulumi.Input<pulumi.Input<string>[]>;
  accessAssignmentId?: pulumi.Input<string>;
  /** pending, active, deleting, deleted or error. */
  status?: pulumi.Input<string>;
}

/** Roles of an active GDAP relationship for a partner security group (Graph `delegatedAdminAccessAssignment`). */
export class DelegatedAdminAccessAssignment extends PackagedDynamicResource {
  constructor(name: string, args: DelegatedAdminAccessAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    super("accessAssignment", "DelegatedAdminAccessAssignment", name, { adopt: undefined, ...args, ...unset(accessAssignmentComputedFields) }, opts);
  }

  /**
   * Reads an existing access assignment by its resource id, `{relationshipId}/{accessAssignmentId}`.
   * Both parts are checked before any call; a missing or deleted assignment, or one of a
   * relationship that has ended, is an error. To manage one that exists, declare it with `adopt: true`.
   * The id names everything; `state` is not needed (it keeps the usual `get(name, id, state, opts)` shape).
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    _state?: DelegatedAdminAccessAssignmentState,
    opts?: pulumi.CustomResourceOptions,
  ): DelegatedAdminAccessAssignment {
    // Every argument named (unset), so that the outputs resolve from what the read returns.
    const args = { relationshipId: undefined, securityGroupId: undefined, roleDefinitionIds: undefined } as unknown as DelegatedAdminAccessAssignmentArgs;
    return new DelegatedAdminAccessAssignment(name, args, { ...opts, id });
  }
}
