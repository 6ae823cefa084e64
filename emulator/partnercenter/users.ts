import { z } from "zod";
import type { ApiResponse, RequestContext } from "../http/context";
import { partnerCenterError } from "../http/errors";
import { newGuid } from "../ids";
import { type Customer, type CustomerUser, profileOf, userProfileFields } from "../store/model";
import type { Services } from "../services";
import { customerFor } from "./access";
import { badRequest, parseBody } from "./badRequest";

const passwordProfile = z.object({ password: z.string().min(8, "must be at least 8 characters"), forceChangePassword: z.boolean().default(true) });
const usageLocation = z.string().regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 country code");
const attributes = z.object({ objectType: z.string() }).partial().passthrough().optional();

const createBody = z.object({
  userPrincipalName: z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "must look like name@domain"),
  displayName: z.string().min(1),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  usageLocation,
  immutableId: z.string().optional(),
  passwordProfile,
  attributes,
});

const patchBody = createBody
  .pick(Object.fromEntries(userProfileFields.map((k) => [k, true])) as Record<(typeof userProfileFields)[number], true>)
  .partial()
  .extend({ passwordProfile: passwordProfile.optional(), state: z.enum(["active", "inactive"]).optional(), attributes });

/** Duplicate UPN: status and text follow Graph (Partner Center's own code is unconfirmed; "1000" chosen). */
const duplicateUpn = () => partnerCenterError(400, "1000", "Another object with the same value for property userPrincipalName already exists.");

const userNotFound = () => partnerCenterError(404, "60002", "User object Id is not found");

const selfUri = (customerId: string, userId: string) => `/v1/customers/${customerId}/users/${userId}`;

/**
 * The wire shape. The password only ever appears in the answer to the request that set it, taken
 * from that request: the emulator keeps no password (not even for an MS-RequestId replay).
 */
export function userToWire(customerId: string, u: CustomerUser, password?: string): Record<string, unknown> {
  return {
    id: u.id,
    ...profileOf(u),
    ...(password !== undefined ? { passwordProfile: { forceChangePassword: u.forceChangePassword, password } } : {}),
    lastDirectorySyncTime: null,
    userDomainType: "none",
    state: u.state,
    softDeletionTime: u.softDeletionTime,
    links: { self: { uri: selfUri(customerId, u.id), method: "GET", headers: [] } },
    attributes: { objectType: "CustomerUser" },
  };
}

function checkUpn(svc: Services, customer: Customer, upn: string, exceptUserId?: string): void {
  const domain = upn.slice(upn.lastIndexOf("@") + 1).toLowerCase();
  const known = customer.domains.find((d) => d.name.toLowerCase() === domain);
  if (!known) {
    throw badRequest(
      `The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names of the customer: ${customer.domains.map((d) => d.name).join(", ")}.`,
    );
  }
  if (known.federated) throw badRequest(`User domain can't be a federated domain: ${known.name}.`);
  // Soft-deleted users still hold their UPN until they are purged.
  const clash = svc.store.findUserByUpn(customer.id, upn);
  if (clash && clash.id !== exceptUserId) throw duplicateUpn();
}

export function createUser(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "users", true);
  const body = parseBody(ctx, createBody);
  checkUpn(svc, customer, body.userPrincipalName);
  const user = svc.store.putUser(customer.id, {
    id: newGuid(),
    ...profileOf(body),
    usageLocation: body.usageLocation.toUpperCase(),
    forceChangePassword: body.passwordProfile.forceChangePassword,
    state: "active",
    softDeletionTime: null,
  });
  return { status: 200, body: userToWire(customer.id, user, body.passwordProfile.password), replayBody: userToWire(customer.id, user) };
}

export function getUser(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "users", true);
  const user = svc.store.getUser(customer.id, ctx.params.userId);
  if (!user) throw userNotFound();
  return { status: 200, body: userToWire(customer.id, user) };
}

export function updateUser(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "users", true);
  const user = svc.store.getUser(customer.id, ctx.params.userId);
  if (!user) throw userNotFound();
  const body = parseBody(ctx, patchBody);
  if (body.userPrincipalName) checkUpn(svc, customer, body.userPrincipalName, user.id);
  const next: CustomerUser = { ...user };
  for (const field of userProfileFields) {
    if (body[field] !== undefined) next[field] = body[field] as string;
  }
  if (body.usageLocation) next.usageLocation = body.usageLocation.toUpperCase();
  if (body.passwordProfile) next.forceChangePassword = body.passwordProfile.forceChangePassword;
  if (body.state === "active") {
    next.state = "active";
    next.softDeletionTime = null;
  } else if (body.state === "inactive" && user.state === "active") {
    next.state = "inactive";
    next.softDeletionTime = svc.clock.now().toISOString();
  }
  svc.store.putUser(customer.id, next);
  return { status: 200, body: userToWire(customer.id, next, body.passwordProfile?.password), replayBody: userToWire(customer.id, next) };
}

export function deleteUser(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "users", true);
  const user = svc.store.getUser(customer.id, ctx.params.userId);
  if (!user || user.state === "inactive") throw userNotFound();
  svc.store.putUser(customer.id, { ...user, state: "inactive", softDeletionTime: svc.clock.now().toISOString() });
  return { status: 204 };
}

const sortFields = new Map<string, (u: CustomerUser) => string>([
  ["userprincipalname", (u) => u.userPrincipalName.toLowerCase()],
  ["displayname", (u) => u.displayName.toLowerCase()],
]);

const maxPageSize = 500;

/** The one `filter` the users list documents. */
const userStateFilter = z.object({
  Field: z.literal("UserState"),
  Value: z.string().regex(/^(active|inactive)$/i),
  Operator: z
    .string()
    .regex(/^equals$/i)
    .optional(),
});

/**
 * What an MS-ContinuationToken carries: the emulator's own format, but it comes back from the
 * client, so it is checked like any input (a `null` or a negative offset is a 400, not a crash).
 */
const continuationSchema = z
  .object({
    offset: z.number().int().nonnegative(),
    size: z.number().int().min(1).max(maxPageSize),
    state: z.enum(["active", "inactive"]),
    sortField: z.string().refine((f) => f === "" || sortFields.has(f), "is not a sort field"),
    sortDirection: z.enum(["ascending", "descending"]),
  })
  .strict();
type Continuation = z.infer<typeof continuationSchema>;

function parseContinuation(token: string): Continuation {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    raw = undefined;
  }
  const parsed = continuationSchema.safeParse(raw);
  if (!parsed.success) throw badRequest("The MS-ContinuationToken header is invalid: use the value from links.next of the previous page.");
  return parsed.data;
}

function parseListQuery(ctx: RequestContext): Continuation {
  const q = ctx.query;
  if (q.get("seekOperation")?.toLowerCase() === "next") {
    const token = ctx.req.headers["ms-continuationtoken"];
    if (typeof token !== "string" || !token) throw badRequest("seekOperation=Next needs the MS-ContinuationToken header from links.next.");
    return parseContinuation(token);
  }
  const size = q.has("size") ? Number(q.get("size")) : 100;
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize)
    throw badRequest(`size must be an integer between 1 and ${maxPageSize}; got '${q.get("size")}'.`);
  let state: Continuation["state"] = "active";
  const filter = q.get("filter");
  if (filter) {
    let f: unknown;
    try {
      f = JSON.parse(filter);
    } catch {
      throw badRequest(`filter must be URL-encoded JSON such as {"Field":"UserState","Value":"Inactive","Operator":"equals"}; got '${filter}'.`);
    }
    const parsed = userStateFilter.safeParse(f);
    if (!parsed.success) {
      throw badRequest(`Unsupported filter ${filter}: only {"Field":"UserState","Value":"Active"|"Inactive","Operator":"equals"} is supported.`);
    }
    state = parsed.data.Value.toLowerCase() as Continuation["state"];
  }
  const sortField = (q.get("sortField") ?? "").toLowerCase();
  if (sortField && !sortFields.has(sortField)) throw badRequest(`sortField must be UserPrincipalName or DisplayName; got '${q.get("sortField")}'.`);
  const dir = (q.get("sortDirection") ?? "ascending").toLowerCase();
  if (dir !== "ascending" && dir !== "descending") throw badRequest("sortDirection must be Ascending or Descending.");
  return { offset: 0, size, state, sortField, sortDirection: dir };
}

export function listUsers(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "users", true);
  const c = parseListQuery(ctx);
  let rows = svc.store.listUsers(customer.id).filter((u) => u.state === c.state);
  const key = sortFields.get(c.sortField);
  if (key) rows = rows.sort((a, b) => key(a).localeCompare(key(b)));
  if (c.sortDirection === "descending") rows = rows.reverse();
  const page = rows.slice(c.offset, c.offset + c.size);
  const base = `/v1/customers/${customer.id}/users?size=${c.size}`;
  const links: Record<string, unknown> = { self: { uri: base, method: "GET", headers: [] } };
  if (c.offset + c.size < rows.length) {
    const token = Buffer.from(JSON.stringify({ ...c, offset: c.offset + c.size })).toString("base64url");
    links.next = { uri: `${base}&seekOperation=Next`, method: "GET", headers: [{ key: "MS-ContinuationToken", value: token }] };
  }
  return {
    status: 200,
    body: { totalCount: page.length, items: page.map((u) => userToWire(customer.id, u)), links, attributes: { objectType: "Collection" } },
  };
}
