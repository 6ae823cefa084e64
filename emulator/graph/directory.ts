import type { ApiResponse, RequestContext } from "../http/context";
import { graphError } from "../http/errors";
import { ODataError, option, parseFilter } from "../odata/filter";
import type { PermissionGrant, ServicePrincipal } from "../store/model";
import type { Services } from "../services";

/**
 * The customer tenant's directory as Graph shows it, read with a token of that tenant (the token's
 * `tid` is the tenant being read). This is where a CPV consent becomes visible.
 */
function tenantServicePrincipals(ctx: RequestContext, svc: Services): ServicePrincipal[] {
  const tenant = ctx.caller?.tenantId ?? "";
  return svc.store.getCustomer(tenant) ? svc.store.listServicePrincipals(tenant) : [];
}

function tenantGrants(ctx: RequestContext, svc: Services): PermissionGrant[] {
  const tenant = ctx.caller?.tenantId ?? "";
  return svc.store.getCustomer(tenant) ? svc.store.listGrants(tenant) : [];
}

const spToWire = (sp: ServicePrincipal) => ({
  id: sp.id,
  appId: sp.appId,
  displayName: sp.displayName,
  accountEnabled: true,
  servicePrincipalType: "Application",
});

function filtered<T extends object>(ctx: RequestContext, rows: T[], fields: Record<string, "string">): T[] {
  const filter = option(ctx.query, "$filter");
  if (filter === null) return rows;
  try {
    const predicate = parseFilter<Record<string, unknown>>(filter, fields);
    return rows.filter((r) => predicate(r as unknown as Record<string, unknown>));
  } catch (e) {
    if (e instanceof ODataError) throw graphError(400, "BadRequest", `Invalid filter clause: ${e.message}`);
    throw e;
  }
}

export function getServicePrincipalByAppId(ctx: RequestContext, svc: Services): ApiResponse {
  const appId = ctx.params.appId.toLowerCase();
  const sp = tenantServicePrincipals(ctx, svc).find((s) => s.appId.toLowerCase() === appId);
  if (!sp) {
    throw graphError(
      404,
      "Request_ResourceNotFound",
      `Resource '${ctx.params.appId}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  return { status: 200, body: { "@odata.context": `${svc.baseUrl}/graph/v1.0/$metadata#servicePrincipals/$entity`, ...spToWire(sp) } };
}

/** `GET /servicePrincipals/{id}`: by object id, in the token's tenant. */
export function getServicePrincipal(ctx: RequestContext, svc: Services): ApiResponse {
  const id = ctx.params.id.toLowerCase();
  const sp = tenantServicePrincipals(ctx, svc).find((s) => s.id.toLowerCase() === id);
  if (!sp) {
    throw graphError(
      404,
      "Request_ResourceNotFound",
      `Resource '${ctx.params.id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  return { status: 200, body: { "@odata.context": `${svc.baseUrl}/graph/v1.0/$metadata#servicePrincipals/$entity`, ...spToWire(sp) } };
}

export function listServicePrincipals(ctx: RequestContext, svc: Services): ApiResponse {
  const rows = filtered(ctx, tenantServicePrincipals(ctx, svc), { id: "string", appId: "string", displayName: "string" });
  return { status: 200, body: { "@odata.context": `${svc.baseUrl}/graph/v1.0/$metadata#servicePrincipals`, value: rows.map(spToWire) } };
}

export function listPermissionGrants(ctx: RequestContext, svc: Services): ApiResponse {
  const rows = filtered(ctx, tenantGrants(ctx, svc), { id: "string", clientId: "string", resourceId: "string", consentType: "string", principalId: "string" });
  return {
    status: 200,
    body: {
      "@odata.context": `${svc.baseUrl}/graph/v1.0/$metadata#oauth2PermissionGrants`,
      value: rows.map((g) => ({ id: g.id, clientId: g.clientId, consentType: g.consentType, principalId: null, resourceId: g.resourceId, scope: g.scope })),
    },
  };
}
