import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import { timingSafeEqual } from "crypto";
import type { RequestContext } from "../http/context";
import { stsError } from "../http/errors";
import type { SeedApplication } from "../seed/schema";
import type { Services } from "../services";

export const jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export type ClientAuthMethod = "secret" | "certificate" | "federated";

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Confidential client authentication: a secret, a JWT signed with the registered certificate
 * (what msal-node's `clientCertificate` sends), or a federated token from a trusted issuer.
 */
export async function authenticateClient(
  form: URLSearchParams,
  app: SeedApplication,
  ctx: RequestContext,
  svc: Services,
  tenantId: string,
): Promise<ClientAuthMethod> {
  const secret = form.get("client_secret");
  const assertion = form.get("client_assertion");
  if (secret !== null) {
    if (!safeEqual(secret, app.clientSecret)) {
      throw stsError(
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      );
    }
    return "secret";
  }
  if (assertion === null) {
    throw stsError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (form.get("client_assertion_type") !== jwtBearerAssertionType) {
    throw stsError(400, "invalid_request", 70002, `client_assertion_type must be '${jwtBearerAssertionType}'.`);
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(assertion);
    claims = decodeJwt(assertion);
  } catch {
    throw stsError(400, "invalid_request", 50027, "JWT token is invalid or malformed.");
  }
  if (header.x5t || header["x5t#S256"]) return certificateAssertion(assertion, header, app, ctx, svc, tenantId);
  return federatedAssertion(assertion, claims, app, svc);
}

async function certificateAssertion(
  assertion: string,
  header: Record<string, unknown>,
  app: SeedApplication,
  ctx: RequestContext,
  svc: Services,
  tenantId: string,
): Promise<ClientAuthMethod> {
  const cert = svc.clientCertificate;
  const presented = String(header["x5t#S256"] ?? header.x5t);
  const known = header["x5t#S256"] ? cert.x5tS256 : cert.x5t;
  if (!app.certificate || presented !== known) {
    const hex = Buffer.from(presented, "base64url").toString("hex").toUpperCase();
    throw stsError(
      401,
      "invalid_client",
      700027,
      `Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${hex}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`,
    );
  }
  // The assertion's audience is the token endpoint the client called (msal takes it from the authority metadata).
  const audiences = [`${svc.baseUrl}${ctx.path}`, `${svc.baseUrl}/${tenantId}/oauth2/v2.0/token`];
  try {
    // Assertions carry the client's real clock, not the emulator's (which tests may have moved).
    // Entra allows five minutes of skew between client and server clocks.
    await jwtVerify(assertion, cert.publicKey, {
      algorithms: ["RS256", "PS256"],
      audience: audiences,
      issuer: app.clientId,
      subject: app.clientId,
      clockTolerance: 300,
    });
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw stsError(401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
    if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === "aud") {
      throw stsError(
        401,
        "invalid_client",
        700212,
        `No matching federated identity record found for presented assertion audience. The audience must be '${audiences[1]}'.`,
      );
    }
    if (e instanceof joseErrors.JWTClaimValidationFailed) {
      throw stsError(401, "invalid_client", 700023, `Client assertion claim '${e.claim}' is invalid; iss and sub must be the client id '${app.clientId}'.`);
    }
    throw stsError(401, "invalid_client", 700027, "Client assertion failed signature validation.");
  }
  return "certificate";
}

async function federatedAssertion(assertion: string, claims: Record<string, unknown>, app: SeedApplication, svc: Services): Promise<ClientAuthMethod> {
  const issuer = String(claims.iss ?? "");
  if (issuer !== svc.oidc.issuer) {
    throw stsError(
      400,
      "invalid_request",
      700211,
      `No matching federated identity record found for presented assertion issuer '${issuer}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
    );
  }
  try {
    await svc.oidc.verify(assertion);
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw stsError(400, "invalid_client", 700024, "Client assertion is not within its valid time range.");
    throw stsError(401, "invalid_client", 700027, "Client assertion failed signature validation.");
  }
  const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
  const match = app.federatedCredentials.find(
    (f) => (f.issuer ?? svc.oidc.issuer) === issuer && f.subject === claims.sub && f.audiences.some((a) => aud.includes(a)),
  );
  if (!match) {
    throw stsError(
      400,
      "invalid_client",
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${String(claims.sub)}'. Assertion Audience: '${aud.join(",")}'.`,
    );
  }
  return "federated";
}
