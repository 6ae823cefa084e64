import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { relationshipComputedFields, relationshipFields, type relationshipInputsSchema, type RelationshipOutputs } from "../provider/resources/gdapInputs";
import { PackagedDynamicResource } from "./packagedProvider";
import { type InputsOf, type OutputsOf, unset } from "./shapes";

/** The arguments of a {@link DelegatedAdminRelationship} (TSDoc on `relationshipFields`). */
export interface DelegatedAdminRelationshipArgs extends InputsOf<z.input<typeof relationshipInputsSchema>> {}

/** The output properties of a {@link DelegatedAdminRelationship}: its arguments as Graph has them, its status and dates. */
export interface DelegatedAdminRelationship extends OutputsOf<RelationshipOutputs> {}

/** A GDAP relationship with one customer (Microsoft Graph `delegatedAdminRelationship`). */
export class DelegatedAdminRelationship extends PackagedDynamicResource {
  constructor(name: string, args: DelegatedAdminRelationshipArgs, opts?: pulumi.CustomResourceOptions) {
    super("relationship", "DelegatedAdminRelationship", name, { ...unset(relationshipFields), ...args, ...unset(relationshipComputedFields) }, { ...opts, deleteBeforeReplace: true });
  }
}
