/**
 * The token path against the emulator, through msal-node and the provider's own HTTP stack: token
 * requests of every kind retry transient failures as API calls do (and MSAL still asks once per
 * tenant and scope), permanent AADSTS answers fail at once, and a token request that gets no answer
 * says where and why, and shows each attempt in the debug log.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import { startEmulator, type AdminClient } from "../../emulator";
import { ServiceContext } from "../../provider/context";
import { setLogSink } from "../../provider/log";
import { failure, providerConfigFor } from "../support/providerConfig";
import { refusedPort } from "../support/refusedPort";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const contoso = "0d4e389b-0ab8-5563-abe8-dd9ac0c47a80";
const graphScope = "https://graph.microsoft.com/.default";

const configFor = providerConfigFor;

describe("the token path", () => {
  let emu: Emulator;
  let admin: AdminClient;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pcenter-tokens-"));

  beforeAll(async () => {
    emu = await startEmulator();
    admin = emu.admin;
  });
  beforeEach(async () => {
    await admin.call("POST", "/reset");
    await admin.call("DELETE", "/requests");
  });
  afterAll(async () => {
    await emu.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const tokenAttempts = async (tenant: string) => {
    const log = await admin.call("GET", "/requests?limit=1000");
    return ((log.requests ?? log) as any[]).filter((r) => r.path === `/${tenant}/oauth2/v2.0/token`).map((r) => r.status);
  };
  /** A 503 and then a connection reset for the next token requests of this grant in this tenant. */
  const twoFaults = (grantType: string, tenant: string) => ({
    rules: [
      { group: "token", grantType, pathContains: tenant, action: "status", status: 503, times: 1 },
      { group: "token", grantType, pathContains: tenant, action: "resetBeforeCommit", times: 1 },
    ],
  });

  type Row = [string, string, () => Record<string, string | undefined>, (ctx: ServiceContext) => Promise<unknown>, () => string];
  it.each<Row>([
    [
      "a client secret, partner tenant",
      "client_credentials",
      () => ({}),
      (ctx: ServiceContext) => ctx.partnerCenter.getOrganization(contoso),
      () => emu.credentials.partnerTenantId,
    ],
    [
      "a certificate, customer tenant",
      "client_credentials",
      () => ({ clientSecret: undefined, certificatePath: emu.credentials.certificatePemFile, certificateThumbprint: emu.credentials.certificateThumbprint }),
      (ctx: ServiceContext) => ctx.credentials.appToken(graphScope, contoso),
      () => contoso,
    ],
    [
      "a refresh token (App+User), partner tenant",
      "refresh_token",
      () => ({}),
      (ctx: ServiceContext) => ctx.partnerCenter.listUsers(contoso),
      () => emu.credentials.partnerTenantId,
    ],
  ])("retries a token request from %s through a 503 and a reset, and MSAL still asks once", async (_kind, grantType, overrides, call, tenant) => {
    await admin.call("PUT", "/faults", twoFaults(grantType, tenant()));
    const ctx = new ServiceContext(configFor(emu, overrides()));
    await call(ctx);
    expect(await tokenAttempts(tenant())).toEqual([503, "reset", 200]);
    expect(ctx.credentials.networkClient.tokenRequests).toBe(1);
  });

  it("retries a token request from a federated token through a 503 and a reset", async () => {
    const tokenFile = path.join(tmp, "oidc-token");
    fs.writeFileSync(tokenFile, (await admin.call("POST", "/oidc/token", { subject: emu.credentials.federatedSubject })).token);
    await admin.call("PUT", "/faults", twoFaults("client_credentials", emu.credentials.partnerTenantId));
    const ctx = new ServiceContext(configFor(emu, { clientSecret: undefined, federatedTokenFile: tokenFile }));
    expect((await ctx.partnerCenter.getOrganization(contoso)).displayName).toBe("Contoso");
    expect(await tokenAttempts(emu.credentials.partnerTenantId)).toEqual([503, "reset", 200]);
  });

  it("waits out a 429's Retry-After on the token endpoint, and the calls waiting on that token all succeed", async () => {
    await admin.call("PUT", "/faults", { rules: [{ group: "token", action: "status", status: 503, times: 2 }] });
    const ctx = new ServiceContext(configFor(emu));
    // 20 calls share one token request (MSAL's cache is empty): its failures must not fail them.
    const orgs = await Promise.all(Array.from({ length: 20 }, () => ctx.partnerCenter.getOrganization(contoso)));
    expect(orgs.every((o) => o.displayName === "Contoso")).toBe(true);
    expect(await tokenAttempts(emu.credentials.partnerTenantId)).toEqual([503, 503, 200]);

    // The token endpoint allows one request per 5 s: the second token request is told to wait (2 s at a time).
    await admin.call("PUT", "/limits", { token: { requestsPerSecond: 0.2, burst: 1, retryAfterSeconds: 2 } });
    await admin.call("POST", "/metrics/reset");
    const throttled = new ServiceContext(configFor(emu));
    await throttled.credentials.appToken(graphScope);
    const started = Date.now();
    await expect(throttled.credentials.appToken(graphScope, contoso)).resolves.toMatch(/^eyJ/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    const metrics = await admin.call("GET", "/metrics");
    expect(metrics.throttled.token).toBeGreaterThan(0);
    expect(Object.values(metrics.earlyRetries ?? {}).reduce((a: number, b: any) => a + Number(b), 0)).toBe(0);
  });

  it("sends a call refused for an expired token once more with a fresh token, app-only and App+User", async () => {
    const ctx = new ServiceContext(configFor(emu));
    await ctx.partnerCenter.getOrganization(contoso); // app-only token cached
    await ctx.partnerCenter.listUsers(contoso); // App+User token cached
    // The service's clock jumps 2 h: both cached tokens are expired to it, still live to MSAL.
    await admin.call("POST", "/clock", { advanceSeconds: 7200 });
    try {
      await admin.call("DELETE", "/requests");
      expect((await ctx.partnerCenter.getOrganization(contoso)).displayName).toBe("Contoso");
      expect((await ctx.partnerCenter.listUsers(contoso)).length).toBeGreaterThan(0);
      const log = await admin.call("GET", "/requests?limit=100");
      const seen = ((log.requests ?? log) as any[]).map((r) => `${r.group} ${r.status}`);
      expect(seen).toEqual(["organization 401", "token 200", "organization 200", "users 401", "token 200", "users 200"]);
    } finally {
      await admin.call("POST", "/clock", { advanceSeconds: -7200 });
    }
  });

  it("fails at once, with Entra's code, on a permanent answer (bad secret, revoked refresh token)", async () => {
    const badSecret = new ServiceContext(configFor(emu, { clientSecret: "wrong-secret-value" }));
    const aad = await failure(badSecret.partnerCenter.getOrganization(contoso));
    expect(aad).toMatchObject({ service: "Entra ID", serviceCode: "AADSTS7000215" });
    // Entra's own sentence and what to do, without MSAL's dump of timestamps and trace ids.
    expect(aad.message).toMatch(
      /: Entra ID answered 401 \(code AADSTS7000215\) "invalid_client: Invalid client secret provided\. [^"]*"\. To fix: partnercenter:clientSecret is wrong: set it to the secret's value \(not its ID\), or rotate it; if the stack's configuration already has the right value, .* run it again with --run-program\.$/,
    );
    expect(aad.message).not.toMatch(/Timestamp|Trace ID|Error\(s\)|wrong-secret-value/);
    expect(await tokenAttempts(emu.credentials.partnerTenantId)).toEqual([401]);

    await admin.call("DELETE", "/requests");
    await admin.call("POST", "/revoke-refresh-token", { refreshToken: emu.credentials.refreshToken });
    const revoked = await failure(new ServiceContext(configFor(emu)).partnerCenter.listUsers(contoso));
    expect(revoked).toMatchObject({ service: "Entra ID", serviceCode: "AADSTS50173" });
    expect(revoked.message).toMatch(
      /^Could not get an App\+User token for \S+: Entra ID answered \(code AADSTS50173\) "invalid_grant: The provided grant has expired due to it being revoked, [^"]*"\. To fix: the refresh token was revoked: get a new one and set partnercenter:refreshToken \(--secret\); if the stack's configuration already has the right value, .* run it again with --run-program\.$/,
    );
    expect(await tokenAttempts(emu.credentials.partnerTenantId)).toEqual([400]);
  });

  it("names the host and the cause when the token endpoint cannot be reached, and logs each attempt", async () => {
    const lines: string[] = [];
    setLogSink((l) => lines.push(l));
    process.env.PARTNERCENTER_LOG = "debug";
    try {
      // A port that refuses connections: the emulator is down.
      const port = await refusedPort();
      const down = new ServiceContext(configFor(emu, { authorityHost: `https://127.0.0.1:${port}`, maxRetries: "1" }));
      const refused = await failure(down.partnerCenter.getOrganization(contoso));
      expect(refused.message).toBe(
        `Could not get an app-only token for https://api.partnercenter.microsoft.com/.default in tenant ${emu.credentials.partnerTenantId}: the connection to Entra ID at 127.0.0.1:${port} failed on every attempt: connection refused (ECONNREFUSED). To fix: check that the service at 127.0.0.1:${port} is running and that the partnercenter: URL settings point at it; after a change of those settings, \`pulumi refresh\`, \`pulumi preview --refresh\` and \`pulumi destroy\` need --run-program to use them (they use the settings stored in the state).`,
      );
      const attempts = lines.filter((l) => l.includes(`127.0.0.1:${port}/${emu.credentials.partnerTenantId}/oauth2/v2.0/token`));
      expect(attempts.map((l) => /attempt (\d)/.exec(l)?.[1])).toEqual(["1", "2"]);
      expect(attempts[0]).toMatch(/ECONNREFUSED/);

      // No caFile: the emulator's certificate is not trusted, and the message says which key to set.
      const untrusted = await failure(new ServiceContext(configFor(emu, { caFile: undefined })).partnerCenter.getOrganization(contoso));
      expect(untrusted.message).toMatch(
        /^Could not get an app-only token .*: the connection to Entra ID at 127\.0\.0\.1:\d+ failed: its TLS certificate is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)[^)]*\)\. To fix: set partnercenter:caFile to the PEM file of the CA/,
      );

      // A stale CA (another emulator's, or any CA that did not sign this certificate): the same advice.
      const staleCa = path.join(tmp, "stale-ca.pem");
      fs.writeFileSync(staleCa, tls.rootCertificates[0]);
      const stale = await failure(new ServiceContext(configFor(emu, { caFile: staleCa })).partnerCenter.getOrganization(contoso));
      expect(stale.message).toMatch(
        /failed: its TLS certificate is not trusted \(\w+: [^)]*\)\. To fix: set partnercenter:caFile to the PEM file of the CA that signed 127\.0\.0\.1:\d+'s certificate/,
      );

      // A token endpoint that answers too slowly: a timeout, named as one.
      await admin.call("PUT", "/latency", { fixedMs: 1500 });
      await admin.call("DELETE", "/requests");
      const slow = await failure(new ServiceContext(configFor(emu, { requestTimeoutMs: "300", maxRetries: "1" })).partnerCenter.getOrganization(contoso));
      expect(slow.message).toMatch(
        /the connection to Entra ID at 127\.0\.0\.1:\d+ failed on every attempt: no answer in time \(timeout\)\. To fix: check the network, or raise partnercenter:requestTimeoutMs\./,
      );
      // The two abandoned attempts are still waiting out their latency in the emulator; the fault
      // below is for the next request, so let them finish first (a loaded machine makes them late).
      for (let waited = 0; (await tokenAttempts(emu.credentials.partnerTenantId)).length < 2 && waited < 30_000; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
      }

      // A successful attempt is logged too, and nothing secret is.
      await admin.call("PUT", "/latency", { fixedMs: 0 });
      await admin.call("PUT", "/faults", { rules: [{ group: "token", action: "status", status: 503, times: 1 }] });
      lines.length = 0;
      await new ServiceContext(configFor(emu, { maxRetries: "2" })).partnerCenter.getOrganization(contoso);
      const token = lines.filter((l) => l.includes("/oauth2/v2.0/token"));
      expect(token.map((l) => /attempt (\d) -> (\d+)/.exec(l)?.slice(1).join(" "))).toEqual(["1 503", "2 200"]);
      expect(lines.join("\n")).not.toContain(emu.credentials.clientSecret);
      expect(lines.join("\n")).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
    } finally {
      delete process.env.PARTNERCENTER_LOG;
      await admin.call("PUT", "/latency", { fixedMs: 0 });
    }
  });
});
