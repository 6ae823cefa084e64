import { requireAppUser } from "../auth/bearer";
import type { ApiResponse, RequestContext } from "../http/context";
import { partnerCenterError } from "../http/errors";
import { ODataError, option, parseFilter, parseOrderBy, parseSelect, pick, type Fields } from "../odata/filter";
import type { Customer } from "../store/model";
import type { Services } from "../services";
import { partnerOf } from "../seed/partners";

/**
 * The delegated-admin customers API, kept apart because Microsoft documents it as short lived
 * (DAP deprecation). Errors use the Partner Center body with source CustomerServiceAdminApi.
 */
const maxTop = 300;

const fields: Fields = {
  id: "string",
  customerTenantId: "string",
  organizationDisplayName: "string",
  partnerAgentCount: "number",
  partnerSignInCount: "number",
  globalAdminSignInCount: "number",
  dapEnabled: "boolean",
  startDateTime: "datetime",
  endDateTime: "datetime",
  lastSignInDateTime: "datetime",
};

const orderable: Fields = {
  organizationDisplayName: "string",
  dapEnabled: "boolean",
  startDateTime: "datetime",
  lastSignInDateTime: "datetime",
};

const badQuery = (message: string) =>
  partnerCenterError(400, "2000", `The query specified in the URI is not valid. ${message}`, { source: "CustomerServiceAdminApi" });

function toRow(c: Customer): Record<string, unknown> {
  return {
    id: c.id,
    customerTenantId: c.id,
    organizationDisplayName: c.organization.displayName,
    partnerAgentCount: c.partnerAgentCount,
    partnerSignInCount: c.partnerSignInCount,
    globalAdminSignInCount: c.globalAdminSignInCount,
    dapEnabled: c.dapEnabled,
    startDateTime: c.startDateTime,
    endDateTime: c.endDateTime,
    lastSignInDateTime: c.lastSignInDateTime,
  };
}

function nonNegativeInt(name: string, raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) throw badQuery(`Invalid value '${raw}' for ${name}: expected a non-negative integer.`);
  return n;
}

export function listDelegatedAdminCustomers(ctx: RequestContext, svc: Services): ApiResponse {
  requireAppUser(ctx);
  const q = ctx.query;
  // Only the calling partner tenant's customers.
  let rows = svc.store
    .listCustomers()
    .filter((c) => partnerOf(svc.store.seed, c.id) === ctx.caller?.tenantId)
    .map(toRow);
  let select: string[] | undefined;
  let top: number | undefined;
  let skip: number;
  try {
    top = nonNegativeInt("$top", option(q, "$top"));
    if (top !== undefined && top > maxTop) {
      throw badQuery(`The limit of '${maxTop}' for Top query has been exceeded. The value from the incoming request is '${top}'.`);
    }
    skip = nonNegativeInt("$skip", option(q, "$skip")) ?? 0;
    const filter = option(q, "$filter");
    if (filter !== null) rows = rows.filter(parseFilter(filter, fields));
    const orderBy = option(q, "$orderBy");
    if (orderBy !== null) rows.sort(parseOrderBy(orderBy, orderable));
    const sel = option(q, "$select");
    if (sel !== null) select = parseSelect(sel, Object.keys(fields));
  } catch (e) {
    if (e instanceof ODataError) throw badQuery(e.message);
    throw e;
  }
  const count = option(q, "$count");
  if (count !== null && !/^(true|false)$/i.test(count)) throw badQuery(`Invalid value '${count}' for $count: expected true or false.`);

  const pageSize = svc.store.seed.settings.delegatedAdminPageSize;
  const limit = top ?? Number.POSITIVE_INFINITY;
  const take = Math.min(limit, pageSize);
  const page = rows.slice(skip, skip + take);
  const body: Record<string, unknown> = {
    "@odata.context": `${svc.baseUrl}/delegatedadmin/CustomerServiceAdminApi/Web/v1/$metadata#delegatedAdminCustomers${select ? `(${select.join(",")})` : ""}`,
  };
  if (count?.toLowerCase() === "true") body["@odata.count"] = rows.length;
  body.value = page.map((r) => pick(r, select));
  // More rows remain within what the client asked for: point at them (the migration tool follows this link).
  if (skip + take < rows.length && take < limit) {
    const next = new URLSearchParams(q);
    for (const k of [...next.keys()]) if (/^\$(skip|top)$/i.test(k)) next.delete(k);
    next.set("$skip", String(skip + take));
    if (top !== undefined) next.set("$top", String(top - take));
    body["@odata.nextLink"] = `${svc.baseUrl}${ctx.url.pathname}?${next.toString()}`;
  }
  return { status: 200, body };
}
