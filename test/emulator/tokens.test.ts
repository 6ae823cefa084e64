import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { request } from "undici";
import { resources, TestEmulator, customers } from "./helpers";

describe("the emulated Entra ID token endpoint", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await TestEmulator.start();
  });
  afterAll(() => t.stop());
  afterEach(() => t.emu.admin.reset());

  it("issues an app-only RS256 token for a client secret, verifiable with the published JWKS", async () => {
    const r = await t.token({
      grant_type: "client_credentials",
      client_id: t.creds.clientId,
      client_secret: t.creds.clientSecret,
      scope: `${resources.graph}/.default`,
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600 });
    const claims = decodeJwt(r.json.access_token);
    expect(claims).toMatchObject({ aud: resources.graph, tid: t.creds.partnerTenantId, appid: t.creds.clientId, azp: t.creds.clientId, idtyp: "app" });
    expect(claims.roles).toContain("MultiTenantOrganization.Read.All");
    expect(claims.scp).toBeUndefined();
    const header = decodeProtectedHeader(r.json.access_token);
    expect(header).toMatchObject({ alg: "RS256", kid: expect.any(String) });

    const config = await t.http("GET", `${t.emu.url}/${t.creds.partnerTenantId}/v2.0/.well-known/openid-configuration`);
    expect(config.json.token_endpoint).toBe(t.tokenUrl());
    const keys = await t.http("GET", config.json.jwks_uri);
    expect(keys.json.keys[0].kid).toBe(header.kid);
    const key = await importJWK(keys.json.keys[0], "RS256");
    await expect(jwtVerify(r.json.access_token, key, { audience: resources.graph })).resolves.toBeTruthy();
  });

  it("rejects a wrong client secret with 401 invalid_client AADSTS7000215", async () => {
    const r = await t.token({ grant_type: "client_credentials", client_id: t.creds.clientId, client_secret: "nope", scope: `${resources.graph}/.default` });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({
      error: "invalid_client",
      error_codes: [7000215],
      trace_id: expect.any(String),
      correlation_id: expect.any(String),
      timestamp: expect.any(String),
    });
    expect(r.json.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided\./);
  });

  it("refuses a rotated secret's old value and accepts the new one; a reset brings the seed's back", async () => {
    const form = { grant_type: "client_credentials", client_id: t.creds.clientId, scope: `${resources.graph}/.default` };
    await t.emu.admin.setClientSecret(t.creds.clientId, "rotated-secret");
    expect((await t.token({ ...form, client_secret: t.creds.clientSecret })).json).toMatchObject({ error_codes: [7000215] });
    expect((await t.token({ ...form, client_secret: "rotated-secret" })).status).toBe(200);
    await t.emu.admin.reset();
    expect((await t.token({ ...form, client_secret: t.creds.clientSecret })).status).toBe(200);
  });

  it("rejects an unknown client with 400 unauthorized_client AADSTS700016", async () => {
    const r = await t.token({
      grant_type: "client_credentials",
      client_id: "11111111-2222-3333-4444-555555555555",
      client_secret: "x",
      scope: `${resources.graph}/.default`,
    });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
  });

  it("rejects an unknown tenant with 400 invalid_request AADSTS90002", async () => {
    const r = await t.token(
      { grant_type: "client_credentials", client_id: t.creds.clientId, client_secret: t.creds.clientSecret, scope: `${resources.graph}/.default` },
      "99999999-9999-9999-9999-999999999999",
    );
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: "invalid_request", error_codes: [90002] });
  });

  it("asks for /.default in the client credentials flow", async () => {
    const r = await t.token({
      grant_type: "client_credentials",
      client_id: t.creds.clientId,
      client_secret: t.creds.clientSecret,
      scope: `${resources.graph}/User.Read`,
    });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: "invalid_scope", error_codes: [1002012] });
  });

  it("redeems the partner user's refresh token for an App+User token with id_token and client_info", async () => {
    const r = await t.token({
      grant_type: "refresh_token",
      client_id: t.creds.clientId,
      client_secret: t.creds.clientSecret,
      refresh_token: t.creds.refreshToken,
      scope: `${resources.partnerCenter}/.default openid profile offline_access`,
    });
    expect(r.status).toBe(200);
    const claims = decodeJwt(r.json.access_token);
    expect(claims).toMatchObject({
      aud: resources.partnerCenter,
      scp: "user_impersonation",
      idtyp: "user",
      upn: "admin@northwindcloud.onmicrosoft.com",
      tid: t.creds.partnerTenantId,
    });
    expect(r.json.refresh_token).toEqual(expect.any(String));
    expect(r.json.refresh_token).not.toBe(t.creds.refreshToken);
    expect(JSON.parse(Buffer.from(r.json.client_info, "base64url").toString())).toEqual({ uid: claims.oid, utid: t.creds.partnerTenantId });
    expect(decodeJwt(r.json.id_token)).toMatchObject({ aud: t.creds.clientId, oid: claims.oid });

    // The rotated refresh token works too.
    const again = await t.token({
      grant_type: "refresh_token",
      client_id: t.creds.clientId,
      client_secret: t.creds.clientSecret,
      refresh_token: r.json.refresh_token,
      scope: `${resources.graph}/.default`,
    });
    expect(again.status).toBe(200);
  });

  it("refuses unknown and revoked refresh tokens with invalid_grant", async () => {
    const form = {
      grant_type: "refresh_token",
      client_id: t.creds.clientId,
      client_secret: t.creds.clientSecret,
      scope: `${resources.partnerCenter}/.default`,
    };
    const unknown = await t.token({ ...form, refresh_token: "0.AXEA-not-a-real-refresh-token" });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: "invalid_grant", error_codes: [70008] });

    await t.emu.admin.revokeRefreshToken({ refreshToken: t.creds.refreshToken });
    const revoked = await t.token({ ...form, refresh_token: t.creds.refreshToken });
    expect(revoked.status).toBe(400);
    expect(revoked.json).toMatchObject({ error: "invalid_grant", error_codes: [50173] });
  });

  it("issues customer-tenant tokens only while the app's service principal exists there", async () => {
    const ok = await t.appToken(resources.graph, customers.contoso);
    expect(decodeJwt(ok).tid).toBe(customers.contoso);

    await t.emu.admin.deleteServicePrincipal(customers.contoso, t.creds.clientId);
    const r = await t.token(
      { grant_type: "client_credentials", client_id: t.creds.clientId, client_secret: t.creds.clientSecret, scope: `${resources.graph}/.default` },
      customers.contoso,
    );
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
  });

  it("accepts a federated token from the emulator's OIDC issuer that matches the federated credential", async () => {
    const assertion = await t.emu.admin.federatedToken(t.creds.federatedSubject);
    const form = {
      grant_type: "client_credentials",
      client_id: t.creds.clientId,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      scope: `${resources.partnerCenter}/.default`,
    };
    const r = await t.token({ ...form, client_assertion: assertion });
    expect(r.status).toBe(200);

    const wrongSubject = await t.token({ ...form, client_assertion: await t.emu.admin.federatedToken("repo:evil/fork:pull_request") });
    expect(wrongSubject.status).toBe(400);
    expect(wrongSubject.json.error_codes).toEqual([70021]);

    const wrongAudience = await t.token({ ...form, client_assertion: await t.emu.admin.federatedToken(t.creds.federatedSubject, "api://something-else") });
    expect(wrongAudience.json.error_codes).toEqual([70021]);
  });

  it("counts tokens issued per tenant, client, resource and grant", async () => {
    await t.emu.admin.resetMetrics();
    await t.appToken(resources.graph);
    await t.appToken(resources.graph);
    const m = await t.emu.admin.metrics();
    expect(m.tokensIssued[`${t.creds.partnerTenantId}|${t.creds.clientId}|${resources.graph}|client_credentials`]).toBe(2);
  });

  it("injects faults into the token requests of one grant type and one tenant, in Entra's error shape", async () => {
    const secret = { client_id: t.creds.clientId, client_secret: t.creds.clientSecret };
    await t.emu.admin.setFaults({
      rules: [
        { group: "token", grantType: "refresh_token", action: "status", status: 503, times: 1 },
        { group: "token", grantType: "client_credentials", pathContains: customers.contoso, action: "status", status: 500, times: 1 },
      ],
    });
    // Neither rule matches an app-only token in the partner tenant.
    const partnerApp = await t.token({ grant_type: "client_credentials", ...secret, scope: `${resources.graph}/.default` });
    expect(partnerApp.status).toBe(200);
    const user = await t.token({ grant_type: "refresh_token", ...secret, refresh_token: t.creds.refreshToken, scope: `${resources.partnerCenter}/.default` });
    expect(user.status).toBe(503);
    expect(user.json).toMatchObject({ error: "temporarily_unavailable", error_codes: [expect.any(Number)] });
    expect(user.json.error_description).toMatch(/^AADSTS\d+: /);
    const customerApp = await t.token({ grant_type: "client_credentials", ...secret, scope: `${resources.graph}/.default` }, customers.contoso);
    expect(customerApp.status).toBe(500);
    // Each rule was used once.
    expect((await t.token({ grant_type: "client_credentials", ...secret, scope: `${resources.graph}/.default` }, customers.contoso)).status).toBe(200);
  });

  it("refuses TLS to a client that does not trust the emulator's CA", async () => {
    await expect(request(`${t.emu.url}/_emulator/health`)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});
