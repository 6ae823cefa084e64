import { builtInRoles } from "../../provider/clients/builtInRoles";
import { customers, resources, TestEmulator } from "./helpers";

describe("the admin API", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await TestEmulator.start();
  });
  beforeEach(() => t.emu.admin.reset());
  afterAll(() => t.stop());

  const admin = (method: string, path: string, body?: unknown) => t.http(method, `${t.emu.endpoints.admin}${path}`, { body });

  describe("validates its bodies and names the bad field", () => {
    /** Everything those bodies could change. */
    const stored = async () => {
      const [faults, limits, latency, clock, inventory] = await Promise.all(
        ["/faults", "/limits", "/latency", "/clock", "/inventory"].map((p) => admin("GET", p)),
      );
      const { now: _now, ...customersState } = inventory.json;
      return { faults: faults.json, limits: limits.json, latency: latency.json, clockOffset: clock.json.offsetSeconds, customersState };
    };

    it.each([
      ["PUT", "/faults", { groups: { users: { failureRate: "abc" } } }, /groups\.users\.failureRate/],
      ["PUT", "/faults", { groups: { users: { failureRate: 1.5 } } }, /groups\.users\.failureRate/],
      ["PUT", "/faults", { rules: [{ action: "status", status: 200 }] }, /rules\.0\.status/],
      ["PUT", "/faults", { rules: [{ action: "explode" }] }, /rules\.0\.action/],
      ["PUT", "/limits", { users: { requestsPerSecond: -1 } }, /users\.requestsPerSecond/],
      ["PUT", "/limits", { users: { requestsPerSecond: 5, retryAfterSeconds: 0 } }, /users\.retryAfterSeconds/],
      ["PUT", "/latency", { fixedMs: 1e12 }, /fixedMs/],
      ["PUT", "/latency", { fixedMs: 10, distribution: "gaussian" }, /distribution/],
      ["POST", "/clock", { advanceSeconds: 1e300 }, /advanceSeconds/],
      ["PATCH", `/customers/${customers.contoso}/users/00000000-0000-0000-0000-000000000000`, {}, /Unknown user/],
      ["PATCH", `/customers/${customers.contoso}`, { gdapRoles: "User Administrator" }, /gdapRoles/],
    ])("%s %s %j", async (method, path, body, field) => {
      const before = await stored();
      const r = await admin(method, path, body);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.json.message).toMatch(field);
      expect(await stored()).toEqual(before);
    });

    it("refuses fields an out-of-band user edit cannot set", async () => {
      const user = (await t.emu.admin.inventory()).customers.find((c) => c.id === customers.contoso)!.users[0];
      const r = await admin("PATCH", `/customers/${customers.contoso}/users/${user.id}`, { password: "plain", createdOrder: -1 });
      expect(r.status).toBe(400);
      expect(r.json.message).toMatch(/password/);
    });
  });

  describe("PATCH customers/{c}: seed facts mid-run", () => {
    const users = () => t.pc(`/customers/${customers.contoso}/users`);
    const newUser = {
      usageLocation: "US",
      userPrincipalName: "midrun@contoso.onmicrosoft.com",
      displayName: "Mid Run",
      passwordProfile: { password: "abCD123*x" },
    };

    it("takes a GDAP role away and gives it back without wiping the store", async () => {
      const token = await t.userToken(resources.partnerCenter);
      const created = await t.http("POST", users(), { token, body: newUser });
      expect(created.status).toBe(200);

      const patched = await admin("PATCH", `/customers/${customers.contoso}`, { gdapRoles: ["Global Reader"] });
      expect(patched.status).toBe(200);
      expect(patched.json.gdapRoles).toEqual(["Global Reader"]);
      const refused = await t.http("GET", users(), { token });
      expect(refused.status).toBe(403);
      expect(refused.json.description).toMatch(/the partner holds: Global Reader/);
      // Organization accepts Global Reader: the change is per operation, as roles are.
      expect((await t.http("GET", t.pc(`/customers/${customers.contoso}/organization`), { token })).status).toBe(200);

      expect((await admin("PATCH", `/customers/${customers.contoso}`, { gdapRoles: ["User Administrator"] })).status).toBe(200);
      const listed = await t.http("GET", users(), { token });
      expect(listed.status).toBe(200);
      expect(listed.json.items.map((u: { id: string }) => u.id)).toContain(created.json.id);
    });

    it("changes what the delegated-admin list shows", async () => {
      const r = await admin("PATCH", `/customers/${customers.contoso}`, { dapEnabled: true, organization: { displayName: "Contoso Renamed" } });
      expect(r.status).toBe(200);
      const token = await t.userToken(resources.delegatedAdmin);
      const list = await t.http(
        "GET",
        `${t.emu.endpoints.delegatedAdmin}/delegatedAdminCustomers?$filter=${encodeURIComponent(`customerTenantId eq '${customers.contoso}'`)}`,
        { token },
      );
      expect(list.json.value[0]).toMatchObject({ organizationDisplayName: "Contoso Renamed", dapEnabled: true });
    });

    it("answers 404 for an unknown customer", async () => {
      const r = await admin("PATCH", "/customers/00000000-0000-0000-0000-000000000000", { dapEnabled: true });
      expect(r.status).toBe(404);
    });
  });

  it("checks the out-of-band roles of an access assignment: none, not GUIDs, or roles the relationship lacks are 400s and change nothing", async () => {
    const graph = await t.appToken(resources.graph);
    const gdap = (path = "") => `${t.emu.endpoints.graph}/tenantRelationships/delegatedAdminRelationships${path}`;
    const customer = (await admin("GET", "/inventory")).json.customers.find((c: any) => c.gdapRoles.length === 0).id;
    const userAdmin = builtInRoles["User Administrator"];
    const r = await t.http("POST", gdap(), {
      token: graph,
      body: {
        displayName: "admin-roles",
        duration: "P30D",
        customer: { tenantId: customer },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: userAdmin }] },
      },
    });
    await t.http("POST", gdap(`/${r.json.id}/requests`), { token: graph, body: { action: "lockForApproval" } });
    await admin("POST", `/delegatedAdminRelationships/${r.json.id}/approve`);
    const group = "1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01";
    const a = await t.http("POST", gdap(`/${r.json.id}/accessAssignments`), {
      token: graph,
      body: {
        accessContainer: { accessContainerId: group, accessContainerType: "securityGroup" },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: userAdmin }] },
      },
    });
    expect(a.status).toBe(201);
    const roles = `/delegatedAdminRelationships/${r.json.id}/accessAssignments/${a.json.id}/roles`;
    for (const [ids, reason] of [
      [[], /roleDefinitionIds: must name at least one role/],
      [["not-a-guid"], /roleDefinitionIds\.0: must be a GUID/],
      [[builtInRoles["Global Administrator"]], /not roles of relationship/],
      [[userAdmin, userAdmin.toUpperCase()], /must not repeat/],
    ] as const) {
      const bad = await admin("PUT", roles, { roleDefinitionIds: ids });
      expect(bad.status).toBe(400);
      expect(bad.json.message).toMatch(reason);
    }
    expect((await admin("GET", "/delegatedAdminRelationships")).json.heldRoles[customer]).toEqual(["User Administrator"]);
    expect((await admin("PUT", roles, { roleDefinitionIds: [userAdmin] })).status).toBe(200);
    expect(
      (await admin("PUT", `/delegatedAdminRelationships/constructor/accessAssignments/${a.json.id}/roles`, { roleDefinitionIds: [userAdmin] })).status,
    ).toBe(404);
  });

  it("answers 404, not 500, to a customer id that names a member of Object.prototype", async () => {
    for (const id of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect((await admin("PATCH", `/customers/${id}`, { dapEnabled: true })).status).toBe(404);
      expect((await admin("PATCH", `/customers/${customers.contoso}/users/${id}`, { displayName: "x" })).status).toBe(404);
    }
  });
});
