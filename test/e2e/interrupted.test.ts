/**
 * `kill -9` of the CLI alone in the middle of a rollout (issue 12, items 6 and 7), through the real
 * CLI against the emulator: the plugins it leaves behind end by themselves, and README's recovery
 * converges in at most two `pulumi up` runs with state, service and program in agreement.
 */
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import { startCli } from "../reliability/common";
import { recover } from "../reliability/recovery";
import { waitForNoSandboxProcesses } from "../support/sandboxProcesses";
import { copyProgram, createEngineSandbox, EngineSandbox, exportState, localProgramStack, runPulumi } from "../support/engine";
import { consentsOf, usersOf } from "../support/inventory";
import { partnerCenterConfig } from "../support/stackConfig";

describe("a rollout whose CLI is killed with SIGKILL", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let sandbox: EngineSandbox;
  let program: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = emulator.admin;
    sandbox = createEngineSandbox("pcenter-kill-");
    program = copyProgram(sandbox, path.join(__dirname, "programs", "declared"));
  });

  afterAll(async () => {
    await emulator?.stop();
    sandbox?.dispose();
  });

  it("leaves no process behind, and recovers in at most two ups with nothing duplicated or lost", async () => {
    const inventory = await admin.inventory();
    const customers = (inventory.customers as any[])
      .filter((c) => c.gdapRoles.includes("User Administrator") && c.gdapRoles.includes("Cloud Application Administrator"))
      .slice(0, 4)
      .map((c) => ({ id: c.id, domain: c.domains.find((d: any) => !d.federated).name }));
    const resources = customers.flatMap((c) => [
      {
        kind: "consent",
        name: `cpv-${c.id}`,
        args: {
          customerId: c.id,
          applicationId: emulator.credentials.controlPanelApplicationId,
          displayName: "Kill Control Panel",
          grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
        },
      },
      ...[1, 2, 3].map((i) => ({
        kind: "user",
        name: `u${i}-${c.id}`,
        args: { customerId: c.id, userPrincipalName: `kill${i}@${c.domain}`, displayName: `Kill ${i}`, usageLocation: "US" },
      })),
    ]);
    const stack = await localProgramStack(sandbox, program, "kill");
    await stack.setAllConfig({
      ...partnerCenterConfig(emulator),
      password: { value: "Kill-Passw0rd!", secret: true },
      resources: { value: JSON.stringify(resources) },
    });
    // Slow answers, so that creates are in flight when the kill lands; and one user's create held by
    // the emulator, so that at least one surely is (a kill keyed to the CLI's "created" lines once
    // came before any user create had begun, and the recovery then had nothing to finish).
    await admin.call("PUT", "/latency", { fixedMs: 700 });
    const held = customers[customers.length - 1];
    await admin.setFaults({ rules: [{ method: "POST", pathContains: `${held.id}/users`, action: "delay", delayMs: 300_000 }] });

    const run = startCli(sandbox, ["up", "--yes", "--skip-preview", "--stack", "kill"], program);
    let exited = false;
    void run.done.then(() => (exited = true));
    // Everything else made: the held create is the one in flight.
    const madeElsewhere = async () => {
      const now = await admin.inventory();
      return customers.every(
        (c) =>
          consentsOf(now, c.id).length === 1 &&
          [1, 2, 3].filter((i) => usersOf(now, c.id).some((u: any) => u.userPrincipalName === `kill${i}@${c.domain}`)).length === (c === held ? 2 : 3),
      );
    };
    while (!exited && !(await madeElsewhere())) await new Promise((r) => setTimeout(r, 250));
    expect(exited).toBe(false);
    run.child.kill("SIGKILL"); // the CLI alone: its language host, program and provider are not signalled
    await run.done;
    await admin.setFaults({}); // the held create ends as a reset that made nothing

    // Item 7: what the CLI started ends by itself (the provider within a few seconds of its engine).
    expect(await waitForNoSandboxProcesses(sandbox, 20_000)).toEqual([]);
    await admin.call("PUT", "/latency", { fixedMs: 0 });

    // Item 6: README's recovery, at most two ups.
    const recovery = await recover(sandbox, "kill", program);
    expect(recovery).toMatchObject({ converged: true });
    // One up: the creates the kill left in flight are finished with their own MS-RequestId, not
    // found again as "already exists".
    expect(recovery.ups).toBe(1);
    const output = recovery.runs.map((r) => r.stdout + r.stderr).join("\n");
    expect(output).toMatch(/finished the interrupted run's create of /);
    expect(output).not.toMatch(/took over/);

    const after = await admin.inventory();
    const state = JSON.parse(await exportState(sandbox, "kill", program)).deployment.resources as any[];
    for (const c of customers) {
      expect(consentsOf(after, c.id).filter((x: any) => x.applicationId === emulator.credentials.controlPanelApplicationId)).toHaveLength(1);
      for (const i of [1, 2, 3]) {
        const live = [...usersOf(after, c.id), ...usersOf(after, c.id, "inactive")].filter((u: any) => u.userPrincipalName === `kill${i}@${c.domain}`);
        expect(live.map((u: any) => u.state)).toEqual(["active"]);
        const inState = state.filter((r) => String(r.type).endsWith(":CustomerUser") && r.outputs?.userPrincipalName === `kill${i}@${c.domain}`);
        expect(inState.map((r) => r.id)).toEqual([live[0].id]);
      }
    }
    expect((await runPulumi(sandbox, ["preview", "--refresh", "--expect-no-changes", "--stack", "kill"], program)).status).toBe(0);
  });
});
