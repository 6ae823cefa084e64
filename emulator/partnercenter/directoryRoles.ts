/**
 * Partner Center's directory roles of a customer and their user members
 * (`/v1/customers/{id}/directoryroles`, `…/{roleId}/usermembers[/{userId}]`). App+User only, and the
 * partner needs Privileged Role Administrator or Global Administrator in the customer (seed
 * `roleRequirements.directoryRoles`).
 */
import { createHash } from "crypto";
import type { ApiResponse, RequestContext } from "../http/context";
import { readJsonBody } from "../http/context";
import { partnerCenterError } from "../http/errors";
import { builtInRoles } from "../../provider/clients/builtInRoles";
import type { Customer } from "../store/model";
import type { Services } from "../services";
import { customerFor } from "./access";
import { badRequest } from "./badRequest";

/**
 * Chosen: a directory role's id is the object id of the role in that tenant, so it differs between
 * customers (as in Entra, where only the role *template* id is global). The emulator derives it from
 * the customer and the template, so it is stable across restarts.
 */
export function directoryRoleId(customerId: string, templateId: string): string {
  const h = createHash("sha256").update(`${customerId.toLowerCase()}/${templateId}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function roles(customer: Customer) {
  return Object.entries(builtInRoles).map(([name, templateId]) => ({ name, id: directoryRoleId(customer.id, templateId) }));
}

function roleOr404(customer: Customer, roleId: string) {
  const role = roles(customer).find((r) => r.id === roleId.toLowerCase());
  if (!role) throw partnerCenterError(404, "404", `Directory role ${roleId} is not found in customer ${customer.id}.`);
  return role;
}

const collection = (items: unknown[]) => ({ totalCount: items.length, items, attributes: { objectType: "Collection" } });

export function listDirectoryRoles(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "directoryRoles", true);
  return { status: 200, body: collection(roles(customer).map((r) => ({ ...r, attributes: { objectType: "DirectoryRole" } }))) };
}

function memberToWire(svc: Services, customer: Customer, roleId: string, userId: string) {
  const u = svc.store.getUser(customer.id, userId)!;
  return { id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName, roleId, attributes: { objectType: "UserMember" } };
}

/** A deleted user has left its roles (see the store's leaveRoles); only active users are listed. */
const activeMembers = (svc: Services, customer: Customer, roleId: string) =>
  svc.store.listRoleMembers(customer.id, roleId).filter((id) => svc.store.getUser(customer.id, id)?.state === "active");

export function listRoleMembers(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "directoryRoles", true);
  const role = roleOr404(customer, ctx.params.roleId);
  return { status: 200, body: collection(activeMembers(svc, customer, role.id).map((id) => memberToWire(svc, customer, role.id, id))) };
}

export function addRoleMember(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "directoryRoles", true);
  const role = roleOr404(customer, ctx.params.roleId);
  const raw = readJsonBody<Record<string, unknown>>(ctx);
  if (!raw.ok) throw badRequest(raw.reason);
  // Partner Center binds JSON case-insensitively; its docs' sample writes `Id`. "Set user roles for a
  // customer" marks Id, DisplayName and UserPrincipalName required in the body (and RoleId: chosen,
  // when sent it must be the role of the path).
  const field = (name: string) => Object.entries(raw.value ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
  const userId = field("id");
  if (typeof userId !== "string" || !/^[0-9a-f-]{36}$/i.test(userId)) throw badRequest("The request body is invalid: Id: must be the user's id (a GUID).");
  for (const name of ["DisplayName", "UserPrincipalName"]) {
    const value = field(name.toLowerCase());
    if (typeof value !== "string" || !value.trim()) throw badRequest(`The request body is invalid: ${name}: is required (the user's ${name}).`);
  }
  const sentRole = field("roleid");
  if (sentRole !== undefined && (typeof sentRole !== "string" || sentRole.toLowerCase() !== role.id))
    throw badRequest(`The request body is invalid: RoleId: must be the directory role of the path, ${role.id}.`);
  const user = svc.store.getUser(customer.id, userId);
  if (!user || user.state !== "active") throw partnerCenterError(404, "60002", "User object Id is not found");
  const members = svc.store.listRoleMembers(customer.id, role.id);
  // Chosen: adding a member twice is 409 (Graph's own answer is 400 "One or more added object references already exist").
  if (members.includes(user.id)) throw partnerCenterError(409, "409", `User ${user.id} is already a member of the directory role ${role.name}.`);
  svc.store.setRoleMembers(customer.id, role.id, [...members, user.id]);
  return { status: 201, body: memberToWire(svc, customer, role.id, user.id) };
}

export function removeRoleMember(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "directoryRoles", true);
  const role = roleOr404(customer, ctx.params.roleId);
  const members = svc.store.listRoleMembers(customer.id, role.id);
  const userId = ctx.params.userId.toLowerCase();
  if (!members.includes(userId)) throw partnerCenterError(404, "60002", `User ${userId} is not a member of the directory role ${role.name}.`);
  svc.store.setRoleMembers(
    customer.id,
    role.id,
    members.filter((m) => m !== userId),
  );
  return { status: 204 };
}
