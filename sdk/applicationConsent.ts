import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { applicationConsentInputsSchema, ApplicationConsentInputs, applicationGrantInputSchema } from "../provider/resources/inputs";
import { PackagedDynamicResource } from "./packagedProvider";
import type { InputsOf, OutputsOf } from "./shapes";

/** One resource application the consented app gets delegated permissions on (TSDoc on `applicationGrantFields`). */
export interface ApplicationGrant extends InputsOf<z.input<typeof applicationGrantInputSchema>> {}

/** The arguments of an {@link ApplicationConsent} (TSDoc on `applicationConsentFields`). Any change but the flags replaces the consent (delete, then create). */
export interface ApplicationConsentArgs extends InputsOf<z.input<typeof applicationConsentInputsSchema>> {}

/** The output properties of an {@link ApplicationConsent}: its arguments, with the grants as last read back through Graph. */
export interface ApplicationConsent extends OutputsOf<ApplicationConsentInputs> {}

/** Control Panel Vendor consent of an application in a customer tenant. */
export class ApplicationConsent extends PackagedDynamicResource {
  constructor(name: string, args: ApplicationConsentArgs, opts?: pulumi.CustomResourceOptions) {
    super("consent", "ApplicationConsent", name, { ...args }, { ...opts, deleteBeforeReplace: true });
  }
}
