/**
 * GDAP through the real CLI against the emulator (issue 18): the gdap-baseline example from request
 * to approval to a customer's full baseline and back, drift of an access assignment's roles, a
 * relationship's status on refresh (expired, terminated) and its replacement, adoption, and checks
 * before any call.
 */
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import { builtInRoles } from "../../provider/clients/builtInRoles";
import { copyProgram, createEngineSandbox, EngineSandbox, exportState, localProgramStack, runPulumi } from "../support/engine";
import { consentsOf, customerOf, usersOf } from "../support/inventory";
import { partnerCenterConfig } from "../support/stackConfig";

const group = { userAdmins: "1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01", helpdesk: "2c8c1f8b-7d1e-4e7f-8e5c-3a4d2b0f6c02" };

describe("GDAP through the CLI", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let sandbox: EngineSandbox;
  let bare: string[];

  const gdapState = () => admin.call("GET", "/delegatedAdminRelationships");
  const relationshipNamed = async (displayName: string, status?: string) =>
    ((await gdapState()).relationships as any[]).filter((r) => r.displayName === displayName && (!status || r.status === status));

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = emulator.admin;
    sandbox = createEngineSandbox("pcenter-gdap-");
    // Customers where the seed gives the partner no role: all access comes from GDAP.
    bare = ((await admin.inventory()).customers as any[]).filter((c) => c.gdapRoles.length === 0).map((c) => c.id);
    expect(bare.length).toBeGreaterThanOrEqual(2);
  });

  afterAll(async () => {
    await emulator?.stop();
    sandbox?.dispose();
  });

  it("gdap-baseline: asks for approval, then gives the customer its whole baseline, repairs drifted roles, and ends it all on destroy", async () => {
    const program = copyProgram(sandbox, path.join(__dirname, "..", "..", "examples", "gdap-baseline"));
    const stack = await localProgramStack(sandbox, program, "baseline");
    await stack.setAllConfig({
      ...partnerCenterConfig(emulator),
      customers: { value: JSON.stringify(bare.slice(0, 2)) },
      accessGroups: {
        value: JSON.stringify([
          { groupId: group.userAdmins, roles: ["User Administrator", "Privileged Role Administrator", "Cloud Application Administrator"] },
          { groupId: group.helpdesk, roles: ["Helpdesk Administrator"] },
        ]),
      },
      controlPanelApplicationId: { value: emulator.credentials.controlPanelApplicationId },
      breakGlassPassword: { value: "Break-Glass-Passw0rd!", secret: true },
    });
    const [approved, pending] = bare;
    const run = (args: string[]) => runPulumi(sandbox, [...args, "--stack", "baseline"], program).then((r) => ({ ...r, output: r.stdout + r.stderr }));

    // 1. Relationships, locked for approval; nothing else yet.
    const first = await stack.up();
    const outputs = first.outputs.customers.value;
    for (const c of [approved, pending]) {
      expect(outputs[c].status).toBe("approvalPending");
      const [live] = await relationshipNamed(`Baseline ${c.slice(0, 8)}`);
      expect(outputs[c].approvalUrl).toBe(`https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${live.id}`);
    }

    // 2. One customer approves; the next run gives it everything, the other keeps waiting.
    const [rel] = await relationshipNamed(`Baseline ${approved.slice(0, 8)}`);
    await admin.call("POST", `/delegatedAdminRelationships/${rel.id}/approve`);
    const second = await stack.up({ refresh: true });
    expect(second.outputs.customers.value[approved].status).toBe("active");
    expect(second.outputs.customers.value[pending].status).toBe("approvalPending");
    let state = await gdapState();
    const assignments = state.relationships.find((r: any) => r.id === rel.id).accessAssignments;
    expect(assignments.map((a: any) => a.accessContainer.accessContainerId).sort()).toEqual([group.userAdmins, group.helpdesk].sort());
    expect(state.heldRoles[approved]).toEqual(
      expect.arrayContaining(["User Administrator", "Privileged Role Administrator", "Cloud Application Administrator", "Helpdesk Administrator"]),
    );
    expect(state.heldRoles[pending]).toEqual([]);
    const inventory = await admin.inventory();
    const user = usersOf(inventory, approved).find((u: any) => u.userPrincipalName.startsWith("breakglass@"));
    expect(user.userPrincipalName).toBe(`breakglass@${customerOf(inventory, approved).domains[0].name}`);
    expect(Object.values(state.roleMembers[approved]).flat()).toEqual([user.id]);
    expect(consentsOf(inventory, approved).map((c: any) => c.applicationId)).toEqual([emulator.credentials.controlPanelApplicationId]);
    expect(usersOf(inventory, pending)).toEqual([]);
    const clean = await run(["preview", "--refresh", "--expect-no-changes", "--diff"]);
    expect(clean.status === 0 ? "" : clean.output).toBe("");

    // 3. Roles changed out of band (refresh shows it, up puts them back), and the program gives the
    // helpdesk group one more of the relationship's roles: Graph answers each PATCH 202 with an
    // operation to follow (delegatedadminaccessassignment-update), which the provider waits out.
    const userAdmins = assignments.find((a: any) => a.accessContainer.accessContainerId === group.userAdmins);
    await admin.call("PUT", `/delegatedAdminRelationships/${rel.id}/accessAssignments/${userAdmins.id}/roles`, {
      roleDefinitionIds: [builtInRoles["User Administrator"]],
    });
    await stack.setConfig("accessGroups", {
      value: JSON.stringify([
        { groupId: group.userAdmins, roles: ["User Administrator", "Privileged Role Administrator", "Cloud Application Administrator"] },
        { groupId: group.helpdesk, roles: ["Helpdesk Administrator", "User Administrator"] },
      ]),
    });
    const drift = await run(["preview", "--refresh", "--diff", "--expect-no-changes"]);
    expect(drift.status).not.toBe(0);
    expect(drift.output).toMatch(/DelegatedAdminAccessAssignment: \(update\)[\s\S]*roleDefinitionIds/);
    expect(drift.output).toMatch(/2 to update/);
    await admin.clearRequests();
    expect((await run(["up", "--refresh", "--yes", "--skip-preview"])).status).toBe(0);
    state = await gdapState();
    const rolesOf = (groupId: string) =>
      state.relationships
        .find((r: any) => r.id === rel.id)
        .accessAssignments.find((a: any) => a.accessContainer.accessContainerId === groupId)
        .accessDetails.unifiedRoles.map((x: any) => x.roleDefinitionId);
    expect(rolesOf(group.userAdmins)).toHaveLength(3);
    expect(rolesOf(group.helpdesk)).toEqual([builtInRoles["Helpdesk Administrator"], builtInRoles["User Administrator"]]);
    const patches = (await admin.requests()).filter((q) => /\/(accessAssignments|operations)\//.test(q.path) && q.method !== "DELETE");
    expect(patches.filter((q) => q.method === "PATCH").map((q) => q.status)).toEqual([202, 202]);
    expect(patches.filter((q) => q.path.includes("/operations/")).every((q) => q.status === 200)).toBe(true);

    // The break-glass user deleted in the portal: it leaves Global Administrator; up restores both.
    await admin.call("DELETE", `/customers/${approved}/users/${user.id}?mode=soft`);
    expect(Object.values((await gdapState()).roleMembers[approved]).flat()).toEqual([]);
    const repaired = await run(["up", "--refresh", "--yes", "--skip-preview"]);
    expect(repaired.status).toBe(0);
    expect(repaired.output).toMatch(/took over soft-deleted user breakglass@/);
    expect(Object.values((await gdapState()).roleMembers[approved]).flat()).toEqual([user.id]);

    // 4. The customer ends the relationship: the break-glass admin, its role and the consent stay, in the
    // tenant and in the state (issue 27 item 5); up --refresh asks for a new relationship, `… (2)` on Graph.
    await admin.call("POST", `/delegatedAdminRelationships/${rel.id}/terminate`);
    const ended = await run(["up", "--refresh", "--yes", "--skip-preview"]);
    expect(ended.status === 0 ? "" : ended.output).toBe("");
    expect(ended.output).toMatch(/cannot read back user \S+ of customer \S+ \(.*403[\s\S]*keeping the recorded state/);
    const kept = await admin.inventory();
    expect(usersOf(kept, approved).map((u: any) => [u.id, u.state])).toEqual([[user.id, "active"]]);
    expect(consentsOf(kept, approved).map((c: any) => c.applicationId)).toEqual([emulator.credentials.controlPanelApplicationId]);
    expect(Object.values((await gdapState()).roleMembers[approved]).flat()).toEqual([user.id]);
    const recorded = (JSON.parse(await exportState(sandbox, "baseline", program)).deployment.resources as any[]).map((r) => r.type.split(":").pop());
    expect(recorded.filter((t) => /^(CustomerUser|CustomerUserRoleAssignment|ApplicationConsent|DelegatedAdminAccessAssignment)$/.test(t)).sort()).toEqual([
      "ApplicationConsent",
      "CustomerUser",
      "CustomerUserRoleAssignment",
    ]);
    const waiting = (await stack.outputs()).customers.value[approved];
    expect(waiting).toMatchObject({
      status: "approvalPending",
      serviceDisplayName: `Baseline ${approved.slice(0, 8)} (2)`,
      breakGlassUser: user.userPrincipalName,
    });
    // Its approval gives the access again, on the new relationship (found under its numbered name).
    const [renewed] = await relationshipNamed(`Baseline ${approved.slice(0, 8)} (2)`);
    expect(waiting.approvalUrl).toMatch(new RegExp(`${renewed.id}$`));
    await admin.call("POST", `/delegatedAdminRelationships/${renewed.id}/approve`);
    expect((await run(["up", "--refresh", "--yes", "--skip-preview"])).status).toBe(0);
    state = await gdapState();
    expect(state.relationships.find((r: any) => r.id === renewed.id).accessAssignments).toHaveLength(2);
    expect(state.heldRoles[approved]).toEqual(expect.arrayContaining(["User Administrator", "Helpdesk Administrator"]));

    // 5. Destroy: consent, membership and user first (with the roles still held), then the access, then the relationships.
    await stack.destroy();
    state = await gdapState();
    // Terminated in steps on the emulator's clock; one still awaiting approval stays (Graph deletes only created ones).
    expect(state.relationships.find((r: any) => r.id === renewed.id).status).toBe("terminationRequested");
    expect((await relationshipNamed(`Baseline ${pending.slice(0, 8)}`)).map((r: any) => r.status)).toEqual(["approvalPending"]);
    expect(usersOf(await admin.inventory(), approved)).toEqual([]);
    expect(Object.values(state.roleMembers[approved] ?? {}).flat()).toEqual([]);
    expect(state.heldRoles[approved]).toEqual([]);
  });

  describe("the resources one by one", () => {
    let program: string;
    const userAdmin = builtInRoles["User Administrator"];
    const pra = builtInRoles["Privileged Role Administrator"];
    const ga = builtInRoles["Global Administrator"];

    beforeAll(() => {
      program = copyProgram(sandbox, path.join(__dirname, "programs", "gdap"));
    });

    async function declare(stackName: string, resources: unknown[]) {
      const stack = await localProgramStack(sandbox, program, stackName);
      await stack.setAllConfig({
        ...partnerCenterConfig(emulator),
        password: { value: "Gdap-Passw0rd!", secret: true },
        resources: { value: JSON.stringify(resources) },
      });
      return stack;
    }
    const pulumi = (stackName: string, args: string[], env: Record<string, string> = {}) =>
      runPulumi(sandbox, [...args, "--stack", stackName], program, env).then((r) => ({ ...r, output: r.stdout + r.stderr }));
    const up = (stackName: string, env?: Record<string, string>, extra: string[] = []) => pulumi(stackName, ["up", "--yes", "--skip-preview", ...extra], env);
    /** The relationships' statuses as the stack's state records them. */
    const recordedStatuses = async (stackName: string) =>
      (JSON.parse(await exportState(sandbox, stackName, program)).deployment.resources as any[])
        .filter((r) => r.type.endsWith("DelegatedAdminRelationship"))
        .map((r) => r.outputs.status);
    const relationship = (name: string, customerId: string, args: Record<string, unknown> = {}) => ({
      kind: "relationship",
      name,
      args: { displayName: name, customerId, duration: "P2D", roleDefinitionIds: [userAdmin, pra], ...args },
    });

    it("refuses bad inputs before any call", async () => {
      const bad = [
        [relationship("bad-duration", bare[0], { duration: "P3Y" }), /duration must be an ISO 8601 duration in days, like P730D/],
        [
          relationship("bad-extend", bare[0], { roleDefinitionIds: [ga], autoExtendDuration: "P180D" }),
          /autoExtendDuration must be PT0S when the roles include Global Administrator/,
        ],
        [relationship("bad-customer", "../other"), /customerId must be a GUID/],
        [relationship("bad-role", bare[0], { roleDefinitionIds: ["Global Administrator"] }), /each roleDefinitionId must be a GUID/],
        [
          { kind: "relationship", name: "bad-name", args: { displayName: "x".repeat(51), customerId: bare[0], roleDefinitionIds: [userAdmin] } },
          /displayName must be at most 50 UTF-16 code units/,
        ],
      ] as const;
      await admin.call("DELETE", "/requests");
      for (const [declared, message] of bad) {
        await declare("checks", [declared]);
        const preview = await pulumi("checks", ["preview"]);
        expect(preview.status).not.toBe(0);
        expect(preview.output).toMatch(message);
      }
      const sent = ((await admin.call("GET", "/requests")).requests as any[]).filter((r) => /delegatedAdminRelationships/.test(r.path));
      expect(sent).toEqual([]);
    });

    it("edits a relationship in place until it is locked, then replaces it; refresh shows expiry and the next up asks again", async () => {
      const c = bare[0];
      // Not locked: edits are PATCHes of the same relationship.
      await declare("life", [relationship("life", c, { lockForApproval: false })]);
      expect((await up("life")).status).toBe(0);
      const [created] = await relationshipNamed("life");
      expect(created.status).toBe("created");
      await declare("life", [relationship("life", c, { lockForApproval: false, duration: "P3D" })]);
      expect((await up("life")).status).toBe(0);
      expect((await relationshipNamed("life")).map((r: any) => [r.id, r.duration, r.status])).toEqual([[created.id, "P3D", "created"]]);

      // Locked, then approved, with an access assignment of the partner's group.
      const access = { kind: "assignment", name: "life-access", ref: "life", args: { securityGroupId: group.userAdmins, roleDefinitionIds: [userAdmin] } };
      await declare("life", [relationship("life", c, { duration: "P3D" })]);
      expect((await up("life")).status).toBe(0);
      expect((await relationshipNamed("life"))[0].status).toBe("approvalPending");
      await admin.call("POST", `/delegatedAdminRelationships/${created.id}/approve`);
      await declare("life", [relationship("life", c, { duration: "P3D" }), access]);
      expect((await up("life", {}, ["--refresh"])).status).toBe(0);
      expect(await recordedStatuses("life")).toEqual(["active"]);
      const held = async () => (await gdapState()).heldRoles[c] as string[];
      expect(await held()).toContain("User Administrator");

      // A change of roles: the new relationship first (Graph never reuses a name: "life (2)"), the old
      // one kept with its roles and assignment until the customer approves, then ended.
      const wider = [relationship("life", c, { duration: "P3D", roleDefinitionIds: [userAdmin, pra, builtInRoles["Global Reader"]] }), access];
      await declare("life", wider);
      const step1 = await up("life");
      expect(step1.status).toBe(0);
      expect(step1.output).toMatch(/requested the delegated admin relationship 'life \(2\)'[\s\S]*'life' \(\S+\) stays, with its roles and access assignments/);
      expect((await relationshipNamed("life"))[0].status).toBe("active");
      const [successor] = await relationshipNamed("life (2)");
      expect(successor.status).toBe("approvalPending");
      expect(await held()).toContain("User Administrator");
      const between = await up("life");
      expect(between.output).toMatch(/keeps its roles until the customer approves 'life \(2\)'/);
      expect(between.output).not.toMatch(/replace/);
      await admin.call("POST", `/delegatedAdminRelationships/${successor.id}/approve`);
      const switched = await up("life", {}, ["--refresh"]);
      expect(switched.status === 0 ? "" : switched.output).toBe("");
      expect((await relationshipNamed("life"))[0].status).toBe("terminationRequested");
      expect((await relationshipNamed("life (2)"))[0].accessAssignments.map((a: any) => a.status)).toEqual(["active"]);
      expect(await held()).toContain("User Administrator");
      expect(await recordedStatuses("life")).toEqual(["active"]);

      // Two days and a bit later it has expired. A plain up reads nothing and keeps it; up --refresh
      // sees it and asks for a new one, under the next free name.
      await admin.call("POST", "/clock", { advanceSeconds: 4 * 86_400 });
      await declare("life", wider.slice(0, 1));
      const plain = await up("life");
      expect(plain.output).not.toMatch(/replace/);
      expect(await recordedStatuses("life")).toEqual(["active"]);
      expect((await up("life", {}, ["--refresh"])).status).toBe(0);
      expect((await relationshipNamed("life (2)"))[0].status).toBe("expired");
      const all = await relationshipNamed("life (3)");

      // The customer ends it: refresh shows terminated; destroy of an ended one sends nothing.
      const [pending] = all.filter((r: any) => r.status === "approvalPending");
      await admin.call("POST", `/delegatedAdminRelationships/${pending.id}/approve`);
      await admin.call("POST", `/delegatedAdminRelationships/${pending.id}/terminate`);
      expect((await pulumi("life", ["refresh", "--yes", "--skip-preview"])).status).toBe(0);
      expect(await recordedStatuses("life")).toEqual(["terminated"]);
      expect((await pulumi("life", ["destroy", "--yes", "--skip-preview"])).status).toBe(0);
    });

    it("recovers a relationship whose create answer was lost: the next run names it, the recovery flag takes it and locks it", async () => {
      const c = bare[0];
      await declare("lost", [relationship("lost", c)]);
      await admin.call("PUT", "/faults", {
        rules: [{ group: "gdap", method: "POST", pathContains: "delegatedAdminRelationships", action: "resetAfterCommit", times: 1 }],
      });
      const first = await up("lost");
      await admin.call("PUT", "/faults", {});
      expect(first.status).not.toBe(0);
      expect(first.output).toMatch(/already exists[\s\S]*PARTNERCENTER_ADOPT_MATCHING=true/);
      expect((await relationshipNamed("lost")).map((r: any) => r.status)).toEqual(["created"]);
      const recovered = await up("lost", { PARTNERCENTER_ADOPT_MATCHING: "true" });
      expect(recovered.status).toBe(0);
      expect(recovered.output).toMatch(/took over the delegated admin relationship 'lost'/);
      expect((await relationshipNamed("lost")).map((r: any) => r.status)).toEqual(["approvalPending"]);
      // Graph deletes only a created relationship: destroy leaves this one to expire and says so.
      const destroyed = await pulumi("lost", ["destroy", "--yes", "--skip-preview"]);
      expect(destroyed.status).toBe(0);
      expect(destroyed.output).toMatch(/'lost' \(\S+\) awaits the customer's approval and stays on Graph, which deletes only relationships in status created/);
      expect((await relationshipNamed("lost")).map((r: any) => r.status)).toEqual(["approvalPending"]);
    });

    it("never takes another stack's relationship, assignment or role membership silently", async () => {
      const c = bare[1];
      const group = "3d9d2a9c-8e2f-4f80-9f6d-4b5e3c1a7d03";
      const domain = ((await admin.inventory()).customers as any[]).find((x) => x.id === c).domains[0].name;
      const owner = [relationship("shared", c, { roleDefinitionIds: [userAdmin, pra] })];
      await declare("owner", owner);
      expect((await up("owner")).status).toBe(0);
      const [rel] = await relationshipNamed("shared");
      await admin.call("POST", `/delegatedAdminRelationships/${rel.id}/approve`);
      const full = [
        ...owner,
        { kind: "assignment", name: "access", ref: "shared", args: { securityGroupId: group, roleDefinitionIds: [userAdmin, pra] } },
        { kind: "user", name: "bg", args: { customerId: c, userPrincipalName: `bg@${domain}`, displayName: "BG", usageLocation: "US" } },
        { kind: "roleMember", name: "bg-ga", ref: "bg", args: { customerId: c, roleName: "Global Administrator" } },
      ];
      // The user and its role need the assignment's roles: one up for the access, the next for the rest.
      await declare("owner", full.slice(0, 2));
      expect((await up("owner")).status).toBe(0);
      const owned = await declare("owner", full);
      const made = await up("owner");
      expect(made.status).toBe(0);

      // The data sources see what the partner may do in this customer.
      await owned.setConfig("lookupCustomerId", { value: c });
      const looked = await owned.up();
      const lookups = looked.outputs.lookups.value;
      expect(lookups.activeRoleNames.sort()).toEqual(["Privileged Role Administrator", "User Administrator"]);
      // The baseline's destroyed request still awaits approval (Graph deletes only created ones).
      expect(lookups.statuses.filter((x: string) => x !== "approvalPending")).toEqual(["active"]);
      expect(lookups.userDomain).toBe(domain);
      expect(lookups.globalAdministratorRoleId).toBe(looked.outputs.resources.value["bg-ga"].roleId);

      const adopting = (d: any) => ({ ...d, args: { ...d.args, adopt: true } });
      await declare("intruder", [full[0]]);
      const second = await up("intruder");
      expect(second.status).not.toBe(0);
      expect(second.output).toMatch(/a relationship with that name already exists .* set adopt: true on this DelegatedAdminRelationship/s);
      await declare("intruder", [adopting(full[0]), full[1], adopting(full[2]), full[3]]);
      const third = await pulumi("intruder", ["up", "--yes", "--skip-preview", "--continue-on-error"]);
      expect(third.status).not.toBe(0);
      expect(third.output).toMatch(/took over the delegated admin relationship 'shared'/);
      expect(third.output).toMatch(
        /the group already has an access assignment on this relationship .* set adopt: true on this DelegatedAdminAccessAssignment/s,
      );
      expect(third.output).toMatch(/the user already is a member of that role.* set adopt: true on this CustomerUserRoleAssignment/s);
      // The recovery flag takes over what matches exactly.
      const recovered = await up("intruder", { PARTNERCENTER_ADOPT_MATCHING: "true" });
      expect(recovered.status).toBe(0);
      expect(recovered.output).toMatch(/took over the access assignment of security group/);
      expect(recovered.output).toMatch(/took over the membership of user/);

      // "SHARED" is "shared" as Graph compares names (ignoring case): the flag takes it, and the next
      // plain up leaves it alone instead of replacing it for its case (which would end it).
      const twin = { kind: "relationship", name: "twin", args: { ...full[0].args, displayName: "SHARED" } };
      await declare("twin", [twin]);
      const adopted = await up("twin", { PARTNERCENTER_ADOPT_MATCHING: "true" });
      expect(adopted.status).toBe(0);
      expect(adopted.output).toMatch(
        /took over the delegated admin relationship 'shared' \(\S+\) \(the program's 'SHARED', as Graph compares names: ignoring case\)/,
      );
      const again = await up("twin");
      expect(again.status).toBe(0);
      expect(again.output).not.toMatch(/replace/);
      expect((await relationshipNamed("shared")).map((r: any) => [r.id, r.status])).toEqual([[rel.id, "active"]]);

      // The customer ends the relationship (issue 31 item 3): destroy cannot delete the user and its role
      // there (403), says so once and names the one command that drops that customer's objects from the state.
      await admin.call("POST", `/delegatedAdminRelationships/${rel.id}/terminate`);
      const refused = await pulumi("owner", ["destroy", "--yes", "--skip-preview"]);
      expect(refused.status).not.toBe(0);
      expect(new Set(refused.output.match(/Could not delete [^:]+:/g))).toEqual(new Set([expect.stringMatching(/^Could not delete the membership of user/)]));
      expect(refused.output).toMatch(/can no longer act in customer \S+ \(Partner Center answered 403[\s\S]*Nothing was deleted/);
      expect(refused.output).toContain(`PARTNERCENTER_FORGET_CUSTOMERS=${c} pulumi destroy --yes`);
      const forgotten = await pulumi("owner", ["destroy", "--yes", "--skip-preview"], { PARTNERCENTER_FORGET_CUSTOMERS: c });
      expect(forgotten.status === 0 ? "" : forgotten.output).toBe("");
      expect(forgotten.output).toMatch(new RegExp(`dropped user bg@${domain.replace(/\./g, "\\.")} from the state without deleting it`));
      expect(
        (JSON.parse(await exportState(sandbox, "owner", program)).deployment.resources ?? []).filter(
          (r: any) => r.custom && !r.type.startsWith("pulumi:providers:"),
        ),
      ).toEqual([]);
      expect(
        usersOf(await admin.inventory(), c)
          .filter((u: any) => u.userPrincipalName === `bg@${domain}`)
          .map((u: any) => u.state),
      ).toEqual(["active"]);
    });

    describe("static get", () => {
      const c = () => bare[0];
      let ids: { relationship: string; assignment: string; member: string; user: string; roleId: string };
      const missingGuid = "0f0f0f0f-1e1e-4d4d-8c8c-2b2b2b2b2b2b";
      /** A read through get that must fail before any GDAP or directory-role request is sent. */
      async function refusedBeforeSending(declared: unknown, message: RegExp) {
        await declare("reader", [declared]);
        await admin.call("DELETE", "/requests");
        const preview = await pulumi("reader", ["preview"]);
        expect(preview.status).not.toBe(0);
        expect(preview.output).toMatch(message);
        const sent = ((await admin.call("GET", "/requests")).requests as any[]).filter((r) => /delegatedAdminRelationships|directoryroles/.test(r.path));
        expect(sent).toEqual([]);
      }
      async function missing(declared: unknown, message: RegExp) {
        await declare("reader", [declared]);
        const preview = await pulumi("reader", ["preview"]);
        expect(preview.status).not.toBe(0);
        expect(preview.output).toMatch(message);
      }

      beforeAll(async () => {
        const domain = ((await admin.inventory()).customers as any[]).find((x) => x.id === c()).domains[0].name;
        const owner = [relationship("gets", c(), { roleDefinitionIds: [userAdmin, pra] })];
        await declare("gets-src", owner);
        expect((await up("gets-src")).status).toBe(0);
        const [rel] = await relationshipNamed("gets");
        await admin.call("POST", `/delegatedAdminRelationships/${rel.id}/approve`);
        const full = [
          ...owner,
          { kind: "assignment", name: "access", ref: "gets", args: { securityGroupId: group.userAdmins, roleDefinitionIds: [userAdmin, pra] } },
          {
            kind: "user",
            name: "reader-user",
            after: ["access"],
            args: { customerId: c(), userPrincipalName: `getter@${domain}`, displayName: "Getter", usageLocation: "US" },
          },
          { kind: "roleMember", name: "reader-ga", ref: "reader-user", after: ["access"], args: { customerId: c(), roleName: "Global Reader" } },
        ];
        await declare("gets-src", full.slice(0, 2));
        expect((await up("gets-src")).status).toBe(0);
        const stack = await declare("gets-src", full);
        const made = await stack.up();
        const out = made.outputs.resources.value;
        const [customerId, roleId, user] = out["reader-ga"].id.split("/");
        expect(customerId).toBe(c());
        ids = { relationship: rel.id, assignment: out.access.id, member: out["reader-ga"].id, user, roleId };
      });

      it("DelegatedAdminRelationship.get reads a relationship by id; a bad id is refused before any call, a missing one or another customer's is an error", async () => {
        const stack = await declare("reader", [{ kind: "getRelationship", name: "r", id: ids.relationship, args: { customerId: c() } }]);
        const read = (await stack.up()).outputs.resources.value.r;
        expect(read).toEqual({ id: ids.relationship, status: "active", displayName: "gets", customerId: c(), roleDefinitionIds: [userAdmin, pra] });
        await refusedBeforeSending(
          { kind: "getRelationship", name: "r", id: `../${ids.relationship}`, args: {} },
          /relationshipId must be a GDAP relationship id .*got '\.\.\//,
        );
        await refusedBeforeSending(
          { kind: "getRelationship", name: "r", id: ids.relationship, args: { customerId: "not-a-guid" } },
          /customerId must be a GUID/,
        );
        await missing(
          { kind: "getRelationship", name: "r", id: `${missingGuid}-${c()}`, args: {} },
          /Graph has no delegated admin relationship with that id\. Check the id given to DelegatedAdminRelationship\.get/,
        );
        await missing(
          { kind: "getRelationship", name: "r", id: ids.relationship, args: { customerId: bare[1] } },
          new RegExp(`it is customer ${c()}'s relationship, not customer ${bare[1]}'s`),
        );
        expect((await pulumi("reader", ["destroy", "--yes", "--skip-preview"])).status).toBe(0);
        expect((await relationshipNamed("gets", "active")).map((r: any) => r.id)).toEqual([ids.relationship]);
      });

      it("DelegatedAdminAccessAssignment.get reads an assignment by {relationshipId}/{accessAssignmentId}; bad ids are refused before any call, a missing one is an error", async () => {
        const stack = await declare("reader", [{ kind: "getAssignment", name: "a", id: ids.assignment }]);
        const read = (await stack.up()).outputs.resources.value.a;
        expect(read).toMatchObject({ id: ids.assignment, relationshipId: ids.relationship, securityGroupId: group.userAdmins, status: "active" });
        expect([...read.roleDefinitionIds].sort()).toEqual([userAdmin, pra].sort());
        await refusedBeforeSending({ kind: "getAssignment", name: "a", id: ids.relationship }, /the id must be \{relationshipId\}\/\{accessAssignmentId\}/);
        await refusedBeforeSending({ kind: "getAssignment", name: "a", id: `${ids.relationship}/x#` }, /accessAssignmentId must be a GUID/);
        await missing(
          { kind: "getAssignment", name: "a", id: `${ids.relationship}/${missingGuid}` },
          /has no access assignment 0f0f0f0f-1e1e-4d4d-8c8c-2b2b2b2b2b2b\. Check the id given to DelegatedAdminAccessAssignment\.get/,
        );
        expect((await pulumi("reader", ["destroy", "--yes", "--skip-preview"])).status).toBe(0);
        const state = await gdapState();
        expect(state.relationships.find((r: any) => r.id === ids.relationship).accessAssignments.filter((a: any) => a.status === "active")).toHaveLength(1);
      });

      it("CustomerUserRoleAssignment.get reads a membership by {customerId}/{roleId}/{userId}; bad ids are refused before any call, a non-member is an error", async () => {
        const stack = await declare("reader", [{ kind: "getRoleMember", name: "m", id: ids.member }]);
        const read = (await stack.up()).outputs.resources.value.m;
        expect(read).toEqual({ id: ids.member, customerId: c(), roleId: ids.roleId, userId: ids.user });
        await refusedBeforeSending({ kind: "getRoleMember", name: "m", id: `${c()}/${ids.roleId}` }, /the id must be \{customerId\}\/\{roleId\}\/\{userId\}/);
        await refusedBeforeSending(
          { kind: "getRoleMember", name: "m", id: `${c()}/${ids.roleId}/../${ids.user}` },
          /the id must be \{customerId\}\/\{roleId\}\/\{userId\}/,
        );
        await refusedBeforeSending({ kind: "getRoleMember", name: "m", id: `${c()}/global-reader/${ids.user}` }, /roleId must be a GUID/);
        await missing(
          { kind: "getRoleMember", name: "m", id: `${c()}/${ids.roleId}/${missingGuid}` },
          /user 0f0f0f0f-1e1e-4d4d-8c8c-2b2b2b2b2b2b is not a member of directory role .*Check the id given to CustomerUserRoleAssignment\.get/,
        );
        expect((await pulumi("reader", ["destroy", "--yes", "--skip-preview"])).status).toBe(0);
        expect(Object.values((await gdapState()).roleMembers[c()]).flat()).toContain(ids.user);
        expect((await pulumi("gets-src", ["destroy", "--yes", "--skip-preview"])).status).toBe(0);
      });
    });
  });
});
