import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { relationshipComputedFields, relationshipFields, type relationshipInputsSchema, type RelationshipOutputs } from "../provider/resources/gdapInputs";
import { PackagedDynamicResource } from "./packagedProvider";
import { type InputsOf, type OutputsOf, unset } from "./shapes";

/** The arguments of a {@link DelegatedAdminRelationship} (TSDoc on `relationshipFields`). */
export interface DelegatedAdminRelationshipArgs extends InputsOf<z.input<typeof relationshipInputsSchema>> {}

/** The output properties of a {@link DelegatedAdminRelationship}: its arguments as Graph has them, its status and dates. */
export interface DelegatedAdminRelationship extends OutputsOf<RelationshipOutputs> {}

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
  serviceDisplayName?: pulumi.Input<string>;
}

/** A GDAP relationship with one customer (Microsoft Graph `delegatedAdminRelationship`). */
export class DelegatedAdminRelationship extends PackagedDynamicResource {
  constructor(name: string, args: DelegatedAdminRelationshipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "relationship",
      "DelegatedAdminRelationship",
      name,
      { ...unset(relationshipFields), ...args, ...unset(relationshipComputedFields) },
      // The provider creates a replacement before it ends the old one (Graph never reuses a name, and
      // the partner keeps the old roles until the new relationship is active).
      opts,
    );
  }

  /**
   * Reads an existing relationship by its Graph id, whatever its status (`pulumi refresh` keeps it
   * current). The id is checked before any call; a relationship Graph does not have, or one of
   * another customer than `state.customerId`, is an error. Reading manages nothing: to manage a
   * relationship that exists, declare it with `adopt: true`.
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: Pick<DelegatedAdminRelationshipState, "customerId">,
    opts?: pulumi.CustomResourceOptions,
  ): DelegatedAdminRelationship {
    // Every argument named (unset), so that the outputs resolve from what the read returns.
    const args = { displayName: undefined, roleDefinitionIds: undefined, customerId: state?.customerId } as unknown as DelegatedAdminRelationshipArgs;
    return new DelegatedAdminRelationship(name, args, { ...opts, id });
  }
}
