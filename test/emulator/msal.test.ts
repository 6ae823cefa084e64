import { ConfidentialClientApplication, type Configuration } from "@azure/msal-node";
import { readFileSync } from "fs";
import { Agent } from "undici";
import { UndiciNetworkClient } from "../../provider/auth/networkClient";
import { Pipeline } from "../../provider/http/pipeline";
import { undiciTransport } from "../../provider/http/transport";
import { decodeJwt } from "jose";
import { resources, TestEmulator } from "./helpers";

/**
 * How to point msal-node at the emulator, fully offline (this is the configuration to copy):
 * - authority `${url}/${tenantId}` plus `knownAuthorities: [host]` so MSAL trusts a non-Microsoft host;
 * - `authorityMetadata` and `cloudDiscoveryMetadata` as JSON strings, so MSAL makes no discovery call;
 * - `system.networkClient` over an agent that trusts the emulator's CA (here through the provider's
 *   network client on a bare pipeline) (msal-node 7 sends with the
 *   global fetch, which has no per-client CA option; NODE_EXTRA_CA_CERTS would do for the whole process).
 */
function msalConfig(url: string, caPem: string, tenantId: string, clientId: string, credentials: Configuration["auth"]): Configuration {
  const host = new URL(url).host;
  const t = `${url}/${tenantId}`;
  return {
    auth: {
      ...credentials,
      clientId,
      authority: t,
      knownAuthorities: [host],
      authorityMetadata: JSON.stringify({
        token_endpoint: `${t}/oauth2/v2.0/token`,
        authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${t}/oauth2/v2.0/logout`,
        jwks_uri: `${t}/discovery/v2.0/keys`,
        issuer: `${t}/v2.0`,
      }),
      cloudDiscoveryMetadata: JSON.stringify({
        tenant_discovery_endpoint: `${url}/{tenant}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      }),
    },
    system: { networkClient: new UndiciNetworkClient(new Pipeline([], undiciTransport(new Agent({ connect: { ca: caPem } })))) },
  };
}

describe("msal-node against the emulator", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await TestEmulator.start();
  });
  afterAll(() => t.stop());

  const cfg = (auth: Partial<Configuration["auth"]>) =>
    msalConfig(t.emu.url, t.emu.caPem, t.creds.partnerTenantId, t.creds.clientId, auth as Configuration["auth"]);

  it("gets an app-only token with a client secret and makes no discovery request", async () => {
    await t.emu.admin.clearRequests();
    const cca = new ConfidentialClientApplication(cfg({ clientSecret: t.creds.clientSecret }));
    const r = await cca.acquireTokenByClientCredential({ scopes: [`${resources.partnerCenter}/.default`] });
    expect(decodeJwt(r!.accessToken)).toMatchObject({ aud: resources.partnerCenter, appid: t.creds.clientId });
    const seen = (await t.emu.admin.requests()).map((x) => `${x.method} ${x.path}`);
    expect(seen).toEqual([`POST /${t.creds.partnerTenantId}/oauth2/v2.0/token`]);
  });

  it("gets a token with the client certificate by SHA-256 thumbprint (x5t#S256, PS256)", async () => {
    const pem = readFileSync(t.creds.certificatePemFile, "utf8");
    const cca = new ConfidentialClientApplication(cfg({ clientCertificate: { thumbprintSha256: t.creds.certificateThumbprintSha256, privateKey: pem } }));
    const r = await cca.acquireTokenByClientCredential({ scopes: [`${resources.graph}/.default`] });
    expect(decodeJwt(r!.accessToken).aud).toBe(resources.graph);
  });

  it("gets a token with the client certificate by SHA-1 thumbprint (x5t, RS256)", async () => {
    const pem = readFileSync(t.creds.certificatePemFile, "utf8");
    const cca = new ConfidentialClientApplication(cfg({ clientCertificate: { thumbprint: t.creds.certificateThumbprint, privateKey: pem } }));
    const r = await cca.acquireTokenByClientCredential({ scopes: [`${resources.graph}/.default`] });
    expect(r!.accessToken).toBeTruthy();
  });

  it("fails with a certificate the app does not know", async () => {
    const pem = readFileSync(t.creds.certificatePemFile, "utf8");
    const cca = new ConfidentialClientApplication(cfg({ clientCertificate: { thumbprintSha256: "AB".repeat(32), privateKey: pem } }));
    await expect(cca.acquireTokenByClientCredential({ scopes: [`${resources.graph}/.default`] })).rejects.toThrow(/AADSTS700027/);
  });

  it("gets a token with a federated client assertion (workload identity)", async () => {
    const cca = new ConfidentialClientApplication(cfg({ clientAssertion: async () => t.emu.admin.federatedToken(t.creds.federatedSubject) }));
    const r = await cca.acquireTokenByClientCredential({ scopes: [`${resources.partnerCenter}/.default`] });
    expect(decodeJwt(r!.accessToken).idtyp).toBe("app");
  });

  it("redeems a refresh token into an App+User token and an account", async () => {
    const cca = new ConfidentialClientApplication(cfg({ clientSecret: t.creds.clientSecret }));
    const r = await cca.acquireTokenByRefreshToken({ refreshToken: t.creds.refreshToken, scopes: [`${resources.partnerCenter}/.default`] });
    expect(decodeJwt(r!.accessToken)).toMatchObject({ scp: "user_impersonation", idtyp: "user" });
    expect(r!.account?.username).toBe("admin@northwindcloud.onmicrosoft.com");
    expect(r!.account?.tenantId).toBe(t.creds.partnerTenantId);
  });

  it("surfaces the emulator's AADSTS errors through msal", async () => {
    const cca = new ConfidentialClientApplication(cfg({ clientSecret: "wrong" }));
    await expect(cca.acquireTokenByClientCredential({ scopes: [`${resources.graph}/.default`] })).rejects.toThrow(/AADSTS7000215/);
  });
});
