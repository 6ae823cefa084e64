/**
 * Each example, run as a user would run it, with the real CLI against the emulator: credentials from
 * the environment (PARTNERCENTER_*), as a CI sets them.
 */
import * as fs from "fs";
import * as path from "path";
import { AdminClient, startEmulator } from "../../emulator";
import { startProcess } from "../support/process";
import { copyProgram, createEngineSandbox, EngineSandbox, localProgramStack } from "../support/engine";
import { consentsOf, customerOf, usersOf } from "../support/inventory";

const examples = path.join(__dirname, "..", "..", "examples");

describe("the examples", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let sandbox: EngineSandbox;
  let env: Record<string, string>;
  let customers: any[];

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = emulator.admin;
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
    await emulator?.stop();
    sandbox?.dispose();
  });

  const domainOf = (c: any) => c.domains.find((d: any) => !d.federated).name;

  it("quickstart: one customer gets a user and a consent", async () => {
    const customer = customers.find(
      (c) => !c.dapEnabled && c.gdapRoles.includes("User Administrator") && c.gdapRoles.includes("Cloud Application Administrator"),
    );
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

  it("drift-detection: the workflow's pull-request job runs as shipped; a clean preview passes, drift fails it", async () => {
    // The copy sits two folders below the repo, as the example does, so its `file:../..` dependency is this checkout.
    const program = copyProgram(sandbox, path.join(examples, "drift-detection"));
    // js-yaml comes with jest (no types of its own here): loaded untyped.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const yaml = require("js-yaml") as { load(text: string): any };
    const job = yaml.load(fs.readFileSync(path.join(program, ".github", "workflows", "drift.yml"), "utf8")).jobs["preview-against-emulator"];
    const githubEnv = path.join(program, "github.env");
    fs.writeFileSync(githubEnv, "");
    const expand = (v: string) => String(v).replace(/\$\{\{\s*github\.workspace\s*\}\}/g, program);
    const jobEnv = Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, expand(v as string)]));
    const stepEnv = () => ({
      ...(process.env as Record<string, string>),
      ...sandbox.env,
      ...jobEnv,
      GITHUB_ENV: githubEnv,
      GITHUB_RUN_ID: "1",
      // What earlier steps wrote to $GITHUB_ENV, as the runner passes it on.
      ...Object.fromEntries(
        fs
          .readFileSync(githubEnv, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      ),
    });
    const groups: number[] = [];
    const runStep = (script: string) => {
      // The emulator a step leaves running keeps the pipes open: the step ends when bash exits.
      const { child, done } = startProcess("bash", ["-e", "-c", script], { cwd: program, env: stepEnv(), detached: true, endOn: "exit" });
      groups.push(child.pid!);
      return done;
    };
    try {
      // `uses:` steps are the checkout, Node.js and the Pulumi CLI: here, the test's own.
      for (const step of job.steps.filter((s: any) => s.run)) {
        const res = await runStep(step.run);
        if (res.status !== 0) throw new Error(`step '${step.name ?? step.run}' failed (${res.status}):\n${res.output.slice(-4000)}`);
      }
      const emulatorInfo = JSON.parse(fs.readFileSync(path.join(program, "emulator.json"), "utf8"));
      const workflowAdmin = new AdminClient(emulatorInfo.endpoints.admin, fs.readFileSync(emulatorInfo.caFile, "utf8"));
      try {
        const [first] = yaml.load(fs.readFileSync(path.join(program, "Pulumi.pr.yaml"), "utf8")).config["partnercenter-drift:customers"] as { id: string }[];
        const user = usersOf(await workflowAdmin.inventory(), first.id).find((u: any) => u.userPrincipalName.startsWith("breakglass@"));
        await workflowAdmin.call("PATCH", `/customers/${first.id}/users/${user.id}`, { displayName: "Portal Edit" });
        const drift = await runStep("pulumi preview --refresh --run-program --expect-no-changes --diff --non-interactive --stack pr");
        expect(drift.status).not.toBe(0);
        expect(drift.output).toContain("Portal Edit");
        const destroy = await runStep("pulumi destroy --yes --run-program --non-interactive --stack pr");
        expect(destroy.status).toBe(0);
        expect(customerOf(await workflowAdmin.inventory(), first.id)).toBeDefined();
      } finally {
        await workflowAdmin.close();
      }
    } finally {
      for (const pgid of groups) {
        try {
          process.kill(-pgid, "SIGTERM");
        } catch {
          /* already gone */
        }
      }
    }
  });
});
