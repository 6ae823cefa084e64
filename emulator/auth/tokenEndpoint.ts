import { randomBytes } from "crypto";
import type { ApiResponse, RequestContext } from "../http/context";
import { stsError } from "../http/errors";
import { resources, type SeedApplication } from "../seed/schema";
import type { Services } from "../services";
import { authenticateClient } from "./clientAuth";
import { tenantOrFail } from "./discovery";
import { partnerTenant, partnerTenants } from "../seed/partners";

const oidcScopes = new Set(["openid", "profile", "offline_access", "email"]);
const knownResources = new Set<string>(Object.values(resources));

/** `https://graph.microsoft.com/.default openid` -> the resource and the permission names asked for. */
function parseScope(scope: string | null, grant: string): { resource: string; names: string[]; oidc: string[] } {
  const all = (scope ?? "").split(/\s+/).filter(Boolean);
  const oidc = all.filter((s) => oidcScopes.has(s));
  const rest = all.filter((s) => !oidcScopes.has(s));
  if (rest.length === 0) {
    throw stsError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope '${scope ?? ""}' is not valid. Ask for a resource, e.g. '${resources.partnerCenter}/.default'.`,
    );
  }
  const split = rest.map((s) => {
    const i = s.lastIndexOf("/");
    return i > "https://".length ? { resource: s.slice(0, i), name: s.slice(i + 1) } : { resource: s, name: ".default" };
  });
  const resource = split[0].resource;
  if (split.some((s) => s.resource !== resource)) {
    throw stsError(400, "invalid_scope", 28000, "Provided value for the input parameter scope is not valid because it contains more than one resource.");
  }
  if (!knownResources.has(resource)) {
    throw stsError(
      400,
      "invalid_resource",
      500011,
      `The resource principal named ${resource} was not found in the tenant. This emulator knows ${[...knownResources].join(", ")}.`,
    );
  }
  if (grant === "client_credentials" && split.some((s) => s.name !== ".default")) {
    throw stsError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  return { resource, names: split.map((s) => s.name), oidc };
}

function findApplication(svc: Services, clientId: string | null, tenantId: string): SeedApplication {
  if (!clientId) throw stsError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  // In a partner tenant, only that partner's app registrations; in a customer tenant, any app (below).
  const partner = partnerTenant(svc.store.seed, tenantId);
  const registered = partner ? partner.applications : partnerTenants(svc.store.seed).flatMap((p) => p.applications);
  const app = registered.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
  const notFound = () =>
    stsError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  if (!app) throw notFound();
  // In a customer tenant the app exists only through its service principal (created by consent).
  if (!partner && !svc.store.findServicePrincipalByAppId(tenantId, app.clientId)) throw notFound();
  return app;
}

const base64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64url");

/** `POST /{tenant}/oauth2/v2.0/token`: client credentials and refresh token grants for confidential clients. */
export async function tokenEndpoint(ctx: RequestContext, svc: Services): Promise<ApiResponse> {
  const form = new URLSearchParams(ctx.body.toString("utf8"));
  const tenantId = tenantOrFail(svc, ctx.params.tenant);
  const grant = form.get("grant_type");
  if (grant !== "client_credentials" && grant !== "refresh_token") {
    throw stsError(
      400,
      "unsupported_grant_type",
      70003,
      `The app requested an unsupported grant type '${grant ?? ""}'. This emulator supports client_credentials and refresh_token.`,
    );
  }
  const app = findApplication(svc, form.get("client_id"), tenantId);
  await authenticateClient(form, app, ctx, svc, tenantId);
  const { resource, oidc } = parseScope(form.get("scope"), grant);
  const common = { token_type: "Bearer" };

  if (grant === "client_credentials") {
    const { token, expiresIn } = await svc.issuer.accessToken({
      tenantId,
      clientId: app.clientId,
      resource,
      roles: Object.hasOwn(app.appRoles, resource) ? app.appRoles[resource] : [],
    });
    svc.metrics.countToken(tenantId, app.clientId, resource, grant);
    return { status: 200, body: { ...common, expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token } };
  }

  const presented = form.get("refresh_token");
  const record = presented ? svc.store.getRefreshToken(presented) : undefined;
  if (!presented || !record) {
    throw stsError(
      400,
      "invalid_grant",
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    );
  }
  if (record.revoked) {
    throw stsError(
      400,
      "invalid_grant",
      50173,
      "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
    );
  }
  if (record.clientId !== app.clientId) {
    throw stsError(400, "invalid_grant", 70000, "Provided grant is invalid or malformed: the refresh token was issued to a different client.");
  }
  // A partner user signs in to its own partner tenant (or, as before, to a customer tenant).
  const home = partnerTenants(svc.store.seed).find((p) => p.partnerUsers.some((u) => u.id === record.userId));
  const seedUser = home?.partnerUsers.find((u) => u.id === record.userId);
  if (home && partnerTenant(svc.store.seed, tenantId) && home.tenantId !== tenantId) {
    throw stsError(400, "invalid_grant", 50020, `The user account of this refresh token does not exist in tenant '${tenantId}'.`);
  }
  if (!seedUser) throw stsError(400, "invalid_grant", 50173, "The user of this refresh token no longer exists.");
  const user = { id: seedUser.id, upn: seedUser.userPrincipalName, name: seedUser.displayName };
  const scp = Object.hasOwn(app.delegatedScopes, resource) ? app.delegatedScopes[resource] : "user_impersonation";
  const { token, expiresIn } = await svc.issuer.accessToken({ tenantId, clientId: app.clientId, resource, user: { ...user, scp } });
  // Entra rotates refresh tokens but keeps the old one valid until it expires; so does the emulator.
  const refreshToken = `0.AXEA-${randomBytes(24).toString("base64url")}`;
  svc.store.putRefreshToken(refreshToken, { userId: user.id, clientId: app.clientId, revoked: false });
  svc.metrics.countToken(tenantId, app.clientId, resource, grant);
  return {
    status: 200,
    body: {
      ...common,
      scope: [...scp.split(" ").map((s) => `${resource}/${s}`), ...oidc].join(" "),
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: token,
      refresh_token: refreshToken,
      id_token: await svc.issuer.idToken(tenantId, app.clientId, user),
      client_info: base64url({ uid: user.id, utid: tenantId }),
    },
  };
}
