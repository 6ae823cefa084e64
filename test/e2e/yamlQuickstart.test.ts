/**
 * The native provider through the real CLI, as a YAML user meets it (issue 26's "Done when"): the
 * plugin installed by scripts/install-plugin.sh into the sandbox's PULUMI_HOME, examples/yaml-quickstart
 * run against the emulator with the stack's `partnercenter:*` config: up, a rename in the portal shown
 * by `pulumi preview --refresh`, the user forgotten (`pulumi state delete`) and imported back by id,
 * a clean preview of the program as import generated it, destroy. One emulator, one stack.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { copyProgram, createEngineSandbox, EngineSandbox, repoRoot, runPulumi } from "../support/engine";
import { partnerCenterConfig } from "../support/stackConfig";
import { consentsOf, customerOf, usersOf } from "../support/inventory";

describe("examples/yaml-quickstart on the native provider", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let sandbox: EngineSandbox;
  let program: string;

  const pulumi = async (...args: string[]) => {
    const res = await runPulumi(sandbox, args, program);
    if (res.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${res.status}):\n${res.output}`);
    return res.output;
  };

  beforeAll(async () => {
    emulator = await startEmulator();
    sandbox = createEngineSandbox();
    program = copyProgram(sandbox, path.join(repoRoot, "examples", "yaml-quickstart"));
  });

  afterAll(async () => {
    await emulator?.stop();
    sandbox?.dispose();
  });

  it("installs the plugin: the CLI lists it and prints its schema", async () => {
    execFileSync("bash", [path.join(repoRoot, "scripts", "install-plugin.sh")], { env: { ...process.env, ...sandbox.env }, stdio: "pipe" });
    expect(await pulumi("plugin", "ls")).toMatch(/partnercenter\s+resource\s+0\.1\.0/);
    const schema = JSON.parse(await pulumi("package", "get-schema", "partnercenter"));
    expect(schema.name).toBe("partnercenter");
    expect(Object.keys(schema.resources)).toContain("partnercenter:index:CustomerUser");
  });

  it("creates, shows portal drift, imports back and destroys a YAML program's user", async () => {
    const inventory = await emulator.admin.inventory();
    const customer = (Object.values(inventory.customers) as any[]).find(
      (c) => !c.dapEnabled && c.gdapRoles.includes("User Administrator") && c.gdapRoles.includes("Cloud Application Administrator"),
    );
    const domain = customer.domains.find((d: any) => !d.federated).name;
    await pulumi("stack", "init", "dev");
    const config: Record<string, { value: string; secret?: boolean }> = {
      ...partnerCenterConfig(emulator),
      customerId: { value: customer.id },
      domain: { value: domain },
      controlPanelApplicationId: { value: emulator.credentials.controlPanelApplicationId },
      breakGlassPassword: { value: "Quickstart-Passw0rd!", secret: true },
    };
    for (const [key, { value, secret }] of Object.entries(config)) await pulumi("config", "set", ...(secret ? ["--secret"] : []), key, value);

    await pulumi("up", "--yes", "--skip-preview");
    const outputs = JSON.parse(await pulumi("stack", "output", "--json"));
    expect(outputs.customer).toBe(customerOf(inventory, customer.id).displayName);
    const userId: string = outputs.adminUserId;
    const after = await emulator.admin.inventory();
    expect(usersOf(after, customer.id).map((u: any) => u.id)).toContain(userId);
    expect(consentsOf(after, customer.id).map((c: any) => c.applicationId)).toEqual([emulator.credentials.controlPanelApplicationId]);
    // The state names the native types, and holds the password only encrypted.
    const state = await pulumi("stack", "export");
    expect(state).toContain('"type": "partnercenter:index:CustomerUser"');
    expect(state).not.toContain("pulumi-nodejs:dynamic");
    expect(state).not.toContain("Quickstart-Passw0rd!");

    // Someone renames the user in the portal: the refresh in the preview shows it, and up would put it back.
    await emulator.admin.patchUser(customer.id, userId, { displayName: "Renamed In Portal" });
    const drift = await pulumi("preview", "--refresh", "--diff");
    expect(drift).toMatch(/displayName\s*:\s*"Renamed In Portal"\s*=>\s*"Break Glass Admin"/);

    // Forgotten by the stack, then adopted again by id: nothing is created on the service.
    const urn = JSON.parse(state).deployment.resources.find((r: any) => r.type === "partnercenter:index:CustomerUser").urn;
    await pulumi("state", "delete", urn, "--yes");
    const generated = path.join(program, "imported.yaml");
    await pulumi("import", "partnercenter:index:CustomerUser", "breakglass", `${customer.id}/${userId}`, "--yes", "--protect=false", "--out", generated);
    const code = fs.readFileSync(generated, "utf8");
    expect(code).toMatch(/type: partnercenter:(index:)?CustomerUser/);
    expect(code).toContain(`customerId: ${customer.id}`);
    expect(code).toContain("displayName: Renamed In Portal");
    expect(usersOf(await emulator.admin.inventory(), customer.id).filter((u: any) => u.userPrincipalName === `breakglass@${domain}`)).toHaveLength(1);

    // The program declares the user as import generated it (the portal's name). The password cannot be
    // read back, so it is the one change: the next up sets it to the program's, as `adopt` does.
    const yaml = fs.readFileSync(path.join(program, "Pulumi.yaml"), "utf8").replace("displayName: Break Glass Admin", "displayName: Renamed In Portal");
    fs.writeFileSync(path.join(program, "Pulumi.yaml"), yaml);
    const afterImport = await pulumi("preview", "--diff");
    expect(afterImport).toMatch(/~ partnercenter:index:CustomerUser: \(update\)/);
    expect([...afterImport.matchAll(/^\s+[~+-] (\w+): /gm)].map((m) => m[1])).toEqual(["password"]);
    await pulumi("up", "--yes", "--skip-preview");
    await pulumi("preview", "--expect-no-changes");

    await pulumi("destroy", "--yes", "--skip-preview");
    const end = await emulator.admin.inventory();
    expect(usersOf(end, customer.id).map((u: any) => u.id)).not.toContain(userId);
    expect(consentsOf(end, customer.id)).toHaveLength(0);
  });
});
