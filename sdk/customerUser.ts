import * as pulumi from "@pulumi/pulumi";
import { PackagedDynamicResource } from "./packagedProvider";

/** Every output named, even when unset, so that `get` resolves them all from what the read returns. */
const everyOutput: Record<string, undefined> = {
  userPrincipalName: undefined, displayName: undefined, firstName: undefined, lastName: undefined,
  usageLocation: undefined, forceChangePassword: undefined, immutableId: undefined, adopt: undefined,
};

/** The arguments of a {@link CustomerUser}. */
export interface CustomerUserArgs {
  /** The customer's tenant id (GUID). Changing it replaces the user. */
  customerId: pulumi.Input<string>;
  /** Sign-in name, `alias@domain`; the domain must be the customer's and not federated. Updates in place. */
  userPrincipalName: pulumi.Input<string>;
  /** Display name. Updates in place. */
  displayName: pulumi.Input<string>;
  /** Given name. Updates in place. */
  firstName?: pulumi.Input<string>;
  /** Surname. Updates in place. */
  lastName?: pulumi.Input<string>;
  /** ISO 3166-1 alpha-2 country code (`US`, `DE`), needed to assign licences. Updates in place. */
  usageLocation: pulumi.Input<string>;
  /** Initial password, kept as a secret; changing it resets the password. 8-256 characters, 3 of 4 character classes. */
  password: pulumi.Input<string>;
  /** Whether the user must change the password at next sign-in. Default true. */
  forceChangePassword?: pulumi.Input<boolean>;
  /** On-premises immutable id (anchor), for synced identities. Updates in place; read back, so a change outside Pulumi shows as drift. */
  immutableId?: pulumi.Input<string>;
  /**
   * Take over an existing active user with the same userPrincipalName instead of failing
   * (`pulumi import` does not work for dynamic providers). Its fields and password are set to these.
   * A user found at create time may be another stack's: after adopting, this stack's `destroy`
   * soft-deletes it (add `retainOnDelete: true` to leave it).
   */
  adopt?: pulumi.Input<boolean>;
}

/** A user in a customer tenant, managed through Partner Center (App+User credentials required). */
export class CustomerUser extends PackagedDynamicResource {
  /** The customer's tenant id. */
  declare public readonly customerId: pulumi.Output<string>;
  declare public readonly userPrincipalName: pulumi.Output<string>;
  declare public readonly displayName: pulumi.Output<string>;
  declare public readonly firstName: pulumi.Output<string | undefined>;
  declare public readonly lastName: pulumi.Output<string | undefined>;
  declare public readonly usageLocation: pulumi.Output<string>;
  /** The password (secret). */
  declare public readonly password: pulumi.Output<string>;
  declare public readonly forceChangePassword: pulumi.Output<boolean>;
  declare public readonly immutableId: pulumi.Output<string | undefined>;
  /** The user's object id in the customer tenant (also the resource id). */
  declare public readonly userId: pulumi.Output<string>;
  /** `active`, or `inactive` when soft-deleted. */
  declare public readonly state: pulumi.Output<string>;
  /** `none` for cloud users, `federated` for federated domains. */
  declare public readonly userDomainType: pulumi.Output<string>;
  /** Last directory sync, or null for cloud-only users. */
  declare public readonly lastDirectorySyncTime: pulumi.Output<string | null>;

  constructor(name: string, args: CustomerUserArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "user",
      "CustomerUser",
      name,
      {
        ...everyOutput,
        ...args,
        password: args?.password === undefined ? undefined : pulumi.secret(args.password),
        userId: undefined,
        state: undefined,
        userDomainType: undefined,
        lastDirectorySyncTime: undefined,
      },
      { ...opts, additionalSecretOutputs: ["password"] },
    );
  }

  /**
   * Reads an existing user that this stack manages, by its id (`pulumi refresh` then keeps it
   * current). To bring an unmanaged user under management, declare it with `adopt: true` instead.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state: { customerId: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions): CustomerUser {
    return new CustomerUser(name, state as CustomerUserArgs, { ...opts, id });
  }
}
