import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import {
  customerUserComputedFields,
  customerUserFields,
  type customerUserInputsSchema,
  type CustomerUserOutputs,
  customerUserSecretFields,
} from "../provider/resources/inputs";
import { PackagedDynamicResource } from "./packagedProvider";
import { type InputsOf, type OutputsOf, unset } from "./shapes";

/** The arguments of a {@link CustomerUser} (each field's TSDoc is on `customerUserFields`). */
export interface CustomerUserArgs extends InputsOf<z.input<typeof customerUserInputsSchema>> {}

/** What {@link CustomerUser.get} reads with: the user's customerId is needed to find it; any other field is optional. */
export interface CustomerUserState extends InputsOf<Partial<CustomerUserOutputs>> {
  /** The customer's tenant id (GUID). */
  customerId: pulumi.Input<string>;
}

/** The output properties of a {@link CustomerUser}: its arguments as the service has them, and what the service computes. */
export interface CustomerUser extends OutputsOf<CustomerUserOutputs> {}

/** A user in a customer tenant, managed through Partner Center (App+User credentials required). */
export class CustomerUser extends PackagedDynamicResource {
  constructor(name: string, args: CustomerUserArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "user",
      "CustomerUser",
      name,
      { ...unset(customerUserFields, customerUserComputedFields), ...args, password: args?.password === undefined ? undefined : pulumi.secret(args.password) },
      { ...opts, additionalSecretOutputs: [...customerUserSecretFields] },
    );
  }

  /**
   * Reads an existing user that this stack manages, by its id (`pulumi refresh` then keeps it
   * current). To bring an unmanaged user under management, declare it with `adopt: true` instead.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state: CustomerUserState, opts?: pulumi.CustomResourceOptions): CustomerUser {
    return new CustomerUser(name, state as CustomerUserArgs, { ...opts, id });
  }
}
