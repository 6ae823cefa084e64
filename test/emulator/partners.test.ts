/**
 * Two partner tenants served by one emulator (the seed's optional `partners`): each gets tokens in
 * its own tenant only, sees only its own customers, and a call for the other partner's customer is
 * refused as Partner Center refuses a tenant that is not the partner's customer (404, code 60003).
 */
import * as fs from "fs";
import * as path from "path";
import { parseSeed } from "../../emulator/seed/load";
import { repoRoot } from "../support/engine";
import { secondPartner as b, withSecondPartner } from "../support/secondPartner";
import { customers, resources, TestEmulator } from "./helpers";

const defaultSeed = () => JSON.parse(fs.readFileSync(path.join(repoRoot, "emulator", "seeds", "default.json"), "utf8"));

describe("a second partner tenant", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await TestEmulator.start({ seed: withSecondPartner(defaultSeed()) });
  });
  afterAll(() => t.stop());

  const grant = (tenant: string, clientId: string, clientSecret: string, refreshToken?: string, resource = resources.partnerCenter) =>
    t.token(
      refreshToken
        ? { grant_type: "refresh_token", client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken, scope: `${resource}/.default` }
        : { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope: `${resource}/.default` },
      tenant,
    );
  const userTokenOfB = async () => (await grant(b.tenantId, b.clientId, b.clientSecret, b.refreshToken)).json.access_token as string;

  it("issues tokens per tenant: each app and partner user in its own partner tenant only", async () => {
    const ok = await grant(b.tenantId, b.clientId, b.clientSecret, b.refreshToken);
    expect(ok.status).toBe(200);
    expect(JSON.parse(Buffer.from(ok.json.access_token.split(".")[1], "base64url").toString())).toMatchObject({ tid: b.tenantId, appid: b.clientId });
    expect((await grant(b.domain, b.clientId, b.clientSecret)).status).toBe(200);
    // The other partner's app is not registered here, whichever way round.
    expect((await grant(t.creds.partnerTenantId, b.clientId, b.clientSecret)).json.error_codes).toEqual([700016]);
    expect((await grant(b.tenantId, t.creds.clientId, t.creds.clientSecret)).json.error_codes).toEqual([700016]);
    // Nor does a partner user sign in to the other partner's tenant.
    expect((await grant(t.creds.partnerTenantId, t.creds.clientId, t.creds.clientSecret, b.refreshToken)).json.error_codes).toEqual([70000]);
  });

  it("lists only the calling partner's customers", async () => {
    const list = async (token: string) =>
      (await t.http("GET", `${t.emu.endpoints.delegatedAdmin}/delegatedAdminCustomers`, { token })).json.value.map((c: any) => c.id);
    const tokenB = await grant(b.tenantId, b.clientId, b.clientSecret, b.refreshToken, resources.delegatedAdmin);
    expect(await list(tokenB.json.access_token)).toEqual([b.customerId]);
    const ofA = await list(await t.userToken(resources.delegatedAdmin));
    expect(ofA).toContain(customers.contoso);
    expect(ofA).not.toContain(b.customerId);
  });

  it("refuses the other partner's customer with 404 60003, and writes nothing there", async () => {
    const newUser = (domain: string) => ({
      userPrincipalName: `probe@${domain}`,
      displayName: "Probe",
      usageLocation: "US",
      passwordProfile: { password: "Probe-Passw0rd!", forceChangePassword: true },
    });
    const tokenA = await t.userToken(resources.partnerCenter);
    const tokenB = await userTokenOfB();
    const refused = await t.http("POST", t.pc(`/customers/${b.customerId}/users`), { token: tokenA, body: newUser(b.customerDomain) });
    expect(refused.status).toBe(404);
    expect(refused.json).toMatchObject({ code: "60003" });
    expect((await t.http("GET", t.pc(`/customers/${customers.contoso}/users`), { token: tokenB })).json).toMatchObject({ code: "60003" });
    const made = await t.http("POST", t.pc(`/customers/${b.customerId}/users`), { token: tokenB, body: newUser(b.customerDomain) });
    expect(made.status).toBe(200);
    const inventory = await t.emu.admin.inventory();
    const ofB = inventory.customers.find((c) => c.id === b.customerId)!;
    expect(ofB.partnerTenantId).toBe(b.tenantId);
    expect(ofB.users.map((u: any) => u.userPrincipalName)).toEqual([`probe@${b.customerDomain}`]);
    expect(inventory.customers.find((c) => c.id === customers.contoso)!.partnerTenantId).toBe(t.creds.partnerTenantId);
  });

  it("refuses a seed whose further partner names an unknown customer, or reuses a tenant or an app", () => {
    const bad = (change: (s: any) => void) => {
      const s = withSecondPartner(defaultSeed());
      change(s);
      return () => parseSeed(s);
    };
    expect(bad((s) => (s.partners[0].customers = ["00000000-0000-4000-8000-000000000001"]))).toThrow(/partners\.0\.customers: .* is not a customer/);
    expect(bad((s) => (s.partners[0].tenantId = s.partner.tenantId))).toThrow(/partners\.0\.tenantId/);
    expect(bad((s) => (s.partners[0].applications[0].clientId = s.applications[0].clientId))).toThrow(/partners\.0\.applications/);
  });
});
