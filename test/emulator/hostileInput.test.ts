import { connect } from "tls";
import { customers, resources, TestEmulator, type Reply } from "./helpers";

/** Odd input answers with the documented 400 (or a 404 for a path no route has), never a 500. */
describe("hostile input", () => {
  let t: TestEmulator;
  let pcToken: string;
  let daToken: string;
  beforeAll(async () => {
    t = await TestEmulator.start();
    pcToken = await t.userToken(resources.partnerCenter);
    daToken = await t.userToken(resources.delegatedAdmin);
  });
  afterAll(() => t.stop());

  /** Sends the path exactly as written: a URL parser would resolve `%2E%2E` before the request left. */
  async function raw(path: string, token: string, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await t.agent.request({ origin: t.emu.url, path, method: "GET", headers: { authorization: `Bearer ${token}`, ...headers } });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers as Record<string, string>, text, json: text ? JSON.parse(text) : undefined };
  }

  /** The status line the server answers to a request line no HTTP client library would send. */
  function statusLine(requestTarget: string): Promise<string> {
    const { port } = new URL(t.emu.url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port: Number(port), ca: t.emu.caPem }, () =>
        socket.write(`GET ${requestTarget} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
      );
      let out = "";
      socket.on("data", (d: Buffer) => (out += d.toString()));
      socket.on("end", () => resolve(out.split("\r\n")[0]));
      socket.on("error", reject);
      socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${requestTarget} within 5 s`)));
    });
  }

  const pc = `/partnercenter/v1/customers/${customers.contoso}`;
  const da = "/delegatedadmin/CustomerServiceAdminApi/Web/v1/delegatedAdminCustomers";

  describe("routing on the path as sent", () => {
    it("does not treat %2F as a separator", async () => {
      const r = await raw(`/partnercenter/v1/customers/${customers.contoso}%2Fusers`, pcToken);
      expect(r.status).toBe(404);
      expect(r.json).toMatchObject({ code: "404", source: "PartnerApiServiceControllers" });
      expect(r.json.items).toBeUndefined();
    });

    it("does not resolve %2E%2E into the parent segment", async () => {
      const r = await raw(`${pc}/users/%2E%2E/organization`, pcToken);
      expect(r.status).toBe(404);
      expect(Array.isArray(r.json)).toBe(false);
    });

    it("answers 404 to a request-target no URL parser takes, and keeps serving", async () => {
      expect(await statusLine("http://[")).toBe("HTTP/1.1 404 Not Found");
      expect(await statusLine(`${t.emu.url}/_emulator/health`)).toBe("HTTP/1.1 200 OK");
      expect((await raw(`${pc}/organization`, pcToken)).status).toBe(200);
    });

    it("still decodes a segment's quotes and parentheses however the client encoded them", async () => {
      const g = await t.appToken(resources.graph);
      const r = await raw(`/graph/v1.0/servicePrincipals%28appId=%27${t.creds.clientId}%27%29`, g);
      // Not a routing 400 "Resource not found for the segment": the route ran and looked the app up.
      expect(r.status).toBe(404);
      expect(r.json.error.code).toBe("Request_ResourceNotFound");
    });
  });

  describe("Partner Center users paging", () => {
    const next = (token: string) => raw(`${pc}/users?size=1&seekOperation=Next`, pcToken, { "MS-ContinuationToken": token });
    const token = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

    it("answers 400 code 2000 to a null continuation token", async () => {
      const r = await next(token(null));
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: "2000", description: expect.stringMatching(/MS-ContinuationToken/) });
    });

    it("answers 400 to a negative offset in the continuation token", async () => {
      const r = await next(token({ offset: -1, size: 1, state: "active", sortField: "", sortDirection: "ascending" }));
      expect(r.status).toBe(400);
      expect(r.json.code).toBe("2000");
    });

    it("answers 400 to sortField=__proto__ and to a filter of null", async () => {
      for (const query of ["sortField=__proto__", "filter=null", `filter=${encodeURIComponent('{"Field":"UserState","Value":["active"]}')}`]) {
        const r = await raw(`${pc}/users?${query}`, pcToken);
        expect([query, r.status, r.json.code]).toEqual([query, 400, "2000"]);
      }
    });
  });

  describe("delegated-admin OData", () => {
    it("answers 400 to a 5000-deep $filter", async () => {
      const deep = `${"(".repeat(5000)}dapEnabled eq true${")".repeat(5000)}`;
      const r = await raw(`${da}?$filter=${deep.replace(/ /g, "%20")}`, daToken);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: "2000", source: "CustomerServiceAdminApi", description: expect.stringMatching(/depth/) });
    });

    it("still answers a filter nested a few levels", async () => {
      const r = await raw(
        `${da}?$filter=${encodeURIComponent("((not (dapEnabled eq true)) or (dapEnabled eq true and partnerAgentCount ge 0))")}&$count=true`,
        daToken,
      );
      expect(r.status).toBe(200);
      expect(r.json["@odata.count"]).toBe(25);
    });

    it("answers 400 to $orderby=__proto__ and $filter=constructor eq 1", async () => {
      for (const query of ["$orderby=__proto__", "$orderby=constructor%20desc", "$filter=constructor%20eq%201"]) {
        const r = await raw(`${da}?${query}`, daToken);
        expect([query, r.status, r.json.code]).toEqual([query, 400, "2000"]);
      }
    });
  });

  describe("Graph $filter", () => {
    it("answers 400 in Graph's shape to a 5000-deep $filter", async () => {
      const deep = `${"(".repeat(5000)}appId eq 'x'${")".repeat(5000)}`;
      const r = await raw(`/graph/v1.0/servicePrincipals?$filter=${deep.replace(/ /g, "%20")}`, await t.appToken(resources.graph));
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe("BadRequest");
    });
  });

  describe("request bodies", () => {
    beforeEach(() => t.emu.admin.reset());
    const consents = () => t.pc(`/customers/${customers.contoso}/applicationconsents`);
    const consent = (scope: string) => ({
      applicationId: t.creds.controlPanelApplicationId,
      applicationGrants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scope }],
    });

    it("answers 400 (chosen; 415 is undocumented) to a JSON body sent as text/plain", async () => {
      const r = await t.http("POST", consents(), { token: pcToken, body: JSON.stringify(consent("User.Read")), headers: { "content-type": "text/plain" } });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: "2000", description: expect.stringMatching(/application\/json/) });
    });

    it('answers 400 naming the field to a consent scope of ",,,"', async () => {
      const r = await t.http("POST", consents(), { token: pcToken, body: consent(",,,") });
      expect(r.status).toBe(400);
      expect(r.json.description).toMatch(/applicationGrants\.0\.scope: must list at least one permission/);
      const inv = await t.emu.admin.inventory();
      expect(inv.customers.find((c) => c.id === customers.contoso)!.consents).toEqual([]);
    });
  });

  describe("ids that name members of Object.prototype", () => {
    const odd = ["constructor", "__proto__", "toString", "valueOf"];
    it("answers 404 on the GDAP routes and the users routes, and no phantom user", async () => {
      const graph = await t.appToken(resources.graph);
      const gdap = "/graph/v1.0/tenantRelationships/delegatedAdminRelationships";
      for (const id of odd) {
        for (const path of [`${gdap}/${id}`, `${gdap}/${id}/accessAssignments`, `${gdap}/${id}/accessAssignments/${id}`]) {
          expect([path, (await raw(path, graph)).status]).toEqual([path, 404]);
        }
        const user = await raw(`${pc}/users/${id}`, pcToken);
        expect([id, user.status]).toEqual([id, 404]);
        expect((await raw(`/partnercenter/v1/customers/${id}/users`, pcToken)).status).toBe(404);
      }
    });

    it("answers 400 to a negative or non-numeric $skiptoken on the relationship list", async () => {
      const graph = await t.appToken(resources.graph);
      for (const token of ["-5", "1e3", "abc"]) {
        const r = await raw(`/graph/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=${token}`, graph);
        expect([token, r.status]).toEqual([token, 400]);
        expect(r.json.error.message).toMatch(/\$skiptoken/);
      }
      expect((await raw("/_emulator/requests?limit=-1", "")).status).toBe(400);
    });
  });
});
