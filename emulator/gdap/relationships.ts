/**
 * Graph's GDAP API (`/tenantRelationships/delegatedAdminRelationships`), as the partner sees it:
 * relationships, their `requests` (lockForApproval, terminate) and, in accessAssignments.ts, their
 * access assignments. Shapes follow Graph v1.0's documented resources; what the docs leave open is
 * marked "Chosen:" and listed in the README.
 */
import { randomUUID } from "crypto";
import { z } from "zod";
import { guidSchema as guid } from "../ids";
import { builtInRoles } from "../../provider/clients/builtInRoles";
import { isBuiltInRoleTemplate, isNilGuid, relationshipNameProblem } from "../../provider/clients/gdapRules";
import type { ApiResponse, RequestContext } from "../http/context";
import { readJsonBody } from "../http/context";
import { graphError, ServiceError } from "../http/errors";
import { ODataError, option, parseFilter } from "../odata/filter";
import type { DelegatedAdminRelationship } from "../store/model";
import type { Services } from "../services";
import { durationDays, settle } from "./lifecycle";

const duration = z.string().refine((d) => {
  const days = durationDays(d);
  return days !== undefined && days >= 1 && days <= 730;
}, "must be an ISO 8601 duration in days between P1D and P730D");
const autoExtend = z.enum(["P180D", "PT0S"], { error: "must be P180D or PT0S" });
/** Documented: unifiedRoles are Entra built-in roles (role template ids). */
export const unifiedRoles = z
  .array(z.object({ roleDefinitionId: guid.refine(isBuiltInRoleTemplate, "must be the template id of a Microsoft Entra built-in role") }))
  .min(1, "must name at least one role")
  .max(Object.keys(builtInRoles).length, "names more roles than Entra has built-in roles");

const createBody = z.object({
  displayName: z.string().superRefine((name, ctx) => {
    const problem = relationshipNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  duration,
  customer: z
    .object({ tenantId: guid.refine((id) => !isNilGuid(id), "must be a tenant id, not the nil GUID"), displayName: z.string().max(256).optional() })
    .optional(),
  accessDetails: z.object({ unifiedRoles }),
  autoExtendDuration: autoExtend.default("PT0S"),
});
const patchBody = createBody.partial().strict();

export const badRequest = (message: string): ServiceError => graphError(400, "badRequest", message);
export const notFound = (what: string): ServiceError => graphError(404, "notFound", `${what} was not found.`);

export function parse<S extends z.ZodTypeAny>(ctx: RequestContext, schema: S): z.infer<S> {
  const raw = readJsonBody(ctx);
  if (!raw.ok) throw badRequest(raw.reason);
  const parsed = schema.safeParse(raw.value);
  if (!parsed.success)
    throw badRequest(`The request body is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** GDAP is the partner's: a token of the partner tenant with DelegatedAdminRelationship.Read(Write).All. */
export function requirePartner(ctx: RequestContext, svc: Services, write: boolean): void {
  if (ctx.caller?.tenantId !== svc.store.seed.partner.tenantId) {
    // The seed's further `partners` have no GDAP in this emulator: their relationships would need a store of their own.
    const other = svc.store.seed.partners.some((p) => p.tenantId === ctx.caller?.tenantId);
    throw graphError(
      403,
      "Authorization_RequestDenied",
      other
        ? "Delegated admin relationships are emulated for the seed's partner tenant only, not for the seed's further partners."
        : "Delegated admin relationships are managed with a token of the partner tenant.",
    );
  }
  const granted = [...(ctx.caller.roles ?? []), ...(ctx.caller.scopes ?? [])];
  const accepted = write ? ["DelegatedAdminRelationship.ReadWrite.All"] : ["DelegatedAdminRelationship.Read.All", "DelegatedAdminRelationship.ReadWrite.All"];
  if (!granted.some((p) => accepted.includes(p))) {
    throw graphError(403, "Authorization_RequestDenied", `Insufficient privileges to complete the operation: needs ${accepted.join(" or ")}.`);
  }
  settle(svc);
}

export const etagOf = (id: string, version: number) => `W/"${Buffer.from(`${id}:${version}`).toString("base64")}"`;

/** Chosen: writes that Graph documents with If-Match answer 428 without one and 412 with a stale one. */
export function requireIfMatch(ctx: RequestContext, id: string, version: number): void {
  const given = ctx.req.headers["if-match"];
  if (!given) throw graphError(428, "preconditionRequired", "This request requires an If-Match header with the object's current etag.");
  if (given !== "*" && given !== etagOf(id, version))
    throw graphError(412, "preconditionFailed", "The etag in If-Match does not match the object's current etag.");
}

const base = (svc: Services) => `${svc.baseUrl}/graph/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships`;

export function relationshipToWire(r: DelegatedAdminRelationship): Record<string, unknown> {
  return {
    "@odata.etag": etagOf(r.id, r.version),
    id: r.id,
    displayName: r.displayName,
    duration: r.duration,
    customer: r.customer,
    accessDetails: { unifiedRoles: r.unifiedRoles.map((roleDefinitionId) => ({ roleDefinitionId })) },
    status: r.status,
    autoExtendDuration: r.autoExtendDuration,
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
    activatedDateTime: r.activatedDateTime,
    endDateTime: r.endDateTime,
  };
}

const answer = (svc: Services, r: DelegatedAdminRelationship, status = 200): ApiResponse => ({
  status,
  headers: { ETag: etagOf(r.id, r.version) },
  body: { "@odata.context": `${base(svc)}/$entity`, ...relationshipToWire(r) },
});

export function relationshipOr404(svc: Services, id: string): DelegatedAdminRelationship {
  const r = svc.store.getRelationship(id);
  if (!r) throw notFound(`The delegated admin relationship '${id}'`);
  return r;
}

function checkRoles(roles: string[], autoExtendDuration: string): void {
  // Documented: a relationship with Global Administrator cannot be auto-extended.
  if (autoExtendDuration !== "PT0S" && roles.some((r) => r.toLowerCase() === builtInRoles["Global Administrator"])) {
    throw badRequest("autoExtendDuration must be PT0S for a relationship that includes the Global Administrator role.");
  }
}

/**
 * Chosen: names compare ignoring case, as `$filter=displayName eq '…'` does (Graph's string
 * comparisons in $filter ignore case; its docs give the uniqueness rule no case of its own), so that
 * search and uniqueness follow one rule.
 */
export const sameDisplayName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function uniqueName(svc: Services, displayName: string, exceptId?: string): void {
  // Documented (delegatedAdminRelationship resource, displayName): "Must be unique across *all*
  // delegated admin relationships of the partner": ended ones included, so a name is never reused.
  if (svc.store.listRelationships().some((r) => r.id !== exceptId && sameDisplayName(r.displayName, displayName))) {
    throw graphError(409, "conflict", `A delegated admin relationship with the display name '${displayName}' already exists.`);
  }
}

export function listRelationships(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, false);
  let rows = svc.store.listRelationships();
  const filter = option(ctx.query, "$filter");
  if (filter !== null) {
    try {
      const predicate = parseFilter<Record<string, unknown>>(filter, { id: "string", displayName: "string", status: "string", "customer/tenantId": "string" });
      rows = rows.filter((r) => predicate({ id: r.id, displayName: r.displayName, status: r.status, "customer/tenantId": r.customer?.tenantId ?? null }));
    } catch (e) {
      if (e instanceof ODataError) throw badRequest(`Invalid filter clause: ${e.message}`);
      throw e;
    }
  }
  // Chosen: one page of at most 300 (Graph's documented $top maximum), then @odata.nextLink with $skiptoken.
  const token = option(ctx.query, "$skiptoken");
  if (token !== null && !/^\d{1,9}$/.test(token)) throw badRequest(`Invalid $skiptoken '${token}': use the @odata.nextLink of the previous page.`);
  const skip = Number(token ?? 0);
  const page = rows.slice(skip, skip + 300);
  const next = new URL(ctx.url.toString());
  next.searchParams.set("$skiptoken", String(skip + 300));
  return {
    status: 200,
    body: {
      "@odata.context": base(svc),
      ...(skip + 300 < rows.length ? { "@odata.nextLink": `${svc.baseUrl}${ctx.url.pathname}${next.search}` } : {}),
      value: page.map(relationshipToWire),
    },
  };
}

export function getRelationship(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, false);
  return answer(svc, relationshipOr404(svc, ctx.params.relationshipId));
}

export function createRelationship(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, true);
  const body = parse(ctx, createBody);
  const roles = body.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId.toLowerCase());
  checkRoles(roles, body.autoExtendDuration);
  uniqueName(svc, body.displayName);
  let customer: DelegatedAdminRelationship["customer"] = null;
  if (body.customer) {
    const known = svc.store.getCustomer(body.customer.tenantId);
    customer = { tenantId: body.customer.tenantId.toLowerCase(), displayName: body.customer.displayName ?? known?.organization.displayName ?? "" };
  }
  const now = svc.clock.now().toISOString();
  // Graph's ids are the partner's GUID and the customer's, joined; the emulator makes one of that shape.
  const id = `${randomUUID()}-${customer?.tenantId ?? randomUUID()}`;
  const r: DelegatedAdminRelationship = {
    id,
    displayName: body.displayName,
    duration: body.duration,
    customer,
    unifiedRoles: roles,
    autoExtendDuration: body.autoExtendDuration,
    status: "created",
    createdDateTime: now,
    lastModifiedDateTime: now,
    activatedDateTime: null,
    endDateTime: null,
    version: 1,
  };
  svc.store.putRelationship(r);
  return answer(svc, r, 201);
}

export function updateRelationship(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, true);
  const r = relationshipOr404(svc, ctx.params.relationshipId);
  requireIfMatch(ctx, r.id, r.version);
  const body = parse(ctx, patchBody);
  // Documented (delegatedadminrelationship-update): "You can update this relationship when its status
  // property is created" and "the autoExtendDuration property when status is either created or active".
  const onlyAutoExtend = Object.keys(body).every((k) => k === "autoExtendDuration");
  const editable = r.status === "created" || (onlyAutoExtend && r.status === "active");
  if (!editable) {
    throw badRequest(`The relationship is ${r.status}: only a relationship in status created can be changed, and its autoExtendDuration also while active.`);
  }
  const roles = body.accessDetails ? body.accessDetails.unifiedRoles.map((x) => x.roleDefinitionId.toLowerCase()) : r.unifiedRoles;
  const autoExtendDuration = body.autoExtendDuration ?? r.autoExtendDuration;
  checkRoles(roles, autoExtendDuration);
  if (body.displayName !== undefined) uniqueName(svc, body.displayName, r.id);
  const next: DelegatedAdminRelationship = {
    ...r,
    displayName: body.displayName ?? r.displayName,
    duration: body.duration ?? r.duration,
    customer: body.customer ? { tenantId: body.customer.tenantId.toLowerCase(), displayName: body.customer.displayName ?? "" } : r.customer,
    unifiedRoles: roles,
    autoExtendDuration,
    lastModifiedDateTime: svc.clock.now().toISOString(),
    version: r.version + 1,
  };
  svc.store.putRelationship(next);
  return answer(svc, next);
}

/** Documented (delegatedadminrelationship-delete): "A relationship can only be deleted if it's in the 'created' status". */
export function deleteRelationship(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, true);
  const r = relationshipOr404(svc, ctx.params.relationshipId);
  requireIfMatch(ctx, r.id, r.version);
  if (r.status !== "created") {
    throw badRequest(`The relationship is ${r.status}: a relationship can only be deleted in status created; end an active one with a terminate request.`);
  }
  svc.store.deleteRelationship(r.id);
  return { status: 204 };
}

const requestBody = z.object({ action: z.enum(["lockForApproval", "approve", "terminate", "reject"]) });

/**
 * `POST …/{id}/requests`. Chosen: the emulator applies the action at once and answers the request
 * as `succeeded` (Graph may answer `created`/`pending` and apply it later: clients read the
 * relationship back rather than trusting the request's status).
 */
export function createRequest(ctx: RequestContext, svc: Services): ApiResponse {
  requirePartner(ctx, svc, true);
  const r = relationshipOr404(svc, ctx.params.relationshipId);
  const { action } = parse(ctx, requestBody);
  const now = svc.clock.now().toISOString();
  let status: DelegatedAdminRelationship["status"];
  if (action === "lockForApproval") {
    if (r.status !== "created") throw badRequest(`The relationship is ${r.status}: only a relationship in status created can be locked for approval.`);
    status = "approvalPending";
  } else if (action === "terminate") {
    if (r.status !== "active") throw badRequest(`The relationship is ${r.status}: only an active relationship can be terminated.`);
    // Documented: terminate asks for it (terminationRequested); the system deprovisions it later
    // (terminating, terminated): settle() moves it on the emulator's clock.
    status = "terminationRequested";
  } else {
    throw graphError(403, "Authorization_RequestDenied", `The action ${action} is the customer's: the partner cannot ${action} its own relationship.`);
  }
  const next: DelegatedAdminRelationship = {
    ...r,
    status,
    lastModifiedDateTime: now,
    version: r.version + 1,
  };
  svc.store.putRelationship(next);
  const id = randomUUID();
  return {
    status: 201,
    headers: { Location: `${svc.baseUrl}/graph/v1.0/tenantRelationships/delegatedAdminRelationships/${r.id}/requests/${id}` },
    body: { "@odata.context": `${base(svc)}('${r.id}')/requests/$entity`, id, action, status: "succeeded", createdDateTime: now, lastModifiedDateTime: now },
  };
}

/** The customer's side (admin API): approve a relationship waiting for approval, or end one. */
export function customerAction(svc: Services, id: string, action: "approve" | "terminate"): DelegatedAdminRelationship {
  settle(svc);
  const r = svc.store.getRelationship(id);
  if (!r) throw new ServiceError(404, () => ({ error: "not_found", message: `Unknown relationship ${id}` }));
  const now = svc.clock.now();
  let next: DelegatedAdminRelationship;
  if (action === "approve") {
    if (r.status !== "approvalPending")
      throw new ServiceError(400, () => ({ error: "bad_request", message: `The relationship is ${r.status}, not approvalPending.` }));
    next = {
      ...r,
      status: "active",
      activatedDateTime: now.toISOString(),
      endDateTime: new Date(now.getTime() + (durationDays(r.duration) ?? 0) * 86_400_000).toISOString(),
    };
  } else {
    if (r.status !== "active") throw new ServiceError(400, () => ({ error: "bad_request", message: `The relationship is ${r.status}, not active.` }));
    next = { ...r, status: "terminated", endDateTime: now.toISOString() };
  }
  next = { ...next, lastModifiedDateTime: now.toISOString(), version: r.version + 1 };
  svc.store.putRelationship(next);
  svc.store.commit();
  return next;
}
