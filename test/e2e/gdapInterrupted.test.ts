/**
 * GDAP creates interrupted mid-flight (issue 18), through the real CLI against the emulator: the
 * relationship's create killed with SIGKILL of the CLI alone, the access assignment's with SIGKILL
 * of the process group, the membership's with SIGINT. Each time the object is on the service while
 * the state holds only a pending create; README's recovery (test/reliability/recovery.ts `recover`)
 * must end with exactly one object, in this stack's state, and must not take another stack's
 * relationship that differs only in its displayName (what identifies a relationship).
 */
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import { builtInRoles } from "../../provider/clients/builtInRoles";
import { killGroup, sleep, startCli } from "../reliability/common";
import { recover } from "../reliability/recovery";
import { waitForNoSandboxProcesses } from "../support/sandboxProcesses";

import { copyProgram, createEngineSandbox, EngineSandbox, exportState, localProgramStack, runPulumi } from "../support/engine";
import { partnerCenterConfig } from "../support/stackConfig";

const userAdmins = "1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01";
const roles = [builtInRoles["User Administrator"], builtInRoles["Privileged Role Administrator"]];

describe("GDAP creates interrupted by a kill, then README's recovery", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let sandbox: EngineSandbox;
  let program: string;
  let customer: { id: string; domain: string };

  const gdapState = () => admin.call("GET", "/delegatedAdminRelationships");
  const named = async (displayName: string) => ((await gdapState()).relationships as any[]).filter((r) => r.displayName === displayName);
  // Ending (a termination asked for, deprovisioning) is not live: Graph's statuses, moved on by the emulator's clock.
  const live = async (displayName: string) =>
    (await named(displayName)).filter((r) => !["expired", "terminated", "terminationRequested", "terminating"].includes(r.status));
  const state = async (stack: string) => JSON.parse(await exportState(sandbox, stack, program)).deployment;
  const ofType = (resources: any[] = [], type: string) => resources.filter((r) => String(r.type).endsWith(`:${type}`));
  const relationship = (name: string) => ({
    kind: "relationship",
    name,
    args: { displayName: name, customerId: customer.id, duration: "P30D", roleDefinitionIds: roles },
  });
  const declare = async (stack: string, resources: unknown[]) => {
    const s = await localProgramStack(sandbox, program, stack);
    await s.setAllConfig({
      ...partnerCenterConfig(emulator),
      password: { value: "Kill-Gdap-Passw0rd!", secret: true },
      resources: { value: JSON.stringify(resources) },
    });
  };
  const up = (stack: string) =>
    runPulumi(sandbox, ["up", "--yes", "--skip-preview", "--stack", stack], program).then((r) => ({ ...r, output: r.stdout + r.stderr }));

  /**
   * `pulumi up` of the stack with every answer slowed down, interrupted `how` as soon as `landed()`
   * says the create reached the service (the provider then still has calls to make before it can
   * answer the engine); returns once the killed run's processes are gone.
   */
  async function interruptedUp(stack: string, how: "cli" | "group" | "sigint", landed: () => Promise<boolean>) {
    await admin.call("PUT", "/latency", { fixedMs: 1000 });
    const run = startCli(sandbox, ["up", "--yes", "--skip-preview", "--stack", stack], program);
    let exited = false;
    void run.done.then(() => (exited = true));
    while (!exited && !(await landed())) await sleep(50);
    expect(exited).toBe(false);
    if (how === "cli") run.child.kill("SIGKILL");
    else killGroup(run.child, how === "group" ? "SIGKILL" : "SIGINT");
    await run.done;
    expect(await waitForNoSandboxProcesses(sandbox, 30_000)).toEqual([]);
    await admin.call("PUT", "/latency", { fixedMs: 0 });
  }

  /** README's recovery, then: converged in at most two ups, and a refreshed preview of the stack shows nothing to do. */
  async function recovered(stack: string) {
    const recovery = await recover(sandbox, stack, program);
    expect(recovery).toMatchObject({ converged: true });
    expect(recovery.ups).toBeLessThanOrEqual(2);
    const clean = await runPulumi(sandbox, ["preview", "--refresh", "--expect-no-changes", "--stack", stack], program);
    expect(clean.status === 0 ? "" : clean.stdout + clean.stderr).toBe("");
    return recovery;
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = emulator.admin;
    sandbox = createEngineSandbox("pcenter-gdap-kill-");
    program = copyProgram(sandbox, path.join(__dirname, "programs", "gdap"));
    // A customer where the seed gives the partner no role: directory roles come from GDAP only.
    const c = ((await admin.inventory()).customers as any[]).find((x) => x.gdapRoles.length === 0);
    customer = { id: c.id, domain: c.domains[0].name };
    // Another stack's relationship with the same customer, duration and roles: only the name differs.
    await declare("other", [relationship("twin")]);
    expect((await up("other")).status).toBe(0);
  });

  afterAll(async () => {
    await admin?.close();
    await emulator?.stop();
    sandbox?.dispose();
  });

  it("relationship: kill -9 of the CLI alone mid-create leaves one relationship the recovery takes back, and not the other stack's twin", async () => {
    await declare("kill", [relationship("kill-rel")]);
    await interruptedUp("kill", "cli", async () => (await named("kill-rel")).length > 0);
    const killed = await state("kill");
    expect(ofType(killed.resources, "DelegatedAdminRelationship")).toEqual([]);
    expect((killed.pending_operations ?? []).map((p: any) => [p.type, String(p.resource.urn).split("::").pop()])).toContainEqual(["creating", "kill-rel"]);
    expect(await named("kill-rel")).toHaveLength(1);

    const recovery = await recovered("kill");
    // Found by its name, made after the killed run asked for it; or, when the plugin the kill left
    // behind lived to see the create answered (its journal entry then holds the id), read by that id.
    expect(recovery.runs.map((r) => r.stdout + r.stderr).join("\n")).toMatch(
      /finished the interrupted run's create of the delegated admin relationship 'kill-rel[^']*' .*?: (Graph has no idempotency key, so nothing was sent again: Graph created it at \S+, after that run asked for it at \S+, and it is exactly what the program declares|the service had answered it with id \S+, which that run's state never recorded, so nothing was sent again .*?); this stack manages it/,
    );
    const [made] = await live("kill-rel");
    expect(await named("kill-rel")).toHaveLength(1);
    expect(made.status).toBe("approvalPending");
    expect(ofType((await state("kill")).resources, "DelegatedAdminRelationship").map((r) => [r.id, r.outputs.status])).toEqual([[made.id, "approvalPending"]]);
    const [twin] = await live("twin");
    expect(twin.status).toBe("approvalPending");
    expect(ofType((await state("kill")).resources, "DelegatedAdminRelationship").map((r) => r.id)).not.toContain(twin.id);
    expect(ofType((await state("other")).resources, "DelegatedAdminRelationship").map((r) => r.id)).toEqual([twin.id]);
  });

  it("access assignment: SIGKILL of the process group mid-create leaves one assignment the recovery takes back", async () => {
    const [rel] = await live("kill-rel");
    await admin.call("POST", `/delegatedAdminRelationships/${rel.id}/approve`);
    const access = { kind: "assignment", name: "access", ref: "kill-rel", args: { securityGroupId: userAdmins, roleDefinitionIds: roles } };
    await declare("kill", [relationship("kill-rel"), access]);
    const assignments = async () => ((await live("kill-rel"))[0].accessAssignments as any[]).filter((a) => a.status !== "deleted");
    await interruptedUp("kill", "group", async () => (await assignments()).length > 0);
    const killed = await state("kill");
    expect(ofType(killed.resources, "DelegatedAdminAccessAssignment")).toEqual([]);
    expect((killed.pending_operations ?? []).map((p: any) => String(p.resource.urn).split("::").pop())).toContain("access");

    const recovery = await recovered("kill");
    // Found on the relationship, made after the killed run asked for it; or, when the plugin lived to
    // see the create answered before the group's kill reached it (its journal entry then holds the id),
    // read by that id. CI's Node 24 pass saw the second.
    expect(recovery.runs.map((r) => r.stdout + r.stderr).join("\n")).toMatch(
      /finished the interrupted run's create of the access assignment of security group \S+ on relationship \S+: (Graph has no idempotency key, so nothing was sent again: Graph created it at|the service had answered it with id \S+, which that run's state never recorded, so nothing was sent again .*?; this stack manages it)/,
    );
    const [made] = await assignments();
    expect((await assignments()).map((a) => a.accessContainer.accessContainerId)).toEqual([userAdmins]);
    expect(ofType((await state("kill")).resources, "DelegatedAdminAccessAssignment").map((r) => r.id)).toEqual([`${rel.id}/${made.id}`]);
  });

  it("role membership: SIGINT mid-create leaves the user in the role once, held by this stack", async () => {
    const base = [
      relationship("kill-rel"),
      { kind: "assignment", name: "access", ref: "kill-rel", args: { securityGroupId: userAdmins, roleDefinitionIds: roles } },
      {
        kind: "user",
        name: "member-user",
        after: ["access"],
        args: { customerId: customer.id, userPrincipalName: `killed.member@${customer.domain}`, displayName: "Killed Member", usageLocation: "US" },
      },
    ];
    await declare("kill", base);
    expect((await up("kill")).status).toBe(0);
    const userId = ofType((await state("kill")).resources, "CustomerUser")[0].id;
    await declare("kill", [
      ...base,
      { kind: "roleMember", name: "member", ref: "member-user", after: ["access"], args: { customerId: customer.id, roleName: "Global Reader" } },
    ]);
    // The membership's last read before its POST: once it is answered, the POST is on its way.
    await admin.call("DELETE", "/requests");
    await interruptedUp("kill", "sigint", async () =>
      ((await admin.call("GET", "/requests")).requests as any[]).some((r) => r.method === "GET" && /\/usermembers$/.test(r.path)),
    );

    await recovered("kill");
    const members = Object.values(((await gdapState()).roleMembers[customer.id] ?? {}) as Record<string, string[]>).flat();
    expect(members).toEqual([userId]);
    const held = ofType((await state("kill")).resources, "CustomerUserRoleAssignment");
    expect(held.map((r) => r.outputs.userId)).toEqual([userId]);

    // Destroy ends this stack's objects (the membership and user before the access they need) and leaves the other stack's relationship.
    const destroyed = await runPulumi(sandbox, ["destroy", "--yes", "--skip-preview", "--stack", "kill"], program);
    expect(destroyed.status === 0 ? "" : destroyed.stdout + destroyed.stderr).toBe("");
    expect(await live("kill-rel")).toEqual([]);
    expect((await live("twin")).map((r) => r.status)).toEqual(["approvalPending"]);
  });
});
