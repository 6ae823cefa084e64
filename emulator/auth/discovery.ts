import type { RequestContext } from "../http/context";
import { stsError } from "../http/errors";
import type { Services } from "../services";
import { partnerTenants } from "../seed/partners";

/** Tenants the emulated Entra ID knows: the partners and their customers. */
export function knownTenant(svc: Services, tenant: string): string | undefined {
  const t = tenant.toLowerCase();
  const partner = partnerTenants(svc.store.seed).find((p) => t === p.tenantId || t === p.domain.toLowerCase());
  if (partner) return partner.tenantId;
  const c = svc.store.getCustomer(t) ?? svc.store.listCustomers().find((x) => x.domains.some((d) => d.name.toLowerCase() === t));
  return c?.id;
}

export function tenantOrFail(svc: Services, tenant: string): string {
  const id = knownTenant(svc, tenant);
  if (!id) {
    throw stsError(
      400,
      "invalid_request",
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }
  return id;
}

/** The OpenID configuration msal-node accepts as `authorityMetadata` (also served over HTTP). */
export function openIdConfiguration(baseUrl: string, tenantId: string): Record<string, unknown> {
  const t = `${baseUrl}/${tenantId}`;
  return {
    token_endpoint: `${t}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${t}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${t}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${baseUrl}/graph/oidc/userinfo`,
    authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${t}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    tenant_region_scope: "NA",
    cloud_instance_name: new URL(baseUrl).host,
    cloud_graph_host_name: new URL(baseUrl).host,
    msgraph_host: new URL(baseUrl).host,
  };
}

/** msal's instance discovery answer (`cloudDiscoveryMetadata`): the emulator host is its own only alias. */
export function instanceDiscovery(baseUrl: string): Record<string, unknown> {
  const host = new URL(baseUrl).host;
  return {
    tenant_discovery_endpoint: `${baseUrl}/{tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}

export function discoveryRoutesHandlers() {
  return {
    openid: (ctx: RequestContext, svc: Services) => ({ status: 200, body: openIdConfiguration(svc.baseUrl, tenantOrFail(svc, ctx.params.tenant)) }),
    keys: async (ctx: RequestContext, svc: Services) => {
      tenantOrFail(svc, ctx.params.tenant);
      return { status: 200, body: await svc.issuer.key.jwks() };
    },
    instance: (_ctx: RequestContext, svc: Services) => ({ status: 200, body: instanceDiscovery(svc.baseUrl) }),
  };
}
