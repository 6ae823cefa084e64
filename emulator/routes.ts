import { adminHandlers, type AdminDefaults } from "./admin/handlers";
import { discoveryRoutesHandlers } from "./auth/discovery";
import { tokenEndpoint } from "./auth/tokenEndpoint";
import { listDelegatedAdminCustomers } from "./delegatedadmin/customers";
import { getServicePrincipal, getServicePrincipalByAppId, listPermissionGrants, listServicePrincipals } from "./graph/directory";
import { getMember, listMembers } from "./graph/mto";
import { listDomains } from "./graph/domains";
import { gdapAdmin } from "./gdap/admin";
import { createAssignment, deleteAssignment, getAssignment, getOperation, listAssignments, listOperations, updateAssignment } from "./gdap/accessAssignments";
import { createRelationship, createRequest, deleteRelationship, getRelationship, listRelationships, updateRelationship } from "./gdap/relationships";
import { addRoleMember, listDirectoryRoles, listRoleMembers, removeRoleMember } from "./partnercenter/directoryRoles";
import { route, Router } from "./http/router";
import { createConsent, deleteConsent } from "./partnercenter/consents";
import { getOrganization } from "./partnercenter/organization";
import { createUser, deleteUser, getUser, listUsers, updateUser } from "./partnercenter/users";

const pc = "/partnercenter/v1/customers/:customerId";
const da = "/delegatedadmin/CustomerServiceAdminApi/Web/v1";
const graph = "/graph/v1.0";
const gdap = `${graph}/tenantRelationships/delegatedAdminRelationships`;

/** The whole surface of the emulator in one table: path, API, route group, token kind, handler. */
export function buildRouter(defaults: AdminDefaults): Router {
  const sts = { api: "sts", group: "token", auth: "none" } as const;
  const users = { api: "partnercenter", group: "users", auth: "partnercenter" } as const;
  const consents = { api: "partnercenter", group: "consents", auth: "partnercenter" } as const;
  const org = { api: "partnercenter", group: "organization", auth: "partnercenter" } as const;
  const gr = { api: "graph", group: "graph", auth: "graph" } as const;
  const roles = { api: "partnercenter", group: "directoryRoles", auth: "partnercenter" } as const;
  const gd = { api: "graph", group: "gdap", auth: "graph" } as const;
  const admin = { api: "admin", group: "admin", auth: "none" } as const;
  const d = discoveryRoutesHandlers();
  const a = adminHandlers(defaults);

  return new Router([
    // Entra ID
    route("POST", "/:tenant/oauth2/v2.0/token", sts, tokenEndpoint),
    route("GET", "/:tenant/v2.0/.well-known/openid-configuration", { ...sts, group: "discovery" }, d.openid),
    route("GET", "/:tenant/discovery/v2.0/keys", { ...sts, group: "discovery" }, d.keys),
    route("GET", "/common/discovery/instance", { ...sts, group: "discovery" }, d.instance),

    // Partner Center
    route("POST", `${pc}/users`, { ...users, idempotent: true }, createUser),
    route("GET", `${pc}/users`, users, listUsers),
    route("GET", `${pc}/users/:userId`, users, getUser),
    route("PATCH", `${pc}/users/:userId`, { ...users, idempotent: true }, updateUser),
    route("DELETE", `${pc}/users/:userId`, { ...users, idempotent: true }, deleteUser),
    route("POST", `${pc}/applicationconsents`, { ...consents, idempotent: true }, createConsent),
    route("DELETE", `${pc}/applicationconsents/:applicationId`, { ...consents, idempotent: true }, deleteConsent),
    route("GET", `${pc}/organization`, org, getOrganization),
    route("GET", `${pc}/directoryroles`, roles, listDirectoryRoles),
    route("GET", `${pc}/directoryroles/:roleId/usermembers`, roles, listRoleMembers),
    route("POST", `${pc}/directoryroles/:roleId/usermembers`, { ...roles, idempotent: true }, addRoleMember),
    route("DELETE", `${pc}/directoryroles/:roleId/usermembers/:userId`, { ...roles, idempotent: true }, removeRoleMember),

    // Delegated admin customers (short lived API, isolated in delegatedadmin/)
    route("GET", `${da}/delegatedAdminCustomers`, { api: "delegatedadmin", group: "delegatedAdmin", auth: "delegatedadmin" }, listDelegatedAdminCustomers),

    // Microsoft Graph
    route("GET", `${graph}/tenantRelationships/multiTenantOrganization/tenants`, gr, listMembers),
    route("GET", `${graph}/tenantRelationships/multiTenantOrganization/tenants/:tenantId`, gr, getMember),
    route("GET", `${graph}/servicePrincipals(appId=':appId')`, gr, getServicePrincipalByAppId),
    route("GET", `${graph}/servicePrincipals`, gr, listServicePrincipals),
    route("GET", `${graph}/servicePrincipals/:id`, gr, getServicePrincipal),
    route("GET", `${graph}/oauth2PermissionGrants`, gr, listPermissionGrants),
    route("GET", `${graph}/domains`, gr, listDomains),
    route("GET", gdap, gd, listRelationships),
    route("POST", gdap, gd, createRelationship),
    route("GET", `${gdap}/:relationshipId`, gd, getRelationship),
    route("PATCH", `${gdap}/:relationshipId`, gd, updateRelationship),
    route("DELETE", `${gdap}/:relationshipId`, gd, deleteRelationship),
    route("POST", `${gdap}/:relationshipId/requests`, gd, createRequest),
    route("GET", `${gdap}/:relationshipId/accessAssignments`, gd, listAssignments),
    route("POST", `${gdap}/:relationshipId/accessAssignments`, gd, createAssignment),
    route("GET", `${gdap}/:relationshipId/accessAssignments/:assignmentId`, gd, getAssignment),
    route("PATCH", `${gdap}/:relationshipId/accessAssignments/:assignmentId`, gd, updateAssignment),
    route("DELETE", `${gdap}/:relationshipId/accessAssignments/:assignmentId`, gd, deleteAssignment),
    route("GET", `${gdap}/:relationshipId/operations`, gd, listOperations),
    route("GET", `${gdap}/:relationshipId/operations/:operationId`, gd, getOperation),

    // Admin API
    route("GET", "/_emulator/health", admin, a.health),
    route("POST", "/_emulator/reset", admin, a.reset),
    route("POST", "/_emulator/seed", admin, a.loadSeed),
    route("GET", "/_emulator/inventory", admin, a.inventory),
    route("PATCH", "/_emulator/customers/:customerId", admin, a.patchCustomer),
    route("PATCH", "/_emulator/customers/:customerId/users/:userId", admin, a.patchUser),
    route("DELETE", "/_emulator/customers/:customerId/users/:userId", admin, a.deleteUser),
    route("DELETE", "/_emulator/customers/:customerId/oauth2PermissionGrants/:grantId/scopes/:scope", admin, a.removeGrantScope),
    route("DELETE", "/_emulator/customers/:customerId/oauth2PermissionGrants/:grantId", admin, a.deleteGrant),
    route("DELETE", "/_emulator/customers/:customerId/servicePrincipals/:appId", admin, a.deleteServicePrincipal),
    route("GET", "/_emulator/delegatedAdminRelationships", admin, gdapAdmin.list),
    route("POST", "/_emulator/delegatedAdminRelationships/:relationshipId/approve", admin, gdapAdmin.approve),
    route("POST", "/_emulator/delegatedAdminRelationships/:relationshipId/terminate", admin, gdapAdmin.terminate),
    route("PUT", "/_emulator/delegatedAdminRelationships/:relationshipId/accessAssignments/:assignmentId/roles", admin, gdapAdmin.setAssignmentRoles),
    route("DELETE", "/_emulator/customers/:customerId/directoryroles/:roleId/usermembers/:userId", admin, gdapAdmin.removeRoleMember),
    route("GET", "/_emulator/clock", admin, a.getClock),
    route("POST", "/_emulator/clock", admin, a.advanceClock),
    route("GET", "/_emulator/faults", admin, a.getFaults),
    route("PUT", "/_emulator/faults", admin, a.putFaults),
    route("GET", "/_emulator/limits", admin, a.getLimits),
    route("PUT", "/_emulator/limits", admin, a.putLimits),
    route("GET", "/_emulator/latency", admin, a.getLatency),
    route("PUT", "/_emulator/latency", admin, a.putLatency),
    route("GET", "/_emulator/metrics", admin, a.metrics),
    route("POST", "/_emulator/metrics/reset", admin, a.resetMetrics),
    route("GET", "/_emulator/requests", admin, a.requests),
    route("DELETE", "/_emulator/requests", admin, a.clearRequests),
    route("POST", "/_emulator/revoke-refresh-token", admin, a.revokeRefreshToken),
    route("PUT", "/_emulator/applications/:clientId/secret", admin, a.setClientSecret),
    route("GET", "/_emulator/oidc/.well-known/openid-configuration", admin, a.oidcDiscovery),
    route("GET", "/_emulator/oidc/keys", admin, a.oidcKeys),
    route("POST", "/_emulator/oidc/token", admin, a.oidcToken),
  ]);
}
