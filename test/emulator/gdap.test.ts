/**
 * GDAP on the emulator: relationships through their lifecycle (created, approvalPending, active,
 * expired, terminated), access assignments, the partner's effective roles in a customer, directory
 * role members and the customer's domains.
 */
import { builtInRoles } from "../../provider/clients/builtInRoles";
import { resources, TestEmulator } from "./helpers";

const ga = builtInRoles["Global Administrator"];
const userAdmin = builtInRoles["User Administrator"];
const pra = builtInRoles["Privileged Role Administrator"];
const group = "1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01";

describe("GDAP on the emulator", () => {
  let t: TestEmulator;
  let graph: string;
  let customer: string;
  const gdap = (path = "") => `${t.emu.endpoints.graph}/tenantRelationships/delegatedAdminRelationships${path}`;
  const admin = (method: string, path: string, body?: unknown) => t.http(method, `${t.emu.endpoints.admin}${path}`, { body });
  /** Moves the emulator's clock; tokens expire with it, so a new one is taken. */
  async function advanceDays(days: number) {
    await admin("POST", "/clock", { advanceSeconds: days * 86_400 });
    graph = await t.appToken(resources.graph);
  }

  beforeAll(async () => {
    t = await TestEmulator.start();
    graph = await t.appToken(resources.graph);
    // A customer where the seed grants no GDAP role: everything it gets comes from relationships.
    const inventory = (await admin("GET", "/inventory")).json;
    customer = inventory.customers.find((c: any) => c.gdapRoles.length === 0).id;
  });
  afterAll(() => t.stop());

  async function create(displayName: string, roles: string[], extra: Record<string, unknown> = {}) {
    return t.http("POST", gdap(), {
      token: graph,
      body: {
        displayName,
        duration: "P30D",
        customer: { tenantId: customer },
        accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
        autoExtendDuration: "PT0S",
        ...extra,
      },
    });
  }

  it("creates a relationship in status created, edits it with If-Match only, and refuses a second one of the same name", async () => {
    const r = await create("emu-edit", [userAdmin]);
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      status: "created",
      duration: "P30D",
      customer: { tenantId: customer },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: userAdmin }] },
    });
    expect(r.json.id).toMatch(/^[0-9a-f-]{36}-[0-9a-f-]{36}$/);
    expect((await t.http("PATCH", gdap(`/${r.json.id}`), { token: graph, body: { duration: "P60D" } })).status).toBe(428);
    expect((await t.http("PATCH", gdap(`/${r.json.id}`), { token: graph, body: { duration: "P60D" }, headers: { "if-match": 'W/"stale"' } })).status).toBe(412);
    const patched = await t.http("PATCH", gdap(`/${r.json.id}`), { token: graph, body: { duration: "P60D" }, headers: { "if-match": r.json["@odata.etag"] } });
    expect(patched.status).toBe(200);
    expect(patched.json.duration).toBe("P60D");
    expect((await create("emu-edit", [userAdmin])).status).toBe(409);
    const filtered = await t.http("GET", `${gdap()}?$filter=${encodeURIComponent("displayName eq 'emu-edit'")}`, { token: graph });
    expect(filtered.json.value.map((x: any) => x.id)).toEqual([r.json.id]);
  });

  it("checks inputs: duration, auto-extension with Global Administrator, roles", async () => {
    expect((await create("emu-bad-1", [userAdmin], { duration: "P731D" })).status).toBe(400);
    const gaExtended = await create("emu-bad-2", [ga], { autoExtendDuration: "P180D" });
    expect(gaExtended.status).toBe(400);
    expect(gaExtended.json.error.message).toMatch(/Global Administrator/);
    expect((await create("emu-bad-3", [])).status).toBe(400);
  });

  it("refuses what Graph refuses: made-up roles, the nil customer, names that are blank, reorder or hide text, or exceed 50 UTF-16 units", async () => {
    const refused = async (displayName: string, roles: string[], extra: Record<string, unknown> = {}, reason: RegExp) => {
      const r = await create(displayName, roles, extra);
      expect(r.status).toBe(400);
      expect(r.json.error.message).toMatch(reason);
    };
    await refused("emu-made-up-role", ["3b1c9a52-6d2e-4f8a-9b0c-1d2e3f4a5b6c"], {}, /built-in role/);
    await refused("emu-nil", [userAdmin], { customer: { tenantId: "00000000-0000-0000-0000-000000000000" } }, /nil GUID/);
    await refused(" \t ", [userAdmin], {}, /whitespace/);
    await refused("emu \u202Eevil", [userAdmin], {}, /bidirectional/);
    await refused("emu\u200Bhidden", [userAdmin], {}, /zero-width/);
    await refused("😀".repeat(26), [userAdmin], {}, /50 UTF-16/);
    expect((await create("😀".repeat(25), [builtInRoles["Dynamics 365 Administrator"]])).status).toBe(201);
  });

  it("lets a partner holding Global Administrator manage users (it covers User Administrator)", async () => {
    const usersUrl = t.pc(`/customers/${customer}/users`);
    expect((await admin("PATCH", `/customers/${customer}`, { gdapRoles: ["Global Administrator"] })).status).toBe(200);
    try {
      expect((await t.http("GET", usersUrl, { token: await t.userToken(resources.partnerCenter) })).status).toBe(200);
    } finally {
      await admin("PATCH", `/customers/${customer}`, { gdapRoles: [] });
    }
  });

  it("gives roles only while a relationship is active and has an access assignment, and takes them away at expiry", async () => {
    const usersUrl = t.pc(`/customers/${customer}/users`);
    const pcUser = await t.userToken(resources.partnerCenter);
    expect((await t.http("GET", usersUrl, { token: pcUser })).status).toBe(403);

    const r = (await create("emu-life", [userAdmin, pra])).json;
    const locked = await t.http("POST", gdap(`/${r.id}/requests`), { token: graph, body: { action: "lockForApproval" } });
    expect(locked.status).toBe(201);
    expect((await t.http("GET", gdap(`/${r.id}`), { token: graph })).json.status).toBe("approvalPending");
    const early = await t.http("POST", gdap(`/${r.id}/accessAssignments`), {
      token: graph,
      body: {
        accessContainer: { accessContainerId: group, accessContainerType: "securityGroup" },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: userAdmin }] },
      },
    });
    expect(early.status).toBe(400);
    expect(early.json.error.message).toMatch(/approvalPending/);

    expect((await admin("POST", `/delegatedAdminRelationships/${r.id}/approve`)).status).toBe(200);
    const active = (await t.http("GET", gdap(`/${r.id}`), { token: graph })).json;
    expect(active).toMatchObject({ status: "active" });
    expect(Date.parse(active.endDateTime) - Date.parse(active.activatedDateTime)).toBe(30 * 86_400_000);

    const notInRelationship = await t.http("POST", gdap(`/${r.id}/accessAssignments`), {
      token: graph,
      body: {
        accessContainer: { accessContainerId: group, accessContainerType: "securityGroup" },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: ga }] },
      },
    });
    expect(notInRelationship.status).toBe(400);
    const assigned = await t.http("POST", gdap(`/${r.id}/accessAssignments`), {
      token: graph,
      body: {
        accessContainer: { accessContainerId: group, accessContainerType: "securityGroup" },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: userAdmin }, { roleDefinitionId: pra }] },
      },
    });
    expect(assigned.status).toBe(201);
    expect(assigned.json.status).toBe("pending");
    expect((await t.http("GET", gdap(`/${r.id}/accessAssignments/${assigned.json.id}`), { token: graph })).json.status).toBe("active");
    expect((await t.http("GET", usersUrl, { token: pcUser })).status).toBe(200);

    // Directory roles, with the Privileged Role Administrator the assignment gave.
    const rolesList = await t.http("GET", t.pc(`/customers/${customer}/directoryroles`), { token: pcUser });
    expect(rolesList.status).toBe(200);
    const gaRole = rolesList.json.items.find((x: any) => x.name === "Global Administrator");
    const user = await t.http("POST", usersUrl, {
      token: pcUser,
      body: {
        userPrincipalName: `bg@${(await admin("GET", "/inventory")).json.customers.find((c: any) => c.id === customer).domains[0].name}`,
        displayName: "BG",
        usageLocation: "US",
        passwordProfile: { password: "Brk-Glass-Passw0rd!", forceChangePassword: false },
      },
    });
    expect(user.status).toBe(200);
    const members = t.pc(`/customers/${customer}/directoryroles/${gaRole.id}/usermembers`);
    // "Set user roles for a customer": Id, DisplayName and UserPrincipalName are required in the body.
    const member = {
      Id: user.json.id,
      DisplayName: "BG",
      UserPrincipalName: user.json.userPrincipalName,
      RoleId: gaRole.id,
      Attributes: { ObjectType: "UserMember" },
    };
    const bare = await t.http("POST", members, { token: pcUser, body: { Id: user.json.id, RoleId: gaRole.id, Attributes: { ObjectType: "UserMember" } } });
    expect(bare.status).toBe(400);
    expect(bare.json.description).toMatch(/DisplayName: is required/);
    expect((await t.http("POST", members, { token: pcUser, body: { ...member, UserPrincipalName: undefined } })).json.description).toMatch(/UserPrincipalName/);
    expect((await t.http("POST", members, { token: pcUser, body: member })).status).toBe(201);
    expect((await t.http("POST", members, { token: pcUser, body: member })).status).toBe(409);
    expect((await t.http("GET", members, { token: pcUser })).json.items.map((m: any) => m.id)).toEqual([user.json.id]);
    expect((await t.http("DELETE", `${members}/${user.json.id}`, { token: pcUser })).status).toBe(204);
    expect((await t.http("DELETE", `${members}/${user.json.id}`, { token: pcUser })).status).toBe(404);
    // The customer's administrator takes the user out of the role (admin API): the partner's list shows it.
    await t.http("POST", members, { token: pcUser, body: member });
    expect((await admin("DELETE", `/customers/${customer}/directoryroles/${gaRole.id}/usermembers/${user.json.id}`)).status).toBe(204);
    expect((await t.http("GET", members, { token: pcUser })).json.items).toEqual([]);
    expect((await admin("DELETE", `/customers/${customer}/directoryroles/${gaRole.id}/usermembers/${user.json.id}`)).status).toBe(404);
    // A deleted user leaves its roles; restoring it does not bring them back.
    await t.http("POST", members, { token: pcUser, body: member });
    expect((await t.http("DELETE", `${usersUrl}/${user.json.id}`, { token: pcUser })).status).toBe(204);
    await t.http("PATCH", `${usersUrl}/${user.json.id}`, { token: pcUser, body: { state: "active", attributes: { objectType: "CustomerUser" } } });
    expect((await t.http("GET", members, { token: pcUser })).json.items).toEqual([]);

    // An active relationship is not deleted but terminated; past its end it expires.
    expect((await t.http("DELETE", gdap(`/${r.id}`), { token: graph, headers: { "if-match": "*" } })).status).toBe(400);
    await advanceDays(31);
    expect((await t.http("GET", gdap(`/${r.id}`), { token: graph })).json.status).toBe("expired");
    expect((await t.http("GET", usersUrl, { token: await t.userToken(resources.partnerCenter) })).status).toBe(403);
  });

  it("auto-extends; terminates in steps on its clock; deletes only what is created; changes autoExtendDuration only while created or active", async () => {
    const r = (await create("emu-extend", [userAdmin], { autoExtendDuration: "P180D" })).json;
    await t.http("POST", gdap(`/${r.id}/requests`), { token: graph, body: { action: "lockForApproval" } });
    // delegatedadminrelationship-update: autoExtendDuration "when status is either created or active".
    const whilePending = await t.http("PATCH", gdap(`/${r.id}`), { token: graph, body: { autoExtendDuration: "PT0S" }, headers: { "if-match": "*" } });
    expect(whilePending.status).toBe(400);
    expect(whilePending.json.error).toMatchObject({ code: "badRequest", message: expect.stringMatching(/approvalPending/) });
    // delegatedadminrelationship-delete: "A relationship can only be deleted if it's in the 'created' status".
    const deletePending = await t.http("DELETE", gdap(`/${r.id}`), { token: graph, headers: { "if-match": "*" } });
    expect(deletePending.status).toBe(400);
    expect(deletePending.json.error).toMatchObject({ code: "badRequest", message: expect.stringMatching(/only be deleted in status created/) });
    await admin("POST", `/delegatedAdminRelationships/${r.id}/approve`);
    const whileActive = await t.http("PATCH", gdap(`/${r.id}`), { token: graph, body: { autoExtendDuration: "P180D" }, headers: { "if-match": "*" } });
    expect(whileActive.status).toBe(200);
    await advanceDays(31);
    const extended = (await t.http("GET", gdap(`/${r.id}`), { token: graph })).json;
    expect(extended.status).toBe("active");
    expect(Date.parse(extended.endDateTime)).toBeGreaterThan(Date.now() + 31 * 86_400_000);
    // Termination is asked for, then done by the system: terminationRequested, terminating, terminated.
    const term = await t.http("POST", gdap(`/${r.id}/requests`), { token: graph, body: { action: "terminate" } });
    expect(term.status).toBe(201);
    const status = async () => (await t.http("GET", gdap(`/${r.id}`), { token: graph })).json.status;
    expect(await status()).toBe("terminationRequested");
    await admin("POST", "/clock", { advanceSeconds: 60 });
    expect(await status()).toBe("terminating");
    await admin("POST", "/clock", { advanceSeconds: 60 });
    expect(await status()).toBe("terminated");

    const fresh = (await create("emu-fresh", [userAdmin])).json;
    expect((await t.http("DELETE", gdap(`/${fresh.id}`), { token: graph, headers: { "if-match": "*" } })).status).toBe(204);
    expect((await t.http("GET", gdap(`/${fresh.id}`), { token: graph })).status).toBe(404);
  });

  it("answers an access assignment's role change as Graph's update page shows it: 202, an operation in Location, Retry-After, { }; the roles change when the operation succeeds", async () => {
    const r = (await create("emu-lro", [userAdmin, pra])).json;
    await t.http("POST", gdap(`/${r.id}/requests`), { token: graph, body: { action: "lockForApproval" } });
    await admin("POST", `/delegatedAdminRelationships/${r.id}/approve`);
    const body = (roles: string[]) => ({ accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) } });
    const a = (
      await t.http("POST", gdap(`/${r.id}/accessAssignments`), {
        token: graph,
        body: { accessContainer: { accessContainerId: group, accessContainerType: "securityGroup" }, ...body([userAdmin]) },
      })
    ).json;
    const url = gdap(`/${r.id}/accessAssignments/${a.id}`);
    const etag = (await t.http("GET", url, { token: graph })).json["@odata.etag"];
    // "If the values specified in the call are identical to the values in the existing object, the API returns a 200 OK".
    const same = await t.http("PATCH", url, { token: graph, body: body([userAdmin]), headers: { "if-match": etag } });
    expect(same.status).toBe(200);
    expect(same.json["@odata.etag"]).toBe(etag);
    const accepted = await t.http("PATCH", url, { token: graph, body: body([userAdmin, pra]), headers: { "if-match": etag } });
    expect(accepted.status).toBe(202);
    expect(accepted.json).toEqual({});
    expect(accepted.headers["retry-after"]).toBe("1");
    const location = accepted.headers["location"] as string;
    expect(location).toMatch(new RegExp(`^${gdap(`/${r.id}`).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/operations/[0-9a-f-]{36}$`));
    const running = (await t.http("GET", location, { token: graph })).json;
    expect(running).toMatchObject({ operationType: "delegatedAdminAccessAssignmentUpdate", status: "running" });
    expect((await t.http("GET", url, { token: graph })).json.accessDetails.unifiedRoles).toHaveLength(1);
    expect((await t.http("PATCH", url, { token: graph, body: body([pra]), headers: { "if-match": "*" } })).status).toBe(409);
    await admin("POST", "/clock", { advanceSeconds: 1 });
    const done = (await t.http("GET", location, { token: graph })).json;
    expect(done.status).toBe("succeeded");
    expect(JSON.parse(done.data).accessDetails.unifiedRoles).toEqual([{ roleDefinitionId: userAdmin }, { roleDefinitionId: pra }]);
    const after = (await t.http("GET", url, { token: graph })).json;
    expect(after.accessDetails.unifiedRoles).toHaveLength(2);
    expect(after["@odata.etag"]).not.toBe(etag);
    expect((await t.http("GET", gdap(`/${r.id}/operations`), { token: graph })).json.value.map((o: any) => o.id)).toEqual([running.id]);
  });

  it("keeps a name unique across all the partner's relationships, ended ones too, comparing names as its search does (ignoring case)", async () => {
    const first = (await create("Case Twin", [userAdmin])).json;
    const twin = await create("case twin", [userAdmin]);
    expect(twin.status).toBe(409);
    expect(twin.json.error.code).toBe("conflict");
    const found = await t.http("GET", `${gdap()}?$filter=${encodeURIComponent("displayName eq 'CASE TWIN'")}`, { token: graph });
    expect(found.json.value.map((x: any) => x.id)).toEqual([first.id]);
    const other = (await create("emu-rename", [userAdmin])).json;
    expect((await t.http("PATCH", gdap(`/${other.id}`), { token: graph, body: { displayName: "CASE twin" }, headers: { "if-match": "*" } })).status).toBe(409);
    // Ended: the name stays taken ("unique across *all* delegated admin relationships of the partner").
    await t.http("POST", gdap(`/${first.id}/requests`), { token: graph, body: { action: "lockForApproval" } });
    await admin("POST", `/delegatedAdminRelationships/${first.id}/approve`);
    await admin("POST", `/delegatedAdminRelationships/${first.id}/terminate`);
    expect((await t.http("GET", gdap(`/${first.id}`), { token: graph })).json.status).toBe("terminated");
    expect((await create("Case Twin", [userAdmin])).status).toBe(409);
  });

  it("refuses GDAP to a token of another tenant and lists a customer's domains to its own", async () => {
    const customerGraph = await t.appToken(resources.graph, customer);
    expect((await t.http("GET", gdap(), { token: customerGraph })).status).toBe(403);
    const domains = await t.http("GET", `${t.emu.endpoints.graph}/domains`, { token: customerGraph });
    expect(domains.status).toBe(200);
    expect(domains.json.value[0]).toMatchObject({ isVerified: true, isDefault: true });
  });
});
