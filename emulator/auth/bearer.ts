import { errors as joseErrors } from "jose";
import type { Caller, RequestContext } from "../http/context";
import { graphError, partnerCenterError, ServiceError, sourceFor } from "../http/errors";
import type { AuthKind } from "../http/router";
import { resources } from "../seed/schema";
import type { Services } from "../services";
import { partnerTenant } from "../seed/partners";

const audienceOf: Record<Exclude<AuthKind, "none">, string> = {
  partnercenter: resources.partnerCenter,
  delegatedadmin: resources.delegatedAdmin,
  graph: resources.graph,
};

function unauthorized(kind: AuthKind, ctx: RequestContext, reason: string): ServiceError {
  if (kind === "graph") return graphError(401, "InvalidAuthenticationToken", reason);
  return partnerCenterError(401, "401", `Unauthorized: ${reason}`, { customerId: ctx.params.customerId, source: sourceFor(ctx.api) });
}

function describe(e: unknown, audience: string): string {
  if (e instanceof joseErrors.JWTExpired) return "Lifetime validation failed, the token is expired.";
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === "aud") return `Access token validation failure. Invalid audience: expected '${audience}'.`;
    if (e.claim === "nbf") return "Lifetime validation failed, the token is not yet valid.";
    return `Access token validation failure: claim '${e.claim}' is invalid.`;
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return "Access token validation failure: the signature is invalid.";
  return "Access token validation failure: the token is malformed.";
}

/** Authentication step of the chain: verifies the bearer token for the route's API and names the caller. */
export async function authenticate(kind: AuthKind, ctx: RequestContext, svc: Services): Promise<Caller | undefined> {
  if (kind === "none") return undefined;
  const header = ctx.req.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized(kind, ctx, "The Authorization header is missing or is not a Bearer token.");
  const audience = audienceOf[kind];
  let claims: Caller["claims"];
  try {
    claims = await svc.issuer.verify(match[1], audience);
  } catch (e) {
    throw unauthorized(kind, ctx, describe(e, audience));
  }
  const tenantId = String(claims.tid ?? "");
  const isPartner = partnerTenant(svc.store.seed, tenantId) !== undefined;
  if (kind !== "graph" && !isPartner) {
    throw unauthorized(kind, ctx, `The token was issued for tenant '${tenantId}', not for a partner tenant.`);
  }
  if (kind === "graph" && !isPartner && !svc.store.getCustomer(tenantId)) {
    throw unauthorized(kind, ctx, `The token's tenant '${tenantId}' is unknown.`);
  }
  const scopes = typeof claims.scp === "string" ? claims.scp.split(" ").filter(Boolean) : [];
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
  return {
    claims,
    tenantId,
    appId: String(claims.appid ?? claims.azp ?? ""),
    appOnly: claims.idtyp !== "user" && scopes.length === 0,
    userId: claims.idtyp === "user" ? String(claims.oid) : undefined,
    scopes,
    roles,
  };
}

/**
 * Customer users and delegated-admin customers accept App+User tokens only. Chosen status: 403 with
 * a Partner Center body (the real service's status is unconfirmed; 401 would make clients refresh
 * a token that can never work).
 */
export function requireAppUser(ctx: RequestContext): void {
  if (ctx.caller?.appOnly) {
    throw partnerCenterError(
      403,
      "403",
      "This operation supports App+User (delegated) credentials only; the access token is app-only. Acquire a token for a partner user (for example with a refresh token).",
      { customerId: ctx.params.customerId, source: sourceFor(ctx.api) },
    );
  }
}
