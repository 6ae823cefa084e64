/**
 * The seed's GDAP roles are relationships: for every customer of the default seed, the roles the
 * emulator enforces are those of the access assignments of its active relationships, as a partner
 * reads them through Graph's GDAP routes; and the admin API's `gdapRoles` PATCH changes both alike.
 */
import { builtInRoleName } from "../../provider/clients/builtInRoles";
import { loadSeed } from "../../emulator/seed/load";
import { customers, resources, TestEmulator } from "./helpers";

describe("the default seed's GDAP roles", () => {
  let t: TestEmulator;
  let graph: string;
  let pcToken: string;
  const admin = (method: string, path: string, body?: unknown) => t.http(method, `${t.emu.endpoints.admin}${path}`, { body });
  const gdap = (path = "") => `${t.emu.endpoints.graph}/tenantRelationships/delegatedAdminRelationships${path}`;
  const sorted = (xs: string[]) => [...xs].sort();

  beforeAll(async () => {
    t = await TestEmulator.start();
    graph = await t.appToken(resources.graph);
    pcToken = await t.userToken(resources.partnerCenter);
  });
  afterAll(() => t.stop());

  /** Per customer, the role names of the active assignments of its active relationships, read as a partner reads them. */
  async function rolesThroughGraph(): Promise<Map<string, string[]>> {
    const rels = await t.http("GET", gdap(), { token: graph });
    expect(rels.status).toBe(200);
    const roles = new Map<string, string[]>();
    for (const r of rels.json.value.filter((x: any) => x.status === "active")) {
      const assignments = await t.http("GET", gdap(`/${r.id}/accessAssignments`), { token: graph });
      expect(assignments.status).toBe(200);
      const held = roles.get(r.customer.tenantId) ?? [];
      for (const a of assignments.json.value.filter((x: any) => x.status === "active")) {
        for (const { roleDefinitionId } of a.accessDetails.unifiedRoles) {
          // An assignment's roles are some of its relationship's (documented).
          expect(r.accessDetails.unifiedRoles.map((u: any) => u.roleDefinitionId)).toContain(roleDefinitionId);
          held.push(builtInRoleName(roleDefinitionId) ?? roleDefinitionId);
        }
      }
      roles.set(r.customer.tenantId, [...new Set(held)]);
    }
    return roles;
  }

  /** What the emulator enforces: a Partner Center users list answers 200 only with a role the seed's roleRequirements accept. */
  const canListUsers = async (customerId: string) => {
    const res = await t.http("GET", t.pc(`/customers/${customerId}/users`), { token: pcToken });
    expect([200, 403]).toContain(res.status);
    return res.status === 200;
  };

  it("enforces, for each seed customer, exactly the roles Graph lists for its active relationships' access assignments", async () => {
    const seed = loadSeed();
    const usersRoles = [...seed.roleRequirements.users, "Global Administrator"];
    const viaGraph = await rolesThroughGraph();
    const inventory = (await admin("GET", "/inventory")).json;
    for (const c of seed.customers) {
      const listed = viaGraph.get(c.id) ?? [];
      expect({ customer: c.organization.displayName, roles: sorted(listed) }).toEqual({ customer: c.organization.displayName, roles: sorted(c.gdapRoles) });
      expect(sorted(inventory.customers.find((x: any) => x.id === c.id).gdapRoles)).toEqual(sorted(listed));
      expect({ customer: c.organization.displayName, canListUsers: await canListUsers(c.id) }).toEqual({
        customer: c.organization.displayName,
        canListUsers: listed.some((r) => usersRoles.includes(r)),
      });
    }
    // The shorthand gives each relationship one access assignment, to the seed's first security group.
    const contoso = (await t.http("GET", gdap(`?$filter=customer/tenantId eq '${customers.contoso}'`), { token: graph })).json.value;
    expect(contoso).toHaveLength(1);
    const [assignment] = (await t.http("GET", gdap(`/${contoso[0].id}/accessAssignments`), { token: graph })).json.value;
    expect(assignment.accessContainer.accessContainerId).toBe(seed.partnerGroups[0].id);
  });

  it("keeps the seeded relationships' ids across a reset, and the PATCH of gdapRoles acts on them, so Graph and enforcement still agree", async () => {
    const before = (await t.http("GET", gdap(), { token: graph })).json.value.map((r: any) => r.id);
    expect((await admin("POST", "/reset")).status).toBe(200);
    expect((await t.http("GET", gdap(), { token: graph })).json.value.map((r: any) => r.id)).toEqual(before);

    const patched = await admin("PATCH", `/customers/${customers.contoso}`, { gdapRoles: ["Global Reader"] });
    expect(patched.json.gdapRoles).toEqual(["Global Reader"]);
    expect((await rolesThroughGraph()).get(customers.contoso)).toEqual(["Global Reader"]);
    expect(await canListUsers(customers.contoso)).toBe(false);
    // Another field's PATCH leaves the roles (and every other fact) as they were.
    const dap = await admin("PATCH", `/customers/${customers.contoso}`, { dapEnabled: false });
    expect(dap.json.gdapRoles).toEqual(["Global Reader"]);
    const facts = (await admin("GET", "/inventory")).json.customers.find((c: any) => c.id === customers.contoso);
    expect(facts).toMatchObject({ dapEnabled: false, gdapRoles: ["Global Reader"] });

    expect((await admin("PATCH", `/customers/${customers.contoso}`, { gdapRoles: [] })).json.gdapRoles).toEqual([]);
    expect((await rolesThroughGraph()).get(customers.contoso)).toBeUndefined();
    expect((await admin("PATCH", `/customers/${customers.contoso}`, { gdapRoles: ["User Administrator"] })).json.gdapRoles).toEqual(["User Administrator"]);
    expect((await rolesThroughGraph()).get(customers.contoso)).toEqual(["User Administrator"]);
    expect(await canListUsers(customers.contoso)).toBe(true);
    // Made anew after the [] took it away: the same id, listed last (Graph lists by creation).
    expect(sorted((await t.http("GET", gdap(), { token: graph })).json.value.map((r: any) => r.id))).toEqual(sorted(before));

    const bad = await admin("PATCH", `/customers/${customers.contoso}`, { gdapRoles: ["User Admin"] });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/gdapRoles\.0: must be the name of a Microsoft Entra built-in role/);
  });

  it("takes a relationship's roles away when the clock passes its end, right after they were checked", async () => {
    expect((await admin("POST", "/reset")).status).toBe(200);
    pcToken = await t.userToken(resources.partnerCenter);
    const seed = loadSeed();
    // A seeded relationship holding Global Administrator is not auto-extended; the others are.
    const ending = seed.customers.find((c) => c.gdapRoles.includes("Global Administrator"))!;
    const extended = seed.customers.find((c) => c.id === customers.contoso)!;
    expect(await canListUsers(ending.id)).toBe(true);
    expect(await canListUsers(extended.id)).toBe(true);
    const relationshipOf = async (customerId: string) =>
      (await t.http("GET", gdap(`?$filter=customer/tenantId eq '${customerId}'`), { token: graph })).json.value[0];
    const end = Date.parse((await relationshipOf(ending.id)).endDateTime);
    const now = Date.parse((await admin("GET", "/clock")).json.now);
    // Just short of the end: nothing moves, however often the roles are checked.
    // The tokens are issued again after each move: two years later, the old ones have expired.
    const move = async (advanceSeconds: number) => {
      await admin("POST", "/clock", { advanceSeconds });
      [graph, pcToken] = [await t.appToken(resources.graph), await t.userToken(resources.partnerCenter)];
    };
    await move(Math.floor((end - now) / 1000) - 60);
    expect(await canListUsers(ending.id)).toBe(true);
    expect((await relationshipOf(ending.id)).status).toBe("active");
    await move(120);
    expect(await canListUsers(ending.id)).toBe(false);
    expect((await relationshipOf(ending.id)).status).toBe("expired");
    expect((await admin("GET", "/inventory")).json.customers.find((c: any) => c.id === ending.id).gdapRoles).toEqual([]);
    expect(await canListUsers(extended.id)).toBe(true);
    expect((await relationshipOf(extended.id)).status).toBe("active");
    expect((await admin("POST", "/reset")).status).toBe(200);
    await move(0);
    expect(await canListUsers(ending.id)).toBe(true);
  });
});
