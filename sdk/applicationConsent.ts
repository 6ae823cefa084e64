import * as pulumi from "@pulumi/pulumi";
import { PackagedDynamicResource } from "./packagedProvider";

/** One resource application the consented app gets delegated permissions on. */
export interface ApplicationGrant {
  /** The appId of the resource application, e.g. Microsoft Graph `00000003-0000-0000-c000-000000000000`. */
  enterpriseApplicationId: pulumi.Input<string>;
  /** Permission names, e.g. `["User.Read.All", "Directory.Read.All"]`. */
  scopes: pulumi.Input<pulumi.Input<string>[]>;
}

/** The arguments of an {@link ApplicationConsent}. Any change replaces the consent (delete, then create). */
export interface ApplicationConsentArgs {
  /** The customer's tenant id (GUID). */
  customerId: pulumi.Input<string>;
  /** The CPV application's id (GUID). */
  applicationId: pulumi.Input<string>;
  /** The application's display name. */
  displayName: pulumi.Input<string>;
  /** What the application is granted, one entry per resource application. */
  grants: pulumi.Input<pulumi.Input<ApplicationGrant>[]>;
  /** When a different consent for this application already exists: delete and re-create it instead of failing. Default false. */
  replaceExisting?: pulumi.Input<boolean>;
  /**
   * Take over a consent that already exists with exactly these grants, instead of failing. A consent
   * found at create time may be another stack's: after adopting, this stack's `destroy` deletes it
   * (add `retainOnDelete: true` to leave it). Default false.
   */
  adopt?: pulumi.Input<boolean>;
}

/** Control Panel Vendor consent of an application in a customer tenant. */
export class ApplicationConsent extends PackagedDynamicResource {
  declare public readonly customerId: pulumi.Output<string>;
  declare public readonly applicationId: pulumi.Output<string>;
  declare public readonly displayName: pulumi.Output<string>;
  /** The grants, as last read back from the customer tenant through Graph. */
  declare public readonly grants: pulumi.Output<{ enterpriseApplicationId: string; scopes: string[] }[]>;
  declare public readonly replaceExisting: pulumi.Output<boolean>;
  declare public readonly adopt: pulumi.Output<boolean>;

  constructor(name: string, args: ApplicationConsentArgs, opts?: pulumi.CustomResourceOptions) {
    super("consent", "ApplicationConsent", name, { ...args }, { ...opts, deleteBeforeReplace: true });
  }
}
