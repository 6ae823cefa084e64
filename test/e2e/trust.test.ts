/**
 * State tells the truth (issue 12), through the real CLI against the emulator: one owner per object,
 * identifiers checked before they reach a URL, drift repaired, resource options honoured, advice that
 * matches what the next run needs. Each test declares its resources as a JSON list (the `declared`
 * program) in stacks of its own, over customers and UPNs of its own.
 */
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import { sleep, startCli } from "../reliability/common";
import { killGroup } from "../support/process";
import { recover } from "../reliability/recovery";
import { waitForNoSandboxProcesses } from "../support/sandboxProcesses";
import { copyProgram, createEngineSandbox, EngineSandbox, exportState, localProgramStack, runPulumi } from "../support/engine";
import { consentsOf, grantsOf, servicePrincipalsOf, usersOf } from "../support/inventory";
import { partnerCenterConfig } from "../support/stackConfig";

const password = "Trust-Passw0rd!";
const graph = "00000003-0000-0000-c000-000000000000";

type Declared = { kind: "user" | "consent" | "getUser"; name: string; args: Record<string, unknown>; opts?: Record<string, unknown>; id?: string };

describe("state tells the truth", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let sandbox: EngineSandbox;
  let program: string;
  let customers: { id: string; domain: string }[];
  const appId = () => emulator.credentials.controlPanelApplicationId;

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = emulator.admin;
    sandbox = createEngineSandbox("pcenter-trust-");
    program = copyProgram(sandbox, path.join(__dirname, "programs", "declared"));
    const inventory = await admin.inventory();
    customers = (inventory.customers as any[])
      .filter((c) => c.gdapRoles.includes("User Administrator") && c.gdapRoles.includes("Cloud Application Administrator"))
      .map((c) => ({ id: c.id, domain: c.domains.find((d: any) => !d.federated).name }));
  });

  afterAll(async () => {
    await emulator?.stop();
    sandbox?.dispose();
  });

  async function declare(stackName: string, resources: Declared[], extra: Record<string, { value: string; secret?: boolean }> = {}) {
    const stack = await localProgramStack(sandbox, program, stackName);
    await stack.setAllConfig({
      ...partnerCenterConfig(emulator),
      password: { value: password, secret: true },
      resources: { value: JSON.stringify(resources) },
      ...extra,
    });
    return stack;
  }

  function pulumi(stackName: string, args: string[], env: Record<string, string> = {}) {
    return runPulumi(sandbox, [...args, "--stack", stackName], program, env).then((r) => ({ ...r, output: r.stdout + r.stderr }));
  }
  const up = (stackName: string, env?: Record<string, string>) => pulumi(stackName, ["up", "--yes", "--skip-preview"], env);

  const user = (
    name: string,
    customer: { id: string; domain: string },
    alias: string,
    fields: Record<string, unknown> = {},
    opts?: Record<string, unknown>,
  ): Declared => ({
    kind: "user",
    name,
    args: { customerId: customer.id, userPrincipalName: `${alias}@${customer.domain}`, displayName: `Trust ${alias}`, usageLocation: "US", ...fields },
    opts,
  });
  const consent = (name: string, customer: { id: string }, fields: Record<string, unknown> = {}, opts?: Record<string, unknown>): Declared => ({
    kind: "consent",
    name,
    args: {
      customerId: customer.id,
      applicationId: appId(),
      displayName: "Trust Control Panel",
      grants: [{ enterpriseApplicationId: graph, scopes: ["User.Read.All"] }],
      ...fields,
    },
    opts,
  });
  const liveUsers = async (customerId: string, upn: string) =>
    usersOf(await admin.inventory(), customerId).filter((u: any) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());

  it("changes immutableId on the service, accepts the documented example value and reads it back as drift", async () => {
    const c = customers[0];
    const upn = `anchor@${c.domain}`;
    // "Some unique ID" is the create-user page's own example value.
    const stack = await declare("anchor", [user("anchor", c, "anchor", { immutableId: "Some unique ID" })]);
    const first = await up("anchor");
    expect(first.status).toBe(0);
    expect((await liveUsers(c.id, upn)).map((u: any) => [u.state, u.immutableId])).toEqual([["active", "Some unique ID"]]);

    await stack.setConfig("resources", { value: JSON.stringify([user("anchor", c, "anchor", { immutableId: "anchor-2" })]) });
    const second = await up("anchor");
    expect(second.status).toBe(0);
    const live = await liveUsers(c.id, upn);
    expect(live.map((u: any) => [u.state, u.immutableId])).toEqual([["active", "anchor-2"]]);

    // Changed outside Pulumi: refresh reads it back, so the preview shows the update that restores it.
    await admin.call("PATCH", `/customers/${c.id}/users/${live[0].id}`, { immutableId: "changed-outside" });
    const preview = await pulumi("anchor", ["preview", "--refresh", "--diff"]);
    expect(preview.status).toBe(0);
    expect(preview.output).toMatch(/~ immutableId\s*: "changed-outside" => "anchor-2"/);
    expect((await pulumi("anchor", ["up", "--refresh", "--yes", "--skip-preview"])).status).toBe(0);
    expect((await liveUsers(c.id, upn))[0].immutableId).toBe("anchor-2");
  });

  it("never takes over another stack's consent or user silently, and never deletes what the other still declares", async () => {
    const c = customers[1];
    await declare("owner", [consent("cpv", c), user("shared", c, "shared")]);
    expect((await up("owner")).status).toBe(0);

    await declare("intruder", [consent("cpv", c), user("shared", c, "shared")]);
    const second = await up("intruder");
    expect(second.status).not.toBe(0);
    expect(second.output).toMatch(/Could not consent application .* a consent already exists .* set adopt: true on this ApplicationConsent/s);
    expect(second.output).toMatch(/Could not create user shared@.* already exists .* set adopt: true on this CustomerUser/s);
    expect(second.output).toMatch(/If an interrupted run of this stack made it, recover as README "Recovering after an interrupted run" says/);
    const destroyed = await pulumi("intruder", ["destroy", "--yes", "--skip-preview"]);
    expect(destroyed.status).toBe(0);
    const inventory = await admin.inventory();
    expect(consentsOf(inventory, c.id).map((x: any) => x.applicationId)).toEqual([appId()]);
    expect((await liveUsers(c.id, `shared@${c.domain}`)).map((u: any) => u.state)).toEqual(["active"]);

    // Taken over explicitly: the stack says so, and keeps the object when told to retain it.
    await declare("intruder", [
      consent("cpv", c, { adopt: true }, { retainOnDelete: true }),
      user("shared", c, "shared", { adopt: true }, { retainOnDelete: true }),
    ]);
    const adopted = await up("intruder");
    expect(adopted.status).toBe(0);
    expect(adopted.output).toMatch(/took over the consent of application .* \(adopt: true\)/);
    expect((await pulumi("intruder", ["destroy", "--yes", "--skip-preview"])).status).toBe(0);
    expect(consentsOf(await admin.inventory(), c.id)).toHaveLength(1);
    expect((await liveUsers(c.id, `shared@${c.domain}`)).map((u: any) => u.state)).toEqual(["active"]);
    expect((await pulumi("owner", ["preview", "--refresh", "--expect-no-changes"])).status).toBe(0);
  });

  it("checks identifiers before they reach a URL: get with a path in its id fails and sends nothing", async () => {
    const [a, b] = customers;
    const victim = usersOf(await admin.inventory(), a.id).find((u: any) => u.state === "active");
    await admin.call("DELETE", "/requests");
    await declare("traversal", [{ kind: "getUser", name: "read", id: `../../${a.id}/users/${victim.id}`, args: { customerId: b.id } }]);
    const run = await up("traversal");
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/userId must be a GUID like [0-9a-f-]+, got '\.\.\/\.\.\//);
    await declare("traversal", [{ kind: "getUser", name: "read", id: victim.id, args: { customerId: `${b.id}#` } }]);
    const hash = await up("traversal");
    expect(hash.status).not.toBe(0);
    expect(hash.output).toMatch(/customerId must be a GUID like [0-9a-f-]+, got '[0-9a-f-]+#'/);
    const { requests } = await admin.call<{ requests: any[] }>("GET", "/requests");
    expect(requests.filter((r) => /users/.test(r.path))).toEqual([]);
    expect(JSON.parse(await exportState(sandbox, "traversal", program)).deployment.resources ?? []).not.toContainEqual(
      expect.objectContaining({ type: expect.stringContaining("CustomerUser") }),
    );
  });

  it("fails a get of a missing user with a clear error naming the customer and the id", async () => {
    const c = customers[2];
    const missing = "7d3f6c8e-1111-4222-8333-944455556666";
    await declare("missing", [{ kind: "getUser", name: "read", id: missing, args: { customerId: c.id } }]);
    const run = await up("missing");
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(`Could not read user ${missing} for customer ${c.id}: Partner Center has no user with that id in that customer`);
  });

  it("repairs a consent whose service principal was deleted in the customer tenant, with no program change", async () => {
    const c = customers[3];
    await declare("sp", [consent("cpv", c, { grants: [{ enterpriseApplicationId: graph, scopes: ["User.Read.All", "Directory.Read.All"] }] })]);
    expect((await up("sp")).status).toBe(0);
    await admin.call("DELETE", `/customers/${c.id}/servicePrincipals/${appId()}`);
    const preview = await pulumi("sp", ["preview", "--refresh"]);
    expect(preview.output).toMatch(/replace/);
    const repaired = await pulumi("sp", ["up", "--refresh", "--yes", "--skip-preview"]);
    expect(repaired.status).toBe(0);
    const inventory = await admin.inventory();
    const sp = servicePrincipalsOf(inventory, c.id).find((s: any) => s.appId === appId());
    expect(sp).toBeDefined();
    expect(
      grantsOf(inventory, c.id)
        .filter((g: any) => g.clientId === sp.id)
        .map((g: any) => g.scope),
    ).toEqual(["User.Read.All Directory.Read.All"]);
    expect((await pulumi("sp", ["preview", "--refresh", "--expect-no-changes"])).status).toBe(0);
  });

  it("honours ignoreChanges, protect and retainOnDelete as any provider does", async () => {
    const c = customers[4];
    const stack = await declare("options", [
      user("ignored", c, "ignored", {}, { ignoreChanges: ["displayName"] }),
      user("guarded", c, "guarded", {}, { protect: true }),
      user("kept", c, "kept", {}, { retainOnDelete: true }),
    ]);
    expect((await up("options")).status).toBe(0);

    // ignoreChanges: a rename in the portal survives `pulumi up --refresh`.
    const ignored = (await liveUsers(c.id, `ignored@${c.domain}`))[0];
    await admin.call("PATCH", `/customers/${c.id}/users/${ignored.id}`, { displayName: "Renamed In Portal" });
    const refreshed = await pulumi("options", ["up", "--refresh", "--yes", "--skip-preview"]);
    expect(refreshed.status).toBe(0);
    expect((await liveUsers(c.id, `ignored@${c.domain}`))[0].displayName).toBe("Renamed In Portal");

    // protect: destroy refuses, and the user stays.
    const refused = await pulumi("options", ["destroy", "--yes", "--skip-preview"]);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/protected/);
    expect((await liveUsers(c.id, `guarded@${c.domain}`)).map((u: any) => u.state)).toEqual(["active"]);

    // retainOnDelete: removed from the program and the state, left on the service.
    await stack.setConfig("resources", {
      value: JSON.stringify([user("ignored", c, "ignored", {}, { ignoreChanges: ["displayName"] }), user("guarded", c, "guarded", {}, { protect: true })]),
    });
    expect((await up("options")).status).toBe(0);
    expect((await liveUsers(c.id, `kept@${c.domain}`)).map((u: any) => u.state)).toEqual(["active"]);
    expect(await exportState(sandbox, "options", program)).not.toMatch(/"kept"|::kept"/);
  });

  it("recovers exactly what an interrupted run made, and nothing that another stack owns", async () => {
    const c = customers[6];
    const fresh = `fresh@${c.domain}`;
    await declare("twin-owner", [consent("cpv", c), user("twin", c, "twin")]);
    expect((await up("twin-owner")).status).toBe(0);

    // The same consent and user again, plus one of its own, in a second stack. Every users and consents
    // POST is applied and its answer lost, again and again: the run's creates stay in flight, retrying
    // with their MS-RequestId, until the whole run is killed.
    await declare("twin", [consent("cpv", c), user("twin", c, "twin"), user("fresh", c, "fresh")], { "partnercenter:maxRetries": { value: "20" } });
    await admin.call("DELETE", "/requests");
    await admin.call("PUT", "/faults", {
      rules: [
        { group: "consents", method: "POST", action: "resetAfterCommit", times: 1000 },
        { group: "users", method: "POST", action: "resetAfterCommit", times: 1000 },
      ],
    });
    const run = startCli(sandbox, ["up", "--yes", "--skip-preview", "--stack", "twin"], program);
    const posted = async () => {
      const { requests } = await admin.call("GET", "/requests");
      return (requests as any[]).filter((r) => r.method === "POST" && /\/(users|applicationconsents)$/.test(r.path)).map((r) => r.path.split("/").pop());
    };
    for (let i = 0; i < 240; i++) {
      const seen = await posted();
      if (seen.includes("users") && seen.includes("applicationconsents")) break;
      await sleep(250);
    }
    expect(run.child.exitCode).toBeNull();
    killGroup(run.child, "SIGKILL");
    await run.done;
    expect(await waitForNoSandboxProcesses(sandbox, 20_000)).toEqual([]);
    await admin.call("PUT", "/faults", {});
    // The service holds the consent the owner made and the user the killed run made.
    expect((await liveUsers(c.id, fresh)).map((u: any) => u.state)).toEqual(["active"]);

    const recovery = await recover(sandbox, "twin", program);
    const output = recovery.runs.map((r) => r.stdout + r.stderr).join("\n");
    // What the killed run made is taken back; the owner's consent and user are not taken: they fail
    // with the error that names adopt: true, in both ups.
    expect(output).toMatch(new RegExp(`finished the interrupted run's create of user ${fresh.replace(/[.]/g, "\\.")}`));
    expect(output).not.toMatch(/took over/);
    expect(output).toMatch(/a consent already exists/);
    expect(output).toMatch(/Could not create user twin@\S+ .*already exists/);
    expect(recovery.converged).toBe(false);
    const twinState = JSON.parse(await exportState(sandbox, "twin", program)).deployment.resources as any[];
    const ownerState = JSON.parse(await exportState(sandbox, "twin-owner", program)).deployment.resources as any[];
    const named = (state: any[], kind: string) =>
      state
        .filter((r) => String(r.type).endsWith(`:${kind}`))
        .map((r) => r.urn.split("::").pop())
        .sort();
    expect(named(twinState, "CustomerUser")).toEqual(["fresh"]);
    expect(named(twinState, "ApplicationConsent")).toEqual([]);
    expect(twinState.find((r) => r.urn.endsWith("::fresh")).id).toBe((await liveUsers(c.id, fresh))[0].id);
    expect(named(ownerState, "CustomerUser")).toEqual(["twin"]);
    expect(named(ownerState, "ApplicationConsent")).toEqual(["cpv"]);

    // The second stack's destroy removes only its own user.
    expect((await pulumi("twin", ["destroy", "--yes", "--skip-preview"])).status).toBe(0);
    expect(consentsOf(await admin.inventory(), c.id).map((x: any) => x.applicationId)).toEqual([appId()]);
    expect((await liveUsers(c.id, `twin@${c.domain}`)).map((u: any) => u.state)).toEqual(["active"]);
    expect(await liveUsers(c.id, fresh)).toEqual([]);
  });

  it("refuses a recovery file of another stack, or one a later run made stale, before any call", async () => {
    const c = customers[7];
    await declare("rf-owner", [user("mine", c, "rf-mine")]);
    expect((await up("rf-owner")).status).toBe(0);
    const file = path.join(program, "rf-owner.json");
    expect((await pulumi("rf-owner", ["stack", "export", "--file", file])).status).toBe(0);
    const usersCalls = async () => ((await admin.call("GET", "/requests")).requests as any[]).filter((r) => /\/users/.test(r.path));

    // Another stack of the project, pointed at the owner's file: refused, naming both stacks.
    await declare("rf-other", [user("theirs", c, "rf-theirs")]);
    await admin.call("DELETE", "/requests");
    const foreign = await up("rf-other", { PARTNERCENTER_RECOVER_FROM: file });
    expect(foreign.status).not.toBe(0);
    expect(foreign.output).toMatch(
      /is the checkpoint of stack \S+\/rf-owner, not of this stack \S+\/rf-other: a recovery file is used only by the stack that saved it/,
    );
    expect(await usersCalls()).toEqual([]);

    // The owner's own file, left set after a later `up`: refused, since that run finished or dropped what it names.
    expect((await up("rf-owner")).status).toBe(0);
    await admin.call("DELETE", "/requests");
    const stale = await up("rf-owner", { PARTNERCENTER_RECOVER_FROM: file });
    expect(stale.status).not.toBe(0);
    expect(stale.output).toMatch(
      /and stack \S+\/rf-owner has run `pulumi update` since .*a recovery file is used only for the run right after the one it was saved from/s,
    );
    expect(await usersCalls()).toEqual([]);
  });

  it("reads back a replayed create: a user deleted after the kill is made anew, never recorded from the old answer", async () => {
    const c = customers[8] ?? customers[7];
    const upn = `gone@${c.domain}`;
    await declare("gone", [user("gone", c, "gone")], { "partnercenter:maxRetries": { value: "20" } });
    await admin.call("DELETE", "/requests");
    // The POST is applied and its answer lost, again and again, until the whole run is killed.
    await admin.call("PUT", "/faults", { rules: [{ group: "users", method: "POST", action: "resetAfterCommit", times: 1000 }] });
    const run = startCli(sandbox, ["up", "--yes", "--skip-preview", "--stack", "gone"], program);
    for (let i = 0; i < 240 && (await liveUsers(c.id, upn)).length === 0; i++) await sleep(250);
    expect(run.child.exitCode).toBeNull();
    killGroup(run.child, "SIGKILL");
    await run.done;
    expect(await waitForNoSandboxProcesses(sandbox, 20_000)).toEqual([]);
    await admin.call("PUT", "/faults", {});
    // Deleted for good after the kill: the service still answers the old MS-RequestId with its first 201.
    const made = await liveUsers(c.id, upn);
    expect(made).toHaveLength(1);
    await admin.deleteUser(c.id, made[0].id, "hard");

    const recovery = await recover(sandbox, "gone", program);
    const output = recovery.runs.map((r) => r.stdout + r.stderr).join("\n");
    expect(recovery.converged).toBe(true);
    expect(output).toMatch(/is no longer on the service \(deleted since\): it is not recorded from that answer, and is created anew/);
    expect(output).not.toMatch(/finished the interrupted run's create of user gone@/);
    const live = await liveUsers(c.id, upn);
    expect(live.map((u: any) => u.state)).toEqual(["active"]);
    expect(live[0].id).not.toBe(made[0].id);
    const state = JSON.parse(await exportState(sandbox, "gone", program)).deployment.resources as any[];
    expect(state.filter((r) => String(r.type).endsWith(":CustomerUser")).map((r) => r.id)).toEqual([live[0].id]);
  });

  it("says what the next run needs when a create's outcome is unknown, and that run then converges", async () => {
    const c = customers[5];
    const upn = `lost@${c.domain}`;
    await declare("lost", [user("lost", c, "lost")], { "partnercenter:maxRetries": { value: "1" } });
    // The lookups before the POST pass; the POST is applied but its answer lost (its retry too); then
    // every users call fails for longer than the retries, so the create cannot look for what it made.
    await admin.call("PUT", "/faults", {
      rules: [
        { group: "users", method: "POST", action: "resetAfterCommit", times: 2 },
        { group: "users", method: "GET", skip: 2, action: "status", status: 503, times: 40 },
      ],
    });
    const first = await up("lost");
    await admin.call("PUT", "/faults", {});
    expect(first.status).not.toBe(0);
    expect(first.output).toMatch(
      /The user lost@\S+ may or may not have been created\. Run `pulumi up` again: this stack's create journal lets it take back exactly what this create made\. On another machine .*PARTNERCENTER_ADOPT_MATCHING=true/,
    );
    expect(first.output).not.toMatch(/retried writes are idempotent/);

    // The create journal kept the lost create's MS-RequestId: the next plain up takes that user back, no flag.
    const second = await up("lost");
    expect(second.status === 0 ? "" : second.output).toBe("");
    expect(second.output).toMatch(/finished the interrupted run's create of user lost@/);
    expect((await liveUsers(c.id, upn)).map((u: any) => u.state)).toEqual(["active"]);
    expect((await pulumi("lost", ["preview", "--refresh", "--expect-no-changes"])).status).toBe(0);
  });
});
