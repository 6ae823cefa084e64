/** What the SDK's serialized providers load in the provider process (`pulumi-partnercenter/dynamic`). */
export { customerUserProvider as user } from "./customerUser";
export { applicationConsentProvider as consent } from "./applicationConsent";
