import * as s from "../../emulator/schemas/responses";
import * as ex from "./fixtures/specExamples";
import { customers, resources, TestEmulator } from "./helpers";

describe("the documented response examples", () => {
  it("parse with the emulator's schemas", () => {
    expect(s.customerUserSchema.parse(JSON.parse(ex.createCustomerUserResponse)).state).toBe("active");
    expect(s.organizationListSchema.parse(JSON.parse(ex.customerOrganizationResponse))).toHaveLength(1);
    expect(s.delegatedAdminCustomersSchema.parse(JSON.parse(ex.delegatedAdminCustomersResponse)).value).toHaveLength(2);
    for (const m of ex.mtoMemberResponses) s.multiTenantOrganizationMemberSchema.parse(JSON.parse(m));
    s.partnerCenterErrorSchema.parse(JSON.parse(ex.partnerCenterErrorExample));
    s.throttledSchema.parse(JSON.parse(ex.throttledExample));
  });
});

describe("the emulator's live answers", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await TestEmulator.start();
  });
  afterAll(() => t.stop());

  it("parse with the same schemas", async () => {
    const pc = await t.userToken(resources.partnerCenter);
    const created = await t.http("POST", t.pc(`/customers/${customers.contoso}/users`), {
      token: pc,
      body: {
        usageLocation: "US",
        userPrincipalName: "schema@contoso.onmicrosoft.com",
        displayName: "Schema",
        passwordProfile: { password: "abCD123*x", forceChangePassword: true },
      },
    });
    s.customerUserSchema.parse(created.json);
    s.customerUserListSchema.parse((await t.http("GET", t.pc(`/customers/${customers.contoso}/users`), { token: pc })).json);
    s.organizationListSchema.parse((await t.http("GET", t.pc(`/customers/${customers.contoso}/organization`), { token: pc })).json);
    s.partnerCenterErrorSchema.parse((await t.http("GET", t.pc(`/customers/${customers.contoso}/users/${customers.contoso}`), { token: pc })).json);
    const consent = await t.http("POST", t.pc(`/customers/${customers.contoso}/applicationconsents`), {
      token: pc,
      body: {
        applicationId: t.creds.controlPanelApplicationId,
        applicationGrants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scope: "User.Read.All" }],
      },
    });
    s.applicationConsentSchema.parse(consent.json);

    const da = await t.userToken(resources.delegatedAdmin);
    s.delegatedAdminCustomersSchema.parse((await t.http("GET", `${t.emu.endpoints.delegatedAdmin}/delegatedAdminCustomers?$count=true`, { token: da })).json);

    const graph = await t.appToken(resources.graph);
    const members = await t.http("GET", `${t.emu.endpoints.graph}/tenantRelationships/multiTenantOrganization/tenants`, { token: graph });
    for (const m of members.json.value) s.multiTenantOrganizationMemberSchema.parse(m);
    s.graphErrorSchema.parse(
      (await t.http("GET", `${t.emu.endpoints.graph}/tenantRelationships/multiTenantOrganization/tenants/${customers.contoso}`, { token: graph })).json,
    );

    const customerGraph = await t.appToken(resources.graph, customers.contoso);
    const sp = await t.http("GET", `${t.emu.endpoints.graph}/servicePrincipals(appId='${t.creds.controlPanelApplicationId}')`, { token: customerGraph });
    s.servicePrincipalSchema.parse(sp.json);
    s.oauth2PermissionGrantsSchema.parse(
      (await t.http("GET", `${t.emu.endpoints.graph}/oauth2PermissionGrants?$filter=clientId eq '${sp.json.id}'`, { token: customerGraph })).json,
    );

    s.tokenResponseSchema.parse(
      (
        await t.token({
          grant_type: "refresh_token",
          client_id: t.creds.clientId,
          client_secret: t.creds.clientSecret,
          refresh_token: t.creds.refreshToken,
          scope: `${resources.graph}/.default`,
        })
      ).json,
    );
    s.tokenErrorSchema.parse(
      (await t.token({ grant_type: "client_credentials", client_id: t.creds.clientId, client_secret: "bad", scope: `${resources.graph}/.default` })).json,
    );
  });
});
