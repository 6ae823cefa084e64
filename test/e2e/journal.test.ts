/**
 * The create-intent journal (issue 27 item 3), through the real CLI against the emulator: the
 * provider process alone is killed with SIGKILL while a create is on the wire (the CLI lives on and
 * records the create as failed, so the checkpoint keeps no pending operation and README's recovery
 * file would name nothing). The next plain `pulumi up`, with no flag and no file, takes back exactly
 * what the killed create made: one object on the service, in the state, no duplicate. A journal entry
 * that names another stack is never used. The other three types' creates (a consent, an access
 * assignment, a role membership) are held at the emulator together when the provider dies; the
 * service makes each once the hold ends, and plain `up`s take all three back.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import { builtInRoles } from "../../provider/clients/builtInRoles";
import { journalDir } from "../../provider/resources/journal";
import { sleep, startCli } from "../reliability/common";
import { sandboxProcesses, waitForNoSandboxProcesses } from "../support/sandboxProcesses";
import { copyProgram, createEngineSandbox, EngineSandbox, exportState, localProgramStack, runPulumi } from "../support/engine";
import { consentsOf, usersOf } from "../support/inventory";
import { partnerCenterConfig } from "../support/stackConfig";

const roles = [builtInRoles["User Administrator"]];
const userAdmins = "1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01";

describe("a provider process killed mid-create, then a plain up (the create journal)", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let sandbox: EngineSandbox;
  let program: string;
  let customer: { id: string; domain: string };
  const stack = "journal";
  let project: string;

  const relationships = async (name: string) =>
    ((await admin.call("GET", "/delegatedAdminRelationships")).relationships as any[]).filter((r) => r.displayName === name);
  const users = async (upn: string) => usersOf(await admin.inventory(), customer.id).filter((u: any) => u.userPrincipalName === upn);
  const resourcesOf = async (type: string) =>
    ((JSON.parse(await exportState(sandbox, stack, program)).deployment.resources ?? []) as any[]).filter((r) => String(r.type).endsWith(`:${type}`));
  const entries = () => {
    const dir = journalDir({ project, stack }, sandbox.env.PULUMI_HOME);
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((n) => path.join(dir, n)) : [];
  };
  /** What the journal still holds after a recovery: only answered creates, each with an id the state holds (retired at the next run's diff). */
  const answeredIds = () => entries().map((f) => JSON.parse(fs.readFileSync(f, "utf8")).answeredId ?? "(unanswered)");
  const declare = async (resources: unknown[]) => {
    const s = await localProgramStack(sandbox, program, stack);
    await s.setAllConfig({
      ...partnerCenterConfig(emulator),
      password: { value: "Journal-Passw0rd!", secret: true },
      resources: { value: JSON.stringify(resources) },
    });
  };
  const up = () => runPulumi(sandbox, ["up", "--yes", "--skip-preview", "--stack", stack], program).then((r) => ({ ...r, output: r.stdout + r.stderr }));

  /**
   * `pulumi up` with creates held (by default every write's answer, once applied); the provider
   * process alone is killed once `landed()` says the creates are on the service or held there.
   */
  async function providerKilledUp(landed: () => Promise<boolean>, hold = () => admin.call("PUT", "/latency", { afterCommitMs: 5000 })) {
    await hold();
    const run = startCli(sandbox, ["up", "--yes", "--skip-preview", "--stack", stack], program);
    let exited = false;
    void run.done.then(() => (exited = true));
    while (!exited && !(await landed())) await sleep(50);
    expect(exited).toBe(false);
    // The dynamic-provider plugin alone; the CLI, language host and program live on.
    const providers = sandboxProcesses(sandbox).filter((p) => /dynamic-provider/.test(p.cmd));
    expect(providers.length).toBeGreaterThan(0);
    for (const p of providers) process.kill(p.pid, "SIGKILL");
    const result = await run.done;
    await admin.call("PUT", "/latency", {});
    expect(await waitForNoSandboxProcesses(sandbox, 30_000)).toEqual([]);
    // The CLI itself ended the update: the create failed, and no pending operation is left for a recovery file.
    expect(result.status).not.toBe(0);
    const pending = JSON.parse(await exportState(sandbox, stack, program)).deployment.pending_operations ?? [];
    expect(pending).toEqual([]);
    return result;
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = emulator.admin;
    sandbox = createEngineSandbox("pcenter-journal-");
    program = copyProgram(sandbox, path.join(__dirname, "programs", "gdap"));
    project = /name:\s*(\S+)/.exec(fs.readFileSync(path.join(program, "Pulumi.yaml"), "utf8"))![1];
    // Global Administrator: what users, consents and directory-role memberships each need.
    const c = ((await admin.inventory()).customers as any[]).find((x) => x.gdapRoles.includes("Global Administrator"));
    customer = { id: c.id, domain: c.domains.find((d: any) => !d.federated).name };
  });

  afterAll(async () => {
    await admin?.close();
    await emulator?.stop();
    sandbox?.dispose();
  });

  const relationship = () => ({
    kind: "relationship",
    name: "journal-rel",
    args: { displayName: "journal-rel", customerId: customer.id, duration: "P30D", roleDefinitionIds: roles },
  });

  const userPrincipalName = () => `journal.user@${customer.domain}`;
  const user = () => ({
    kind: "user",
    name: "journal-user",
    args: { customerId: customer.id, userPrincipalName: userPrincipalName(), displayName: "Journal User", usageLocation: "US" },
  });

  it("GDAP relationship: the next plain up takes back the one relationship the killed create made", async () => {
    await declare([relationship()]);
    await providerKilledUp(async () => (await relationships("journal-rel")).length > 0);
    expect(await resourcesOf("DelegatedAdminRelationship")).toEqual([]);
    expect(entries()).toHaveLength(1);

    const next = await up();
    expect(next.status === 0 ? "" : next.output).toBe("");
    expect(next.output).toMatch(/finished the interrupted run's create of the delegated admin relationship 'journal-rel'/);
    const made = await relationships("journal-rel");
    expect(made).toHaveLength(1);
    expect((await resourcesOf("DelegatedAdminRelationship")).map((r) => r.id)).toEqual([made[0].id]);
    expect(answeredIds()).toEqual([made[0].id]);
  });

  it("user: an entry naming another stack is ignored; the stack's own entry brings the user back with no adopt flag", async () => {
    const upn = userPrincipalName();
    await declare([relationship(), user()]);
    await providerKilledUp(async () => (await users(upn)).length > 0);
    expect(await resourcesOf("CustomerUser")).toEqual([]);
    const [entry] = entries();
    const text = fs.readFileSync(entry, "utf8");
    expect(text).not.toContain("Journal-Passw0rd!");
    const own = JSON.parse(text);
    expect(own).toMatchObject({ project, stack, kind: "CustomerUser", object: { userPrincipalName: upn } });

    // The same entry, but naming another stack (copied from elsewhere): never used, so the user is someone else's.
    fs.writeFileSync(entry, JSON.stringify({ ...own, stack: "other" }));
    const refused = await up();
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/ignored 1 file\(s\) in the create journal .* that name no create of stack/);
    expect(refused.output).toMatch(/a user with that userPrincipalName already exists/);
    expect(await resourcesOf("CustomerUser")).toEqual([]);

    fs.writeFileSync(entry, text);
    const next = await up();
    expect(next.status === 0 ? "" : next.output).toBe("");
    expect(next.output).toMatch(/finished the interrupted run's create of user journal\.user@/);
    const live = await users(upn);
    expect(live).toHaveLength(1);
    expect((await resourcesOf("CustomerUser")).map((r) => r.id)).toEqual([live[0].id]);
    expect(answeredIds()).toEqual([live[0].id]);
    const clean = await runPulumi(sandbox, ["preview", "--refresh", "--expect-no-changes", "--stack", stack], program);
    expect(clean.status === 0 ? "" : clean.stdout + clean.stderr).toBe("");
  });

  it("consent, access assignment and role membership: held at once when the provider dies, the service makes each, and plain ups take all three back", async () => {
    const [rel] = await relationships("journal-rel");
    await admin.call("POST", `/delegatedAdminRelationships/${rel.id}/approve`);
    const applicationId = emulator.credentials.controlPanelApplicationId;
    await declare([
      relationship(),
      user(),
      {
        kind: "consent",
        name: "journal-consent",
        args: {
          customerId: customer.id,
          applicationId,
          displayName: "Journal Control Panel",
          grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
        },
      },
      { kind: "assignment", name: "journal-access", ref: "journal-rel", args: { securityGroupId: userAdmins, roleDefinitionIds: roles } },
      { kind: "roleMember", name: "journal-member", ref: "journal-user", args: { customerId: customer.id, roleName: "Global Reader" } },
    ]);
    const consents = async () => consentsOf(await admin.inventory(), customer.id).filter((x: any) => x.applicationId === applicationId);
    const assignments = async () => ((await relationships("journal-rel"))[0].accessAssignments as any[]).filter((a) => a.status !== "deleted");
    const members = async () =>
      Object.values(((await admin.call("GET", "/delegatedAdminRelationships")).roleMembers[customer.id] ?? {}) as Record<string, string[]>).flat();
    const [userId] = (await resourcesOf("CustomerUser")).map((r) => r.id);

    // Each create's POST held at the emulator before it is applied; it goes on once the provider is dead.
    const held = ["/applicationconsents", "/accessAssignments", "/usermembers"];
    const hold = () => admin.setFaults({ rules: held.map((pathContains) => ({ method: "POST", pathContains, action: "delay" as const, delayMs: 20_000 })) });
    await providerKilledUp(async () => ((await admin.call("GET", "/faults")).rules ?? []).length === 0, hold);
    for (const type of ["ApplicationConsent", "DelegatedAdminAccessAssignment", "CustomerUserRoleAssignment"]) expect(await resourcesOf(type)).toEqual([]);
    expect(entries()).toHaveLength(3);
    // The held POSTs end as usual: the service now holds what the dead provider asked for.
    for (let waited = 0; (await consents()).length + (await assignments()).length + (await members()).length < 3 && waited < 60_000; waited += 250)
      await sleep(250);
    expect([(await consents()).length, (await assignments()).length, await members()]).toEqual([1, 1, [userId]]);

    // Plain ups, no flag: at most two.
    const first = await up();
    const second = first.status === 0 ? undefined : await up();
    const last = second ?? first;
    expect(last.status === 0 ? "" : last.output).toBe("");
    const output = first.output + (second?.output ?? "");
    expect(output).toMatch(/finished the interrupted run's create of the consent of application/);
    expect(output).toMatch(/finished the interrupted run's create of the access assignment of security group/);
    expect(output).toMatch(/finished the interrupted run's create of the membership of user/);
    expect(output).not.toMatch(/took over|ADOPT/);
    const [consent] = await consents();
    const [assignment] = await assignments();
    expect([(await consents()).length, (await assignments()).length, await members()]).toEqual([1, 1, [userId]]);
    expect((await resourcesOf("ApplicationConsent")).map((r) => r.id)).toEqual([`${customer.id}/${consent.applicationId}`]);
    expect((await resourcesOf("DelegatedAdminAccessAssignment")).map((r) => r.id)).toEqual([`${rel.id}/${assignment.id}`]);
    expect((await resourcesOf("CustomerUserRoleAssignment")).map((r) => r.outputs.userId)).toEqual([userId]);
    const kinds = ["ApplicationConsent", "DelegatedAdminAccessAssignment", "CustomerUserRoleAssignment"];
    const stateIds = (await Promise.all(kinds.map(async (t) => (await resourcesOf(t)).map((r) => r.id as string)))).flat();
    expect(answeredIds().sort()).toEqual(stateIds.sort());
    const clean = await runPulumi(sandbox, ["preview", "--refresh", "--expect-no-changes", "--stack", stack], program);
    expect(clean.status === 0 ? "" : clean.stdout + clean.stderr).toBe("");
  });
});
