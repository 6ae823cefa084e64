import { readDefaultSeed } from "../../emulator/seed/load";
import { resources, TestEmulator } from "./helpers";

describe("delegated admin customers", () => {
  let t: TestEmulator;
  let token: string;
  const list = (q = "") => `${t.emu.endpoints.delegatedAdmin}/delegatedAdminCustomers${q}`;

  beforeAll(async () => {
    t = await TestEmulator.start();
    token = await t.userToken(resources.delegatedAdmin);
  });
  afterAll(() => t.stop());

  it("lists all customers with the documented fields", async () => {
    const r = await t.http("GET", list(), { token });
    expect(r.status).toBe(200);
    expect(r.json["@odata.context"]).toMatch(/\$metadata#delegatedAdminCustomers$/);
    expect(r.json.value).toHaveLength(25);
    expect(Object.keys(r.json.value[0]).sort()).toEqual(
      [
        "customerTenantId",
        "dapEnabled",
        "endDateTime",
        "globalAdminSignInCount",
        "id",
        "lastSignInDateTime",
        "organizationDisplayName",
        "partnerAgentCount",
        "partnerSignInCount",
        "startDateTime",
      ].sort(),
    );
    expect(r.json["@odata.nextLink"]).toBeUndefined();
  });

  it("filters with eq, ne, gt, lt, and, or and parentheses", async () => {
    const q = (f: string) => t.http("GET", list(`?$filter=${encodeURIComponent(f)}`), { token });
    expect((await q("organizationDisplayName eq 'Contoso'")).json.value).toHaveLength(1);
    const dap = (await q("dapEnabled eq true")).json.value;
    expect(dap.length).toBeGreaterThan(0);
    expect(dap.every((c: { dapEnabled: boolean }) => c.dapEnabled)).toBe(true);
    const notDap = (await q("dapEnabled ne true")).json.value;
    expect(dap.length + notDap.length).toBe(25);
    const recent = (await q("startDateTime gt 2022-06-01T00:00:00Z and startDateTime lt 2022-09-01T00:00:00Z")).json.value;
    expect(recent.every((c: { startDateTime: string }) => c.startDateTime > "2022-06" && c.startDateTime < "2022-09")).toBe(true);
    const either = (await q("(organizationDisplayName eq 'Contoso' or organizationDisplayName eq 'Fabrikam') and dapEnabled eq true")).json.value;
    expect(either.map((c: { organizationDisplayName: string }) => c.organizationDisplayName)).toEqual(["Contoso"]);
    expect((await q("lastSignInDateTime eq null")).json.value.length).toBeGreaterThan(0);
  });

  it("orders, selects, skips, counts", async () => {
    const r = await t.http("GET", list("?$orderBy=organizationDisplayName desc&$select=id,organizationDisplayName&$top=3&$skip=1&$count=true"), { token });
    expect(r.status).toBe(200);
    expect(r.json["@odata.count"]).toBe(25);
    expect(r.json.value).toHaveLength(3);
    expect(Object.keys(r.json.value[0]).sort()).toEqual(["id", "organizationDisplayName"]);
    const names = r.json.value.map((c: { organizationDisplayName: string }) => c.organizationDisplayName);
    expect(names).toEqual([...names].sort().reverse());
    const dir = await t.http("GET", list("?$orderby=lastSignInDateTime asc"), { token });
    expect(dir.json.value[0].lastSignInDateTime).toBeNull();
  });

  it("refuses $top=301 and invalid OData with 400 naming the problem", async () => {
    const top = await t.http("GET", list("?$top=301"), { token });
    expect(top.status).toBe(400);
    expect(top.json.description).toMatch(/limit of '300' for Top query has been exceeded.*'301'/);
    const field = await t.http("GET", list(`?$filter=${encodeURIComponent("nope eq 'x'")}`), { token });
    expect(field.status).toBe(400);
    expect(field.json.description).toMatch(/nope/);
    const order = await t.http("GET", list("?$orderby=partnerAgentCount"), { token });
    expect(order.status).toBe(400);
    expect(order.json.description).toMatch(/partnerAgentCount/);
    const syntax = await t.http("GET", list(`?$filter=${encodeURIComponent("dapEnabled eq")}`), { token });
    expect(syntax.status).toBe(400);
  });

  it("refuses app-only tokens with 403", async () => {
    const r = await t.http("GET", list(), { token: await t.appToken(resources.delegatedAdmin) });
    expect(r.status).toBe(403);
  });

  it("follows @odata.nextLink to the end when the page size is smaller than the result", async () => {
    const seed = readDefaultSeed() as { settings?: Record<string, number> };
    seed.settings = { delegatedAdminPageSize: 10 };
    await t.emu.admin.loadSeed(seed as never);
    const ids: string[] = [];
    let url: string | undefined = list("?$orderby=organizationDisplayName&$count=true");
    let pages = 0;
    while (url) {
      const r = await t.http("GET", url, { token });
      expect(r.status).toBe(200);
      ids.push(...r.json.value.map((c: { id: string }) => c.id));
      url = r.json["@odata.nextLink"];
      if (url) expect(url.startsWith("https://127.0.0.1:")).toBe(true);
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(25);

    const limited = await t.http("GET", list("?$top=15"), { token });
    expect(limited.json.value).toHaveLength(10);
    const rest = await t.http("GET", limited.json["@odata.nextLink"], { token });
    expect(rest.json.value).toHaveLength(5);
    expect(rest.json["@odata.nextLink"]).toBeUndefined();
    await t.emu.admin.reset();
  });
});
