import * as pulumi from "@pulumi/pulumi";
import { PackagedDynamicResource } from "./packagedProvider";

/** The arguments of a {@link DelegatedAdminRelationship}. */
export interface DelegatedAdminRelationshipArgs {
  /** The relationship's name, unique among the partner's relationships that have not ended (1-50 characters). Changing it after the relationship was locked replaces it. */
  displayName: pulumi.Input<string>;
  /** The customer's tenant id (GUID). Changing it replaces the relationship. */
  customerId: pulumi.Input<string>;
  /** The customer's name as the relationship shows it (optional). */
  customerDisplayName?: pulumi.Input<string>;
  /** ISO 8601 duration in days, `P1D` to `P730D`. Default `P730D`. */
  duration?: pulumi.Input<string>;
  /** The Entra role template ids the relationship grants (see {@link builtInRoles}). Changing them after the relationship was locked replaces it. */
  roleDefinitionIds: pulumi.Input<pulumi.Input<string>[]>;
  /** `P180D` (extend by 180 days at the end) or `PT0S` (never; required with Global Administrator). Default `PT0S`. Updated in place. */
  autoExtendDuration?: pulumi.Input<"P180D" | "PT0S">;
  /** Lock the relationship for the customer's approval right after creating it. Default true. */
  lockForApproval?: pulumi.Input<boolean>;
  /** Take over a live relationship with the same displayName instead of failing (see README "Who owns what"). Default false. */
  adopt?: pulumi.Input<boolean>;
}

/** What a {@link DelegatedAdminRelationship} holds: its arguments and what Graph reports. `get` reads all of it; what is given here is checked against it. */
export interface DelegatedAdminRelationshipState {
  /** The customer's tenant id (GUID). Given to `get`, the relationship must be this customer's. */
  customerId?: pulumi.Input<string>;
  displayName?: pulumi.Input<string>;
  customerDisplayName?: pulumi.Input<string>;
  duration?: pulumi.Input<string>;
  roleDefinitionIds?: pulumi.Input<pulumi.Input<string>[]>;
  autoExtendDuration?: pulumi.Input<string>;
  /** created, approvalPending, active, expired, terminated, … */
  status?: pulumi.Input<string>;
  approvalUrl?: pulumi.Input<string>;
  createdDateTime?: pulumi.Input<string | null>;
  activatedDateTime?: pulumi.Input<string | null>;
  endDateTime?: pulumi.Input<string | null>;
}

/** A GDAP relationship with one customer (Microsoft Graph `delegatedAdminRelationship`). */
export class DelegatedAdminRelationship extends PackagedDynamicResource {
  declare public readonly displayName: pulumi.Output<string>;
  declare public readonly customerId: pulumi.Output<string>;
  declare public readonly customerDisplayName: pulumi.Output<string | undefined>;
  declare public readonly duration: pulumi.Output<string>;
  /** The roles, as last read from Graph. */
  declare public readonly roleDefinitionIds: pulumi.Output<string[]>;
  declare public readonly autoExtendDuration: pulumi.Output<string>;
  declare public readonly lockForApproval: pulumi.Output<boolean>;
  declare public readonly adopt: pulumi.Output<boolean>;
  /** Graph's status: created, approvalPending, active, expired, terminated, … (current after `pulumi refresh`). */
  declare public readonly status: pulumi.Output<string>;
  /** The link the customer's Global Administrator opens to approve the relationship. */
  declare public readonly approvalUrl: pulumi.Output<string>;
  declare public readonly createdDateTime: pulumi.Output<string | null>;
  /** When the customer approved it; null until then. */
  declare public readonly activatedDateTime: pulumi.Output<string | null>;
  /** When it ends (or ended); null until approved. */
  declare public readonly endDateTime: pulumi.Output<string | null>;

  constructor(name: string, args: DelegatedAdminRelationshipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "relationship",
      "DelegatedAdminRelationship",
      name,
      { customerDisplayName: undefined, duration: undefined, autoExtendDuration: undefined, lockForApproval: undefined, adopt: undefined, ...args, status: undefined, approvalUrl: undefined, createdDateTime: undefined, activatedDateTime: undefined, endDateTime: undefined },
      { ...opts, deleteBeforeReplace: true },
    );
  }

  /**
   * Reads an existing relationship by its Graph id, whatever its status (`pulumi refresh` keeps it
   * current). The id is checked before any call; a relationship Graph does not have, or one of
   * another customer than `state.customerId`, is an error. Reading manages nothing: to manage a
   * relationship that exists, declare it with `adopt: true`.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state?: Pick<DelegatedAdminRelationshipState, "customerId">, opts?: pulumi.CustomResourceOptions): DelegatedAdminRelationship {
    // Every argument named (unset), so that the outputs resolve from what the read returns.
    const args = { displayName: undefined, roleDefinitionIds: undefined, customerId: state?.customerId } as unknown as DelegatedAdminRelationshipArgs;
    return new DelegatedAdminRelationship(name, args, { ...opts, id });
  }
}
