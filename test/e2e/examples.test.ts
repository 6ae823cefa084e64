/**
 * Each example, run as a user would run it, with the real CLI against the emulator: credentials from
 * the environment (PARTNERCENTER_*), as a CI sets them.
 */
import * as path from "path";
import { startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { copyProgram, createEngineSandbox, EngineSandbox, localProgramStack, runPulumi } from "../support/engine";
import { consentsOf, customerOf, usersOf } from "../support/inventory";

const examples = path.join(__dirname, "..", "..", "examples");

describe("the examples", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: EmulatorAdmin;
  let sandbox: EngineSandbox;
  let env: Record<string, string>;
  let customers: any[];

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = new EmulatorAdmin(emulator.endpoints.admin, emulator.caFile);
    sandbox = createEngineSandbox();
    env = {
      PARTNERCENTER_CLIENT_ID: emulator.credentials.clientId,
      PARTNERCENTER_TENANT_ID: emulator.credentials.partnerTenantId,
      PARTNERCENTER_CLIENT_SECRET: emulator.credentials.clientSecret,
      PARTNERCENTER_REFRESH_TOKEN: emulator.credentials.refreshToken,
      PARTNERCENTER_AUTHORITY_HOST: emulator.endpoints.authorityHost,
      PARTNERCENTER_API_URL: emulator.endpoints.partnerCenter,
      PARTNERCENTER_DELEGATED_ADMIN_URL: emulator.endpoints.delegatedAdmin,
      PARTNERCENTER_GRAPH_URL: emulator.endpoints.graph,
      PARTNERCENTER_CA_FILE: emulator.caFile,
    };
    const inventory = await admin.inventory();
    customers = (Array.isArray(inventory.customers) ? inventory.customers : Object.values(inventory.customers)) as any[];
  });

  // Each example starts from the seed, whatever an earlier one left behind.
  beforeEach(async () => {
    await admin.call("POST", "/reset");
  });

  afterAll(async () => {
    await admin?.close();
    await emulator?.stop();
    sandbox?.dispose();
  });

  const domainOf = (c: any) => c.domains.find((d: any) => !d.federated).name;

  it("quickstart: one customer gets a user and a consent", async () => {
    const customer = customers.find((c) => !c.dapEnabled && c.gdapRoles.includes("User Administrator") && c.gdapRoles.includes("Cloud Application Administrator"));
    const stack = await localProgramStack(sandbox, copyProgram(sandbox, path.join(examples, "quickstart")), "dev", env);
    await stack.setAllConfig({
      customerId: { value: customer.id },
      domain: { value: domainOf(customer) },
      controlPanelApplicationId: { value: emulator.credentials.controlPanelApplicationId },
      breakGlassPassword: { value: "Quickstart-Passw0rd!", secret: true },
    });
    const up = await stack.up();
    expect(up.outputs.customer.value).toBe(customer.displayName);
    expect(up.outputs.adminUserPrincipalName.value).toBe(`breakglass@${domainOf(customer)}`);
    const inventory = await admin.inventory();
    expect(usersOf(inventory, customer.id).map((u: any) => u.id)).toContain(up.outputs.adminUserId.value);
    expect(consentsOf(inventory, customer.id).map((c: any) => c.applicationId)).toEqual([emulator.credentials.controlPanelApplicationId]);
    await stack.destroy();
    expect(consentsOf(await admin.inventory(), customer.id)).toHaveLength(0);
  });

  it("multi-customer-rollout: two wave stacks split the customers between them, each once", async () => {
    const program = copyProgram(sandbox, path.join(examples, "multi-customer-rollout"));
    const waves: Record<string, string[]> = {};
    for (const wave of ["wave1", "wave2"]) {
      const stack = await localProgramStack(sandbox, program, wave, env);
      await stack.setConfig("controlPanelApplicationId", { value: emulator.credentials.controlPanelApplicationId });
      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");
      waves[wave] = up.outputs.customers.value;
      expect(waves[wave].length).toBeGreaterThan(2);
    }
    expect(waves.wave1.filter((name) => waves.wave2.includes(name))).toEqual([]);
    const inventory = await admin.inventory();
    const consented = customers.filter((c) => consentsOf(inventory, c.id).length > 0).map((c) => c.displayName);
    expect(consented.sort()).toEqual([...waves.wave1, ...waves.wave2].sort());
    for (const c of customers) expect(consentsOf(inventory, c.id).length).toBeLessThanOrEqual(1);
    for (const wave of ["wave2", "wave1"]) await (await localProgramStack(sandbox, program, wave, env)).destroy();
  });

  it("drift-detection: a clean preview passes --expect-no-changes, drift fails it", async () => {
    const program = copyProgram(sandbox, path.join(examples, "drift-detection"));
    const chosen = customers.filter((c) => !c.dapEnabled && c.gdapRoles.includes("User Administrator") && c.gdapRoles.includes("Cloud Application Administrator")).slice(1, 3);
    const stack = await localProgramStack(sandbox, program, "pr", env);
    await stack.setAllConfig({
      customers: { value: JSON.stringify(chosen.map((c) => ({ id: c.id, domain: domainOf(c) }))) },
      controlPanelApplicationId: { value: emulator.credentials.controlPanelApplicationId },
      breakGlassPassword: { value: "Drift-Passw0rd!", secret: true },
    });
    await stack.up();
    const clean = await runPulumi(sandbox, ["preview", "--refresh", "--expect-no-changes", "--stack", "pr"], program, env);
    expect(clean.status).toBe(0);

    const user = usersOf(await admin.inventory(), chosen[0].id).find((u: any) => u.userPrincipalName.startsWith("breakglass@"));
    await admin.call("PATCH", `/customers/${chosen[0].id}/users/${user.id}`, { displayName: "Portal Edit" });
    const drift = await runPulumi(sandbox, ["preview", "--refresh", "--expect-no-changes", "--diff", "--stack", "pr"], program, env);
    expect(drift.status).not.toBe(0);
    expect(drift.stdout).toContain("Portal Edit");
    await stack.destroy();
    expect(customerOf(await admin.inventory(), chosen[0].id)).toBeDefined();
  });
});
