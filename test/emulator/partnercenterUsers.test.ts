import { customers, resources, TestEmulator } from "./helpers";

const newUser = (upn: string) => ({
  usageLocation: "US",
  userPrincipalName: upn,
  firstName: "First",
  lastName: "Last",
  displayName: "User name",
  passwordProfile: { password: "abCD123*x", forceChangePassword: true },
  attributes: { objectType: "CustomerUser" },
});

describe("Partner Center customer users", () => {
  let t: TestEmulator;
  let token: string;
  const users = () => t.pc(`/customers/${customers.contoso}/users`);

  beforeAll(async () => {
    t = await TestEmulator.start({ limits: { users: null } });
  });
  beforeEach(async () => {
    await t.emu.admin.reset();
    await t.emu.admin.setLimits({ users: null });
    token = await t.userToken(resources.partnerCenter);
  });
  afterAll(() => t.stop());

  it("creates a user, answers 200 with the service's fields and never returns the password on GET", async () => {
    const created = await t.http("POST", users(), { token, body: newUser("new.user@contoso.onmicrosoft.com") });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      id: expect.any(String),
      userDomainType: "none",
      state: "active",
      softDeletionTime: null,
      lastDirectorySyncTime: null,
      attributes: { objectType: "CustomerUser" },
    });
    for (const h of ["ms-requestid", "ms-correlationid", "ms-cv", "ms-serverid"]) expect(created.headers[h]).toBeTruthy();

    const got = await t.http("GET", `${users()}/${created.json.id}`, { token });
    expect(got.status).toBe(200);
    expect(got.json.passwordProfile).toBeUndefined();
    expect(got.json.links.self.uri).toBe(`/v1/customers/${customers.contoso}/users/${created.json.id}`);
  });

  it("echoes MS-CorrelationId and MS-RequestId", async () => {
    const r = await t.http("GET", users(), {
      token,
      headers: { "MS-CorrelationId": "aaaa0000-bb11-2222-33cc-444444dddddd", "MS-RequestId": "b1317092-f087-471e-a637-f66523b2b94c" },
    });
    expect(r.headers["ms-correlationid"]).toBe("aaaa0000-bb11-2222-33cc-444444dddddd");
    expect(r.headers["ms-requestid"]).toBe("b1317092-f087-471e-a637-f66523b2b94c");
  });

  it("answers 400 code 2000 for bad JSON and missing fields", async () => {
    const bad = await t.http("POST", users(), { token, body: "{usageLocation: 'US'" });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: "2000", data: [], source: "PartnerApiServiceControllers" });
    const missing = await t.http("POST", users(), { token, body: { displayName: "x" } });
    expect(missing.status).toBe(400);
    expect(missing.json.description).toMatch(/userPrincipalName/);
  });

  it("refuses a duplicate userPrincipalName, also against a soft-deleted user", async () => {
    const first = await t.http("POST", users(), { token, body: newUser("dup@contoso.onmicrosoft.com") });
    const dup = await t.http("POST", users(), { token, body: newUser("DUP@contoso.onmicrosoft.com") });
    expect(dup.status).toBe(400);
    expect(dup.json).toMatchObject({ code: "1000", description: "Another object with the same value for property userPrincipalName already exists." });
    await t.http("DELETE", `${users()}/${first.json.id}`, { token });
    const again = await t.http("POST", users(), { token, body: newUser("dup@contoso.onmicrosoft.com") });
    expect(again.status).toBe(400);
  });

  it("refuses a domain the customer does not own and a federated domain", async () => {
    expect((await t.http("POST", users(), { token, body: newUser("x@elsewhere.com") })).status).toBe(400);
    const inv = await t.emu.admin.inventory();
    const fed = inv.customers.find((c) => c.domains.some((d) => d.federated))!;
    const r = await t.http("POST", t.pc(`/customers/${fed.id}/users`), { token, body: newUser("x@fabrikam.com") });
    expect(r.status).toBe(400);
    expect(r.json.description).toMatch(/federated/);
  });

  it("answers 404 code 60002 for an unknown user and 60003 for an unknown customer", async () => {
    const u = await t.http("GET", `${users()}/00000000-0000-0000-0000-000000000001`, { token });
    expect(u.status).toBe(404);
    expect(u.json).toMatchObject({ code: "60002", description: "User object Id is not found" });
    const c = await t.http("GET", t.pc("/customers/00000000-0000-0000-0000-000000000002/users"), { token });
    expect(c.status).toBe(404);
    expect(c.json.code).toBe("60003");
  });

  it("pages through users with links.next and MS-ContinuationToken to the end", async () => {
    for (let i = 0; i < 7; i++) await t.http("POST", users(), { token, body: newUser(`page${i}@contoso.onmicrosoft.com`) });
    const seen: string[] = [];
    let res = await t.http("GET", `${users()}?size=3`, { token });
    for (;;) {
      expect(res.status).toBe(200);
      expect(res.json.attributes).toEqual({ objectType: "Collection" });
      seen.push(...res.json.items.map((u: { id: string }) => u.id));
      const next = res.json.links.next;
      if (!next) break;
      expect(next.uri).toMatch(/seekOperation=Next/);
      const headers = Object.fromEntries(next.headers.map((h: { key: string; value: string }) => [h.key, h.value]));
      res = await t.http("GET", `${t.emu.endpoints.partnerCenter}${next.uri}`, { token, headers });
    }
    // Default seed: 2 active users in this customer + 7 created.
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
    expect((await t.http("GET", `${users()}?size=501`, { token })).status).toBe(400);
  });

  it("soft-deletes, lists inactive users with the UserState filter, restores, and purges after 30 days", async () => {
    const created = await t.http("POST", users(), { token, body: newUser("gone@contoso.onmicrosoft.com") });
    const id = created.json.id;
    const del = await t.http("DELETE", `${users()}/${id}`, { token });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");

    const active = await t.http("GET", users(), { token });
    expect(active.json.items.map((u: { id: string }) => u.id)).not.toContain(id);
    const filter = encodeURIComponent(JSON.stringify({ Field: "UserState", Value: "Inactive", Operator: "equals" }));
    const inactive = await t.http("GET", `${users()}?filter=${filter}`, { token });
    const entry = inactive.json.items.find((u: { id: string }) => u.id === id);
    expect(entry).toMatchObject({ state: "inactive", softDeletionTime: expect.any(String) });

    const restored = await t.http("PATCH", `${users()}/${id}`, { token, body: { state: "active", attributes: { objectType: "CustomerUser" } } });
    expect(restored.status).toBe(200);
    expect(restored.json).toMatchObject({ state: "active", softDeletionTime: null });

    await t.http("DELETE", `${users()}/${id}`, { token });
    await t.emu.admin.advanceClock(29 * 86400);
    token = await t.userToken(resources.partnerCenter);
    expect((await t.http("GET", `${users()}/${id}`, { token })).json.state).toBe("inactive");
    await t.emu.admin.advanceClock(86400 + 60);
    token = await t.userToken(resources.partnerCenter);
    expect((await t.http("GET", `${users()}/${id}`, { token })).status).toBe(404);
  });

  it("updates a user partially and resets the password", async () => {
    const created = await t.http("POST", users(), { token, body: newUser("patch@contoso.onmicrosoft.com") });
    const r = await t.http("PATCH", `${users()}/${created.json.id}`, {
      token,
      body: { displayName: "Renamed", passwordProfile: { password: "N3w!Passw0rd", forceChangePassword: true } },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ displayName: "Renamed", firstName: "First" });
  });

  it("refuses an app-only token with 403 (App+User only)", async () => {
    const app = await t.appToken(resources.partnerCenter);
    const r = await t.http("GET", users(), { token: app });
    expect(r.status).toBe(403);
    expect(r.json.description).toMatch(/App\+User/);
  });

  it("refuses a customer without a user-administration GDAP role with 403", async () => {
    const inv = await t.emu.admin.inventory();
    const readerOnly = inv.customers.find((c) => c.gdapRoles.length === 1 && c.gdapRoles[0] === "Global Reader")!;
    const r = await t.http("GET", t.pc(`/customers/${readerOnly.id}/users`), { token });
    expect(r.status).toBe(403);
    expect(r.json.description).toMatch(/User Administrator/);
  });

  it("answers 401 with WWW-Authenticate for a token of the wrong audience, a bad token and an expired token", async () => {
    const graphToken = await t.userToken(resources.graph);
    const wrongAud = await t.http("GET", users(), { token: graphToken });
    expect(wrongAud.status).toBe(401);
    expect(wrongAud.headers["www-authenticate"]).toBe(`OAuth realm=urn:cpsvc:cpid:${customers.contoso}`);
    expect(wrongAud.json.description).toMatch(/audience/i);

    expect((await t.http("GET", users())).status).toBe(401);
    expect((await t.http("GET", users(), { token: token.slice(0, -4) + "AAAA" })).status).toBe(401);

    await t.emu.admin.advanceClock(3601);
    const expired = await t.http("GET", users(), { token });
    expect(expired.status).toBe(401);
    expect(expired.json.description).toMatch(/expired/);
  });

  it("replays the first response for a repeated MS-RequestId after a connection reset that happened after the commit", async () => {
    await t.emu.admin.setFaults({ rules: [{ group: "users", method: "POST", action: "resetAfterCommit", times: 1 }] });
    const requestId = "5f3b7a9e-0000-4000-8000-000000000001";
    const body = newUser("retry@contoso.onmicrosoft.com");
    await expect(t.http("POST", users(), { token, body, headers: { "MS-RequestId": requestId } })).rejects.toThrow();

    // The write happened although the client never heard.
    const inv = await t.emu.admin.inventory();
    const contoso = inv.customers.find((c) => c.id === customers.contoso)!;
    const made = contoso.users.filter((u) => u.userPrincipalName === "retry@contoso.onmicrosoft.com");
    expect(made).toHaveLength(1);

    const retry = await t.http("POST", users(), { token, body, headers: { "MS-RequestId": requestId } });
    expect(retry.status).toBe(200);
    expect(retry.json.id).toBe(made[0].id);
    expect(retry.headers["ms-requestid"]).toBe(requestId);

    // A new request id is a new request: now a duplicate.
    const fresh = await t.http("POST", users(), { token, body, headers: { "MS-RequestId": "5f3b7a9e-0000-4000-8000-000000000002" } });
    expect(fresh.status).toBe(400);
    const after = (await t.emu.admin.inventory()).customers.find((c) => c.id === customers.contoso)!;
    expect(after.users.filter((u) => u.userPrincipalName === "retry@contoso.onmicrosoft.com")).toHaveLength(1);
  });

  it("does not replay a reused MS-RequestId for another body or another customer: each is a new request", async () => {
    const requestId = "5f3b7a9e-0000-4000-8000-000000000003";
    const headers = { "MS-RequestId": requestId };
    const first = await t.http("POST", users(), { token, body: newUser("first@contoso.onmicrosoft.com"), headers });
    expect(first.status).toBe(200);

    const otherBody = await t.http("POST", users(), { token, body: newUser("second@contoso.onmicrosoft.com"), headers });
    expect(otherBody.status).toBe(200);
    expect(otherBody.json.userPrincipalName).toBe("second@contoso.onmicrosoft.com");
    expect(otherBody.json.id).not.toBe(first.json.id);
    expect(otherBody.headers["x-emulator-replayed"]).toBeUndefined();

    const inv = await t.emu.admin.inventory();
    const other = inv.customers.find((c) => c.id !== customers.contoso && c.gdapRoles.includes("User Administrator") && !c.domains[0].federated)!;
    const upn = `third@${other.domains[0].name}`;
    const otherCustomer = await t.http("POST", t.pc(`/customers/${other.id}/users`), { token, body: newUser(upn), headers });
    expect(otherCustomer.status).toBe(200);
    expect(otherCustomer.json.userPrincipalName).toBe(upn);

    const after = await t.emu.admin.inventory();
    expect(after.customers.find((c) => c.id === customers.contoso)!.users.map((u) => u.userPrincipalName)).toEqual(
      expect.arrayContaining(["first@contoso.onmicrosoft.com", "second@contoso.onmicrosoft.com"]),
    );
    expect(after.customers.find((c) => c.id === other.id)!.users.map((u) => u.userPrincipalName)).toContain(upn);

    // The same request again is still a repeat.
    const repeat = await t.http("POST", users(), { token, body: newUser("first@contoso.onmicrosoft.com"), headers });
    expect(repeat.json.id).toBe(first.json.id);
    expect(repeat.headers["x-emulator-replayed"]).toBe("true");
  });

  it("changes nothing when a reset happens before the commit", async () => {
    await t.emu.admin.setFaults({ rules: [{ group: "users", action: "resetBeforeCommit" }] });
    await expect(t.http("POST", users(), { token, body: newUser("never@contoso.onmicrosoft.com") })).rejects.toThrow();
    const contoso = (await t.emu.admin.inventory()).customers.find((c) => c.id === customers.contoso)!;
    expect(contoso.users.some((u) => u.userPrincipalName === "never@contoso.onmicrosoft.com")).toBe(false);
  });
});
