import { setTimeout as sleep } from "timers/promises";
import { customers, resources, TestEmulator } from "./helpers";

describe("throttling, faults, latency and the request log", () => {
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

  const users = () => t.pc(`/customers/${customers.contoso}/users`);

  it("answers 429 with Retry-After and the documented body, and counts early retries", async () => {
    await t.emu.admin.setLimits({ users: { requestsPerSecond: 2, retryAfterSeconds: 1, key: "partnerCustomer" } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.http("GET", users(), { token })).status);
    expect(statuses).toEqual([200, 200, 429]);

    const early = await t.http("GET", users(), { token });
    expect(early.status).toBe(429);
    expect(early.headers["retry-after"]).toBe("1");
    expect(early.json).toEqual({ statusCode: 429, message: "Rate limit is exceeded. Try again in 1 seconds." });

    // Other customers have their own bucket.
    const other = (await t.emu.admin.inventory()).customers[1].id;
    expect((await t.http("GET", t.pc(`/customers/${other}/users`), { token })).status).not.toBe(429);

    await sleep(1100);
    expect((await t.http("GET", users(), { token })).status).toBe(200);

    const m = await t.emu.admin.metrics();
    const key = Object.keys(m.earlyRetries).find((k) => k.includes(customers.contoso))!;
    expect(m.earlyRetries[key]).toBe(1);
    expect(m.throttled.users).toBe(2);
    expect(m.requests.users["429"]).toBe(2);
    expect(m.maxRequestsPerSecond[key]).toBeGreaterThanOrEqual(4);
  });

  it("limits consents to 50 requests per second per application by default", async () => {
    // The default, read back from the emulator; the behaviour itself is checked at a rate low enough
    // that a busy machine cannot deliver the burst slowly enough to dodge it (no timing in the test).
    const limits = (await t.emu.admin.getLimits()) as Record<string, any>;
    expect(limits.consents).toMatchObject({ requestsPerSecond: 50, key: "application" });
    await t.emu.admin.setLimits({ consents: { requestsPerSecond: 0.5, burst: 5, key: "application", retryAfterSeconds: 1 } });
    const url = t.pc(`/customers/${customers.contoso}/applicationconsents/11111111-1111-1111-1111-111111111111`);
    const replies = await Promise.all(Array.from({ length: 20 }, () => t.http("DELETE", url, { token })));
    const throttled = replies.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0].headers["retry-after"]).toMatch(/^\d+$/);
    expect(replies.filter((r) => r.status === 404).length).toBeGreaterThanOrEqual(5);
  });

  it("answers Graph's own 429 shape on Graph", async () => {
    await t.emu.admin.setLimits({ graph: { requestsPerSecond: 1, retryAfterSeconds: 2 } });
    const g = await t.appToken(resources.graph);
    const url = `${t.emu.endpoints.graph}/tenantRelationships/multiTenantOrganization/tenants`;
    await t.http("GET", url, { token: g });
    const r = await t.http("GET", url, { token: g });
    expect(r.status).toBe(429);
    expect(r.headers["retry-after"]).toBe("2");
    expect(r.json.error.code).toBe("TooManyRequests");
  });

  it("injects failures deterministically from the fault seed", async () => {
    const run = async () => {
      await t.emu.admin.setFaults({ seed: 7, groups: { organization: { failureRate: 0.5, statuses: [500, 503] } } });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await t.http("GET", t.pc(`/customers/${customers.contoso}/organization`), { token })).status);
      return out;
    };
    const first = await run();
    const second = await run();
    expect(first).toEqual(second);
    expect(first.some((s) => s >= 500)).toBe(true);
    expect(first.some((s) => s === 200)).toBe(true);
    await t.emu.admin.setFaults({ rules: [{ group: "organization", action: "status", status: 503 }] });
    const failed = await t.http("GET", t.pc(`/customers/${customers.contoso}/organization`), { token });
    expect(failed.status).toBe(503);
    expect(failed.json).toMatchObject({ code: "503", source: "PartnerApiServiceControllers" });
  });

  it("holds a request for a delay rule, then serves it; setting the faults again ends a held one as a reset that changed nothing", async () => {
    const url = `/customers/${customers.contoso}/users`;
    const body = (n: string) => ({
      displayName: n,
      userPrincipalName: `${n}@contoso.onmicrosoft.com`,
      firstName: n,
      lastName: "Held",
      usageLocation: "US",
      passwordProfile: { password: "Held-Passw0rd!x", forceChangePassword: true },
      attributes: { objectType: "CustomerUser" },
    });
    const created = async (n: string) =>
      ((await t.emu.admin.inventory()).customers as any[]).find((c) => c.id === customers.contoso).users.some((u: any) => u.displayName === n);
    expect(await t.emu.admin.setFaults({ rules: [{ method: "POST", pathContains: "/users", action: "delay" } as any] }).catch((e: Error) => e.message)).toMatch(
      /400.*delayMs is required with action delay/,
    );

    // Held: a GET sent after it is answered first (4 s: room for a loaded machine); the held POST then goes on as usual.
    await t.emu.admin.setFaults({ rules: [{ method: "POST", pathContains: "/users", action: "delay", delayMs: 4000 }] });
    const order: string[] = [];
    const held = t.http("POST", t.pc(url), { token, body: body("heldone") }).then((r) => (order.push("post"), r));
    await sleep(200);
    await t.http("GET", t.pc(url), { token }).then(() => order.push("get"));
    expect((await held).status).toBe(200);
    expect(order).toEqual(["get", "post"]);
    expect(await created("heldone")).toBe(true);

    // Released by a new fault script: the client sees a reset, and the user was never created.
    await t.emu.admin.setFaults({ rules: [{ method: "POST", pathContains: "/users", action: "delay", delayMs: 300_000 }] });
    const released = t.http("POST", t.pc(url), { token, body: body("released") }).then(
      (r) => `answered ${r.status}`,
      (e: Error & { code?: string }) => `failed ${e.code ?? e.message}`,
    );
    await sleep(200);
    await t.emu.admin.setFaults({});
    expect(await released).toMatch(/^failed (UND_ERR_SOCKET|ECONNRESET)/);
    expect(await created("released")).toBe(false);
  });

  it("answers an injected fault with the body of its own status, in the shape of the API it hit", async () => {
    const graphToken = await t.appToken(resources.graph);
    await t.emu.admin.setFaults({
      rules: [
        { group: "organization", action: "status", status: 403 },
        { group: "graph", action: "status", status: 404 },
      ],
    });
    const pc = await t.http("GET", t.pc(`/customers/${customers.contoso}/organization`), { token });
    expect(pc.status).toBe(403);
    expect(pc.json).toMatchObject({ code: "403", description: expect.stringMatching(/refused.*\(injected fault\)/), source: "PartnerApiServiceControllers" });

    const graph = await t.http("GET", `${t.emu.endpoints.graph}/servicePrincipals`, { token: graphToken });
    expect(graph.status).toBe(404);
    expect(graph.json.error).toMatchObject({ code: "Request_ResourceNotFound", innerError: expect.objectContaining({ "request-id": expect.any(String) }) });
  });

  it("answers an injected fault on the token endpoint with an Entra body", async () => {
    await t.emu.admin.setFaults({ rules: [{ group: "token", action: "status", status: 401 }] });
    const r = await t.token({
      grant_type: "client_credentials",
      client_id: t.creds.clientId,
      client_secret: t.creds.clientSecret,
      scope: `${resources.graph}/.default`,
    });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({
      error: "invalid_client",
      error_codes: [expect.any(Number)],
      error_description: expect.stringMatching(/injected fault/),
      trace_id: expect.any(String),
    });
  });

  it("adds configured latency", async () => {
    await t.emu.admin.setLatency({ fixedMs: 120 });
    const start = Date.now();
    await t.http("GET", users(), { token });
    expect(Date.now() - start).toBeGreaterThanOrEqual(110);
  });

  it("logs API requests so a test can prove the emulator saw none", async () => {
    await t.emu.admin.clearRequests();
    expect(await t.emu.admin.requests()).toEqual([]);
    const r = await t.http("GET", users(), { token, headers: { "MS-RequestId": "log-me" } });
    expect(r.status).toBe(200);
    const log = await t.emu.admin.requests();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      method: "GET",
      path: `/partnercenter/v1/customers/${customers.contoso}/users`,
      status: 200,
      requestId: "log-me",
      group: "users",
    });
  });
});
