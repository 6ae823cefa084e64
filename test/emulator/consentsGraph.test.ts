import { customers, resources, TestEmulator } from "./helpers";
import { readDefaultSeed } from "../../emulator/seed/load";

const graphAppId = "00000003-0000-0000-c000-000000000000";

describe("CPV application consents, organization and Graph", () => {
  let t: TestEmulator;
  let token: string;
  beforeAll(async () => {
    t = await TestEmulator.start();
  });
  beforeEach(async () => {
    await t.emu.admin.reset();
    token = await t.userToken(resources.partnerCenter);
  });
  afterAll(() => t.stop());

  const consents = (c = customers.contoso) => t.pc(`/customers/${c}/applicationconsents`);
  const consentBody = () => ({
    applicationId: t.creds.controlPanelApplicationId,
    displayName: "Contoso CPV",
    applicationGrants: [{ enterpriseApplicationId: graphAppId, scope: "Directory.Read.All,User.Read.All" }],
  });

  it("creates a consent that Graph shows in the customer tenant as a service principal and a grant", async () => {
    const r = await t.http("POST", consents(), { token, body: consentBody() });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ applicationId: t.creds.controlPanelApplicationId, applicationGrants: consentBody().applicationGrants });

    const customerToken = await t.appToken(resources.graph, customers.contoso);
    const sp = await t.http("GET", `${t.emu.endpoints.graph}/servicePrincipals(appId='${t.creds.controlPanelApplicationId}')`, { token: customerToken });
    expect(sp.status).toBe(200);
    expect(sp.json).toMatchObject({ appId: t.creds.controlPanelApplicationId, displayName: "Contoso CPV" });

    const grants = await t.http("GET", `${t.emu.endpoints.graph}/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${sp.json.id}'`)}`, {
      token: customerToken,
    });
    expect(grants.status).toBe(200);
    expect(grants.json["@odata.context"]).toMatch(/oauth2PermissionGrants$/);
    expect(grants.json.value).toEqual([
      {
        id: expect.any(String),
        clientId: sp.json.id,
        consentType: "AllPrincipals",
        principalId: null,
        resourceId: expect.any(String),
        scope: "Directory.Read.All User.Read.All",
      },
    ]);
    const graphSp = await t.http("GET", `${t.emu.endpoints.graph}/servicePrincipals(appId=%27${graphAppId}%27)`, { token: customerToken });
    expect(grants.json.value[0].resourceId).toBe(graphSp.json.id);
    // A grant's resource read by its object id, as an import maps it back to an appId.
    const byId = await t.http("GET", `${t.emu.endpoints.graph}/servicePrincipals/${grants.json.value[0].resourceId}`, { token: customerToken });
    expect(byId.json).toMatchObject({ id: graphSp.json.id, appId: graphAppId });
    const missing = await t.http("GET", `${t.emu.endpoints.graph}/servicePrincipals/${t.creds.controlPanelApplicationId}`, { token: customerToken });
    expect(missing.status).toBe(404);
  });

  it("answers 409 'Permission entry already exists.' for an existing consent", async () => {
    await t.http("POST", consents(), { token, body: consentBody() });
    const again = await t.http("POST", consents(), { token, body: consentBody() });
    expect(again.status).toBe(409);
    expect(again.json.description).toBe("Permission entry already exists.");
  });

  it("deletes a consent with 204, removing its service principal and grants; a second delete is 404", async () => {
    await t.http("POST", consents(), { token, body: consentBody() });
    const del = await t.http("DELETE", `${consents()}/${t.creds.controlPanelApplicationId}`, { token });
    expect(del.status).toBe(204);
    const customerToken = await t.appToken(resources.graph, customers.contoso);
    const sp = await t.http("GET", `${t.emu.endpoints.graph}/servicePrincipals(appId='${t.creds.controlPanelApplicationId}')`, { token: customerToken });
    expect(sp.status).toBe(404);
    expect(sp.json.error).toMatchObject({ code: "Request_ResourceNotFound", innerError: { "request-id": expect.any(String), date: expect.any(String) } });
    expect((await t.http("DELETE", `${consents()}/${t.creds.controlPanelApplicationId}`, { token })).status).toBe(404);
  });

  it("makes out-of-band drift visible through Graph", async () => {
    await t.http("POST", consents(), { token, body: consentBody() });
    const inv = await t.emu.admin.inventory();
    const grant = inv.customers.find((c) => c.id === customers.contoso)!.grants[0];
    await t.emu.admin.removeGrantScope(customers.contoso, grant.id, "User.Read.All");
    const customerToken = await t.appToken(resources.graph, customers.contoso);
    const grants = await t.http("GET", `${t.emu.endpoints.graph}/oauth2PermissionGrants?$filter=clientId eq '${grant.clientId}'`, { token: customerToken });
    expect(grants.json.value[0].scope).toBe("Directory.Read.All");
    await t.emu.admin.deleteGrant(customers.contoso, grant.id);
    const none = await t.http("GET", `${t.emu.endpoints.graph}/oauth2PermissionGrants?$filter=clientId eq '${grant.clientId}'`, { token: customerToken });
    expect(none.json.value).toEqual([]);
  });

  it("refuses a consent without an application-administration GDAP role with 403, and bad bodies with 400", async () => {
    const inv = await t.emu.admin.inventory();
    const readerOnly = inv.customers.find((c) => c.gdapRoles.join() === "Global Reader")!;
    expect((await t.http("POST", consents(readerOnly.id), { token, body: consentBody() })).status).toBe(403);
    const bad = await t.http("POST", consents(), { token, body: { applicationId: "not-a-guid", applicationGrants: [] } });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe("2000");
  });

  it("returns the organization as a JSON array, to app-only tokens too", async () => {
    const app = await t.appToken(resources.partnerCenter);
    const r = await t.http("GET", t.pc(`/customers/${customers.contoso}/organization`), { token: app });
    expect(r.status).toBe(200);
    expect(Array.isArray(r.json)).toBe(true);
    expect(r.json[0]).toEqual({
      street: "1 Microsoft Way",
      countryLetterCode: "US",
      postalCode: "98052-8300",
      city: "Redmond",
      state: "WA",
      displayName: "Contoso",
      technicalNotificationMails: ["it@contoso.onmicrosoft.com"],
    });
    const inv = await t.emu.admin.inventory();
    const noGdap = inv.customers.find((c) => c.gdapRoles.length === 0)!;
    expect((await t.http("GET", t.pc(`/customers/${noGdap.id}/organization`), { token: app })).status).toBe(403);
  });

  describe("the multitenant organization", () => {
    const mto = () => `${t.emu.endpoints.graph}/tenantRelationships/multiTenantOrganization/tenants`;

    it("lists members with all fields for MultiTenantOrganization.Read.All", async () => {
      const g = await t.appToken(resources.graph);
      const r = await t.http("GET", mto(), { token: g });
      expect(r.status).toBe(200);
      expect(r.json.value).toHaveLength(3);
      const pending = r.json.value.find((m: { state: string }) => m.state === "pending");
      expect(pending).toMatchObject({
        role: "member",
        transitionDetails: { desiredState: "active", desiredRole: "owner", status: "notStarted", details: null },
      });
    });

    it("gets one member, honours $select and $filter, and answers 404 Request_ResourceNotFound for a non-member", async () => {
      const g = await t.appToken(resources.graph);
      const one = await t.http("GET", `${mto()}/${t.creds.partnerTenantId}?$select=tenantId,role`, { token: g });
      expect(one.status).toBe(200);
      expect(one.json).toEqual({ "@odata.context": expect.stringMatching(/\$entity$/), tenantId: t.creds.partnerTenantId, role: "owner" });
      const filtered = await t.http("GET", `${mto()}?$filter=tenantId eq '${t.creds.partnerTenantId}'`, { token: g });
      expect(filtered.json.value).toHaveLength(1);
      const missing = await t.http("GET", `${mto()}/${customers.contoso}`, { token: g });
      expect(missing.status).toBe(404);
      expect(missing.json.error.code).toBe("Request_ResourceNotFound");
    });

    it("shows only displayName and tenantId with MultiTenantOrganization.ReadBasic.All", async () => {
      const seed = readDefaultSeed() as { applications: { appRoles: Record<string, string[]> }[] };
      seed.applications[0].appRoles[resources.graph] = ["MultiTenantOrganization.ReadBasic.All"];
      await t.emu.admin.loadSeed(seed as never);
      const g = await t.appToken(resources.graph);
      const r = await t.http("GET", mto(), { token: g });
      for (const m of r.json.value) expect(Object.keys(m).sort()).toEqual(["displayName", "tenantId"]);
    });

    it("answers 401 InvalidAuthenticationToken in Graph's shape for a Partner Center token", async () => {
      const r = await t.http("GET", mto(), { token: await t.appToken(resources.partnerCenter) });
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe("InvalidAuthenticationToken");
    });
  });
});
