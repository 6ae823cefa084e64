/**
 * GDAP through the real CLI against the emulator (issue 18): the gdap-baseline example from request
 * to approval to a customer's full baseline and back, drift of an access assignment's roles, a
 * relationship's status on refresh (expired, terminated) and its replacement, adoption, and checks
 * before any call.
 */
import * as path from "path";
import { startEmulator } from "../../emulator";
import { builtInRoles } from "../../provider/clients/builtInRoles";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { copyProgram, createEngineSandbox, EngineSandbox, localProgramStack, runPulumi } from "../support/engine";
import { consentsOf, usersOf } from "../support/inventory";
import { partnerCenterConfig } from "../support/stackConfig";

const group = { userAdmins: "1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01", helpdesk: "2c8c1f8b-7d1e-4e7f-8e5c-3a4d2b0f6c02" };

describe("GDAP through the CLI", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: EmulatorAdmin;
  let sandbox: EngineSandbox;
  let bare: string[];

  const gdapState = () => admin.call("GET", "/delegatedAdminRelationships");
  const relationshipNamed = async (displayName: string, status?: string) =>
    ((await gdapState()).relationships as any[]).filter((r) => r.displayName === displayName && (!status || r.status === status));

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = new EmulatorAdmin(emulator.endpoints.admin, emulator.caFile);
    sandbox = createEngineSandbox("pcenter-gdap-");
    // Customers where the seed gives the partner no role: all access comes from GDAP.
    bare = ((await admin.inventory()).customers as any[]).filter((c) => c.gdapRoles.length === 0).map((c) => c.id);
    expect(bare.length).toBeGreaterThanOrEqual(2);
  });

  afterAll(async () => {
    await admin?.close();
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
    expect(state.heldRoles[approved]).toEqual(expect.arrayContaining(["User Administrator", "Privileged Role Administrator", "Cloud Application Administrator", "Helpdesk Administrator"]));
    expect(state.heldRoles[pending]).toEqual([]);
    const inventory = await admin.inventory();
    const user = usersOf(inventory, approved).find((u: any) => u.userPrincipalName.startsWith("breakglass@"));
    expect(user.userPrincipalName).toBe(`breakglass@${inventory.customers.find((c: any) => c.id === approved).domains[0].name}`);
    expect(Object.values(state.roleMembers[approved]).flat()).toEqual([user.id]);
    expect(consentsOf(inventory, approved).map((c: any) => c.applicationId)).toEqual([emulator.credentials.controlPanelApplicationId]);
    expect(usersOf(inventory, pending)).toEqual([]);
    const clean = await run(["preview", "--refresh", "--expect-no-changes", "--diff"]);
    expect(clean.status === 0 ? "" : clean.output).toBe("");

    // 3. Roles changed out of band: refresh shows it, up puts them back.
    const userAdmins = assignments.find((a: any) => a.accessContainer.accessContainerId === group.userAdmins);
    await admin.call("PUT", `/delegatedAdminRelationships/${rel.id}/accessAssignments/${userAdmins.id}/roles`, { roleDefinitionIds: [builtInRoles["User Administrator"]] });
    const drift = await run(["preview", "--refresh", "--diff", "--expect-no-changes"]);
    expect(drift.status).not.toBe(0);
    expect(drift.output).toMatch(/DelegatedAdminAccessAssignment: \(update\)[\s\S]*roleDefinitionIds/);
    expect((await run(["up", "--refresh", "--yes", "--skip-preview"])).status).toBe(0);
    state = await gdapState();
    expect(state.relationships.find((r: any) => r.id === rel.id).accessAssignments.find((a: any) => a.id === userAdmins.id).accessDetails.unifiedRoles).toHaveLength(3);

    // 4. Destroy: consent, membership and user first (with the roles still held), then the access, then the relationships.
    await stack.destroy();
    state = await gdapState();
    expect(state.relationships.find((r: any) => r.id === rel.id).status).toBe("terminated");
    expect(await relationshipNamed(`Baseline ${pending.slice(0, 8)}`)).toEqual([]);
    expect(usersOf(await admin.inventory(), approved)).toEqual([]);
    expect(Object.values(state.roleMembers[approved] ?? {}).flat()).toEqual([]);
    expect(state.heldRoles[approved]).toEqual([]);
  });
});
