import type { ApiResponse, RequestContext } from "../http/context";
import { graphError } from "../http/errors";
import { ODataError, option, parseFilter, parseSelect, pick } from "../odata/filter";
import type { MtoMember } from "../store/model";
import type { Services } from "../services";

const allFields = ["tenantId", "displayName", "addedDateTime", "joinedDateTime", "addedByTenantId", "role", "state", "transitionDetails"];
const basicFields = ["tenantId", "displayName"];

/** ReadBasic.All sees only displayName and tenantId; Read.All / ReadWrite.All see everything. */
function visibleFields(ctx: RequestContext): string[] {
  const granted = [...(ctx.caller?.roles ?? []), ...(ctx.caller?.scopes ?? [])];
  if (granted.some((p) => p === "MultiTenantOrganization.Read.All" || p === "MultiTenantOrganization.ReadWrite.All")) return allFields;
  if (granted.includes("MultiTenantOrganization.ReadBasic.All")) return basicFields;
  throw graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

/** The multitenant organization belongs to its owner tenant; tokens of other tenants see none. */
function members(ctx: RequestContext, svc: Services): MtoMember[] {
  const tenants = svc.store.seed.multiTenantOrganization.tenants;
  return tenants.some((t) => t.tenantId === ctx.caller?.tenantId) ? tenants : [];
}

function project(ctx: RequestContext, member: MtoMember, visible: string[]): Record<string, unknown> {
  const sel = option(ctx.query, "$select");
  let fields = visible;
  if (sel !== null) {
    try {
      fields = parseSelect(sel, allFields).filter((f) => visible.includes(f));
    } catch (e) {
      if (e instanceof ODataError) throw graphError(400, "BadRequest", e.message);
      throw e;
    }
  }
  return pick(member as unknown as Record<string, unknown>, fields);
}

const contextUrl = (svc: Services, suffix: string) => `${svc.baseUrl}/graph/v1.0/$metadata#tenantRelationships/multiTenantOrganization/tenants${suffix}`;

export function listMembers(ctx: RequestContext, svc: Services): ApiResponse {
  const visible = visibleFields(ctx);
  let rows = members(ctx, svc);
  const filter = option(ctx.query, "$filter");
  if (filter !== null) {
    try {
      const predicate = parseFilter<Record<string, unknown>>(filter, { tenantId: "string" });
      rows = rows.filter((m) => predicate(m as unknown as Record<string, unknown>));
    } catch (e) {
      if (e instanceof ODataError) throw graphError(400, "BadRequest", `Invalid filter clause: ${e.message}`);
      throw e;
    }
  }
  return { status: 200, body: { "@odata.context": contextUrl(svc, ""), value: rows.map((m) => project(ctx, m, visible)) } };
}

export function getMember(ctx: RequestContext, svc: Services): ApiResponse {
  const visible = visibleFields(ctx);
  const member = members(ctx, svc).find((m) => m.tenantId.toLowerCase() === ctx.params.tenantId.toLowerCase());
  if (!member) {
    throw graphError(404, "Request_ResourceNotFound", `Tenant '${ctx.params.tenantId}' is not a member of the multitenant organization.`);
  }
  return { status: 200, body: { "@odata.context": contextUrl(svc, "/$entity"), ...project(ctx, member, visible) } };
}
