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
}
