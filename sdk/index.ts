/**
 * pulumi-partnercenter: manage Microsoft CSP customer tenants with Pulumi.
 *
 *   import * as partnercenter from "pulumi-partnercenter";
 */
export { CustomerUser, CustomerUserArgs } from "./customerUser";
export { ApplicationConsent, ApplicationConsentArgs, ApplicationGrant } from "./applicationConsent";
export * from "./dataSources";
export { PartnerCenterError, isPartnerCenterError } from "../provider/errors";
export { configKeys } from "../provider/config";
export { selectShard, rateLimitPerShard } from "./rollout";
export { DelegatedAdminRelationship, DelegatedAdminRelationshipArgs } from "./delegatedAdminRelationship";
export { DelegatedAdminAccessAssignment, DelegatedAdminAccessAssignmentArgs } from "./delegatedAdminAccessAssignment";
export { CustomerUserRoleAssignment, CustomerUserRoleAssignmentArgs } from "./customerUserRoleAssignment";
export * from "./gdapDataSources";
