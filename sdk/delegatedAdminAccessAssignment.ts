import * as pulumi from "@pulumi/pulumi";
import { PackagedDynamicResource } from "./packagedProvider";

/** The arguments of a {@link DelegatedAdminAccessAssignment}. */
export interface DelegatedAdminAccessAssignmentArgs {
  /** The relationship's id (a {@link DelegatedAdminRelationship}'s `id`); it must be active. Changing it replaces the assignment. */
  relationshipId: pulumi.Input<string>;
  /** The partner's security group (object id) that gets the roles. Changing it replaces the assignment. */
  securityGroupId: pulumi.Input<string>;
  /** Some of the relationship's role template ids. Updated in place; a change made outside Pulumi shows as drift. */
  roleDefinitionIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Take over the group's existing assignment on this relationship instead of failing. Default false. */
  adopt?: pulumi.Input<boolean>;
}

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
  declare public readonly relationshipId: pulumi.Output<string>;
  declare public readonly securityGroupId: pulumi.Output<string>;
  /** The roles, as last read from Graph. */
  declare public readonly roleDefinitionIds: pulumi.Output<string[]>;
  declare public readonly adopt: pulumi.Output<boolean>;
  /** Graph's id of the assignment (the resource id is `{relationshipId}/{accessAssignmentId}`). */
  declare public readonly accessAssignmentId: pulumi.Output<string>;
  /** pending, active, deleting, deleted or error. */
  declare public readonly status: pulumi.Output<string>;

  constructor(name: string, args: DelegatedAdminAccessAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    super("accessAssignment", "DelegatedAdminAccessAssignment", name, { adopt: undefined, ...args, accessAssignmentId: undefined, status: undefined }, { ...opts, deleteBeforeReplace: true });
  }

  /**
   * Reads an existing access assignment by its resource id, `{relationshipId}/{accessAssignmentId}`.
   * Both parts are checked before any call; a missing or deleted assignment, or one of a
   * relationship that has ended, is an error. To manage one that exists, declare it with `adopt: true`.
   * The id names everything; `state` is not needed (it keeps the usual `get(name, id, state, opts)` shape).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, _state?: DelegatedAdminAccessAssignmentState, opts?: pulumi.CustomResourceOptions): DelegatedAdminAccessAssignment {
    // Every argument named (unset), so that the outputs resolve from what the read returns.
    const args = { relationshipId: undefined, securityGroupId: undefined, roleDefinitionIds: undefined } as unknown as DelegatedAdminAccessAssignmentArgs;
    return new DelegatedAdminAccessAssignment(name, args, { ...opts, id });
  }
}
