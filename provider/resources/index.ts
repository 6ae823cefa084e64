/** What the SDK's serialized providers load in the provider process (`pulumi-partnercenter/dynamic`). */
import { watchEngine } from "../lifeline";

// Loaded only by the dynamic-provider host: end with the engine (see lifeline.ts).
watchEngine();

export { customerUserProvider as user } from "./customerUser";
export { applicationConsentProvider as consent } from "./applicationConsent";
export { delegatedAdminRelationshipProvider as relationship } from "./delegatedAdminRelationship";
export { delegatedAdminAccessAssignmentProvider as accessAssignment } from "./delegatedAdminAccessAssignment";
export { customerUserRoleAssignmentProvider as roleMember } from "./customerUserRoleAssignment";
