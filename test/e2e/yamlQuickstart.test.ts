/**
 * The native provider through the real CLI, as a YAML user meets it (issue 26's "Done when"): the
 * plugin installed by scripts/install-plugin.sh into the sandbox's PULUMI_HOME, examples/yaml-quickstart
 * run against the emulator with the stack's `partnercenter:*` config: up, a rename in the portal shown
 * by `pulumi preview --refresh`, the user forgotten (`pulumi state delete`) and imported back by id,
 * a clean preview of the program as import generated it, destroy. One emulator, one stack.
 * Then test/e2e/programs/yaml-providers (a second stack on the same emulator, whose seed has a second
 * app registration): explicit provider instances, secrets rotated, and imports of a consent and a
 * GDAP relationship with its access assignment. Then test/e2e/programs/yaml-partners: two partner
 * tenants (the seed's second partner), one explicit provider each. Last, examples/native-typescript: a TypeScript
 * program on the generated Node.js SDK (generated/nodejs).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumiSdk from "@pulumi/pulumi";
import { startEmulator } from "../../emulator";
import { copyProgram, createEngineSandbox, EngineSandbox, repoRoot, runPulumi } from "../support/engine";
import { partnerCenterConfig } from "../support/stackConfig";
import { consentsOf, customerOf, usersOf } from "../support/inventory";
import { secondPartner, withSecondPartner } from "../support/secondPartner";

const automationApp = { clientId: "7a3e1f52-93c4-4b6e-8d2a-5c1b9e0f4a61", displayName: "Northwind Consent Automation", clientSecret: "automation-secret-1" };

describe("examples/yaml-quickstart on the native provider", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let sandbox: EngineSandbox;
  let program: string;
  let consentCustomerId: string;

  /** The CLI in a program's directory: its output, or an error with it when the command fails. */
  const cliIn =
    (dir: () => string) =>
    async (...args: string[]) => {
      const res = await runPulumi(sandbox, args, dir());
      if (res.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${res.status}):\n${res.output}`);
      return res.output;
    };
  const pulumi = cliIn(() => program);

  beforeAll(async () => {
    const seed = JSON.parse(fs.readFileSync(path.join(repoRoot, "emulator", "seeds", "default.json"), "utf8"));
    // The default seed and a second app registration of the partner (app-only, a client secret),
    // itself consented in one customer (its service principal there), so that it can read Graph there.
    seed.applications.push({ ...seed.applications[0], ...automationApp, federatedCredentials: [], delegatedScopes: {} });
    consentCustomerId = seed.customers.find((c: any) => c.gdapRoles.includes("Cloud Application Administrator")).id;
    seed.customers
      .find((c: any) => c.id === consentCustomerId)
      .servicePrincipals.push({ id: "5b0c7e1d-2f4a-4c8e-9a6b-3d1e0f2a7c94", appId: automationApp.clientId, displayName: automationApp.displayName });
    // And a second partner tenant with a customer of its own (the seed's `partners`), for the two-partner case.
    emulator = await startEmulator({ seed: withSecondPartner(seed) });
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
    // One encrypted copy of it, in the inputs: the outputs hold none (the engine would encrypt it again at each checkpoint).
    const stateUser = JSON.parse(state).deployment.resources.find((r: any) => r.type === "partnercenter:index:CustomerUser");
    expect(stateUser.inputs.password).toEqual({ [pulumiSdk.runtime.specialSigKey]: pulumiSdk.runtime.specialSecretSig, ciphertext: expect.any(String) });
    expect(Object.keys(stateUser.outputs)).not.toContain("password");
    expect(Object.keys(stateUser.outputs)).toEqual(expect.arrayContaining(["userPrincipalName", "displayName", "userId"]));

    // Someone renames the user in the portal: the refresh in the preview shows it, and up would put it back.
    await emulator.admin.patchUser(customer.id, userId, { displayName: "Renamed In Portal" });
    const drift = await pulumi("preview", "--refresh", "--diff");
    expect(drift).toMatch(/displayName\s*:\s*"Renamed In Portal"\s*=>\s*"Break Glass Admin"/);
    // The refresh's read kept the recorded password: the rename is the one change.
    expect([...drift.matchAll(/^\s+[~+-] (\w+): /gm)].map((m) => m[1])).toEqual(["displayName"]);

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

  it("two app registrations in one YAML program: each resource through its own provider, rotated secrets taken at the next up and refresh, no secret in plain text", async () => {
    const dir = copyProgram(sandbox, path.join(repoRoot, "test", "e2e", "programs", "yaml-providers"));
    const run = async (...args: string[]) => {
      const res = await runPulumi(sandbox, args, dir);
      if (res.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${res.status}):\n${res.output}`);
      return res.output;
    };
    // The plugin's command lines, as the engine starts it: a shim in front of the installed wrapper.
    const plugin = path.join(sandbox.env.PULUMI_HOME!, "plugins", "resource-partnercenter-v0.1.0", "pulumi-resource-partnercenter");
    const argvLog = path.join(dir, "plugin-argv.log");
    fs.renameSync(plugin, `${plugin}.real`);
    fs.writeFileSync(plugin, `#!/bin/sh\necho "$@" >> '${argvLog}'\nexec '${plugin}.real' "$@"\n`, { mode: 0o755 });

    const inventory = await emulator.admin.inventory();
    const [gdapCustomer] = (inventory.customers as any[]).filter((c) => c.gdapRoles.length === 0);
    const consentCustomer = (inventory.customers as any[]).find((c) => c.id === consentCustomerId);
    const defaults = partnerCenterConfig(emulator);
    const secrets = [emulator.credentials.clientSecret, emulator.credentials.refreshToken, automationApp.clientSecret];
    await run("stack", "init", "providers");
    const config: Record<string, { value: string; secret?: boolean }> = {
      ...defaults,
      gdapCustomerId: { value: gdapCustomer.id },
      consentCustomerId: { value: consentCustomer.id },
      controlPanelApplicationId: { value: emulator.credentials.controlPanelApplicationId },
      automationClientId: { value: automationApp.clientId },
      automationClientSecret: { value: automationApp.clientSecret, secret: true },
      partnerTenantId: { value: emulator.credentials.partnerTenantId },
      authorityHost: { value: emulator.endpoints.authorityHost },
      partnerCenterUrl: { value: emulator.endpoints.partnerCenter },
      graphUrl: { value: emulator.endpoints.graph },
      caFile: { value: emulator.caFile },
    };
    await run("config", "set-all", ...Object.entries(config).flatMap(([k, { value, secret }]) => [secret ? "--secret" : "--plaintext", `${k}=${value}`]));

    await emulator.admin.clearRequests();
    await run("up", "--yes", "--skip-preview");
    const byApp = (method: string, fragment: string) =>
      emulator.admin.requests().then((rs) => [...new Set(rs.filter((r) => r.method === method && r.path.includes(fragment)).map((r) => r.appId))]);
    expect(await byApp("POST", "/applicationconsents")).toEqual([automationApp.clientId]);
    expect(await byApp("POST", "/delegatedAdminRelationships")).toEqual([emulator.credentials.clientId]);
    const state = await run("stack", "export");
    for (const s of secrets) expect(state).not.toContain(s);
    const explicit = JSON.parse(state).deployment.resources.find((r: any) => r.type === "pulumi:providers:partnercenter" && r.urn.endsWith("::automation"));
    expect(explicit.inputs.clientSecret).toEqual(expect.objectContaining({ ciphertext: expect.any(String) }));

    // Both secrets rotated in the portal and in the stack's config; the customer approves meanwhile. A
    // refresh that runs the program configures both providers anew (a plain refresh uses the state's
    // provider configuration, as the engine does for every provider: see README), and reads the approval.
    await emulator.admin.setClientSecret(emulator.credentials.clientId, "rotated-default-secret");
    await emulator.admin.setClientSecret(automationApp.clientId, "rotated-automation-secret");
    await run(
      "config",
      "set-all",
      "--secret",
      "partnercenter:clientSecret=rotated-default-secret",
      "--secret",
      "automationClientSecret=rotated-automation-secret",
    );
    const relationshipId: string = JSON.parse(await run("stack", "output", "--json")).relationshipId;
    await emulator.admin.call("POST", `/delegatedAdminRelationships/${relationshipId}/approve`);
    await run("refresh", "--run-program", "--yes", "--skip-preview");
    expect(JSON.parse(await run("stack", "output", "--json")).relationshipStatus).toBe("active");

    // The next up gives the approved relationship an access assignment: the providers are updated in
    // place (nothing replaced), the assignment is made with the default app's new secret.
    const program = path.join(dir, "Pulumi.yaml");
    fs.appendFileSync(program, assignmentYaml);
    await emulator.admin.clearRequests();
    const up = await run("up", "--yes", "--skip-preview");
    expect(up).toMatch(/\+ 1 created/);
    expect(up).not.toMatch(/replaced|deleted/);
    expect(await byApp("POST", "/accessAssignments")).toEqual([emulator.credentials.clientId]);
    const rotatedState = await run("stack", "export");
    for (const s of [...secrets, "rotated-default-secret", "rotated-automation-secret"]) expect(rotatedState).not.toContain(s);
    // The engine starts the plugin with the engine's address only: no configuration on its command line.
    for (const line of fs.readFileSync(argvLog, "utf8").trim().split("\n")) expect(line).toMatch(/^127\.0\.0\.1:\d+$/);

    // The consent and the GDAP pair forgotten by the stack and imported back by id in one run (the
    // consent through its own provider); the program then declares them as import generated them, and
    // the preview is clean.
    const resources = JSON.parse(rotatedState).deployment.resources as any[];
    const urnOf = (type: string) => resources.find((r) => r.type === `partnercenter:index:${type}`).urn;
    const assignment = resources.find((r) => r.type === "partnercenter:index:DelegatedAdminAccessAssignment");
    await run("state", "delete", urnOf("ApplicationConsent"), urnOf("DelegatedAdminRelationship"), "--target-dependents", "--yes");
    const importFile = path.join(dir, "import.json");
    fs.writeFileSync(
      importFile,
      JSON.stringify({
        nameTable: { automation: explicit.urn },
        resources: [
          {
            type: "partnercenter:index:ApplicationConsent",
            name: "control-panel",
            id: `${consentCustomer.id}/${emulator.credentials.controlPanelApplicationId}`,
            provider: "automation",
          },
          { type: "partnercenter:index:DelegatedAdminRelationship", name: "relationship", id: relationshipId },
          { type: "partnercenter:index:DelegatedAdminAccessAssignment", name: "assignment", id: assignment.id },
        ],
      }),
    );
    const generated = path.join(dir, "imported.yaml");
    await run("import", "--file", importFile, "--yes", "--protect=false", "--out", generated);
    const code = fs.readFileSync(generated, "utf8");
    expect(code).toMatch(/relationship:\n\s+type: partnercenter:(index:)?DelegatedAdminRelationship\n/);
    expect(code).toContain(`customerId: ${gdapCustomer.id}`);
    expect(code).toContain("displayName: Providers GDAP");
    expect(code).toContain("relationshipId: ${relationship.id}");
    expect(code).toContain("securityGroupId: 1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01");
    expect(code).toContain("displayName: Contoso Control Panel");
    expect(code).toContain("enterpriseApplicationId: 00000003-0000-0000-c000-000000000000");
    expect(code).toMatch(/provider: \$\{automation\}/);
    const yaml = fs.readFileSync(program, "utf8");
    fs.writeFileSync(program, yaml.slice(0, yaml.indexOf("  control-panel:")) + code.replace(/^resources:\n/, ""));
    await run("preview", "--expect-no-changes");

    await run("destroy", "--yes", "--skip-preview");
    const gdap = await emulator.admin.call("GET", "/delegatedAdminRelationships");
    expect(gdap.relationships.find((r: any) => r.id === relationshipId).status).not.toBe("active");
    expect(consentsOf(await emulator.admin.inventory(), consentCustomer.id)).toHaveLength(0);
    // The next case uses the emulator's own credentials again.
    await emulator.admin.setClientSecret(emulator.credentials.clientId, emulator.credentials.clientSecret);
  });
  it("two partner tenants in one YAML program: each user made in its own partner's customer; the other partner's customer refused before any write", async () => {
    const dir = copyProgram(sandbox, path.join(repoRoot, "test", "e2e", "programs", "yaml-partners"));
    const ok = cliIn(() => dir);
    const inventory = await emulator.admin.inventory();
    const northwindCustomer = inventory.customers.find(
      (c) => c.partnerTenantId === emulator.credentials.partnerTenantId && c.gdapRoles.includes("User Administrator"),
    )!;
    const b = secondPartner;
    const { credentials: a, endpoints } = emulator;
    await ok("stack", "init", "partners");
    const config: Record<string, { value: string; secret?: boolean }> = {
      northwindTenantId: { value: a.partnerTenantId },
      northwindClientId: { value: a.clientId },
      northwindClientSecret: { value: a.clientSecret, secret: true },
      northwindRefreshToken: { value: a.refreshToken, secret: true },
      northwindCustomerId: { value: northwindCustomer.id },
      northwindDomain: { value: northwindCustomer.domains.find((d) => !d.federated)!.name },
      woodgroveTenantId: { value: b.tenantId },
      woodgroveClientId: { value: b.clientId },
      woodgroveClientSecret: { value: b.clientSecret, secret: true },
      woodgroveRefreshToken: { value: b.refreshToken, secret: true },
      woodgroveCustomerId: { value: b.customerId },
      woodgroveDomain: { value: b.customerDomain },
      password: { value: "Partners-Passw0rd!", secret: true },
      authorityHost: { value: endpoints.authorityHost },
      partnerCenterUrl: { value: endpoints.partnerCenter },
      graphUrl: { value: endpoints.graph },
      caFile: { value: emulator.caFile },
    };
    await ok("config", "set-all", ...Object.entries(config).flatMap(([k, { value, secret }]) => [secret ? "--secret" : "--plaintext", `${k}=${value}`]));

    await emulator.admin.clearRequests();
    await ok("up", "--yes", "--skip-preview");
    const { northwindUserId, woodgroveUserId } = JSON.parse(await ok("stack", "output", "--json"));
    // On the service: each user in the customer of the partner whose provider made it, with that partner's token.
    const after = await emulator.admin.inventory();
    expect(customerOf(after, northwindCustomer.id).partnerTenantId).toBe(a.partnerTenantId);
    expect(customerOf(after, b.customerId).partnerTenantId).toBe(b.tenantId);
    expect(usersOf(after, northwindCustomer.id).map((u: any) => u.id)).toContain(northwindUserId);
    expect(usersOf(after, b.customerId).map((u: any) => u.id)).toEqual([woodgroveUserId]);
    const creates = (await emulator.admin.requests()).filter((r) => r.method === "POST" && /\/customers\/[^/]+\/users$/.test(r.path));
    expect(creates.map((r) => [/\/customers\/([^/]+)\//.exec(r.path)![1], r.tenantId, r.appId]).sort()).toEqual(
      [
        [northwindCustomer.id, a.partnerTenantId, a.clientId],
        [b.customerId, b.tenantId, b.clientId],
      ].sort(),
    );

    // A Northwind customer given to Woodgrove's provider: the preview's check refuses it, naming the
    // field, and nothing is written to any customer.
    fs.appendFileSync(path.join(dir, "Pulumi.yaml"), wrongPartnerYaml);
    await emulator.admin.clearRequests();
    const refused = await runPulumi(sandbox, ["up", "--yes", "--skip-preview"], dir);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain(`customerId ${northwindCustomer.id} is not one of the partner's customers`);
    const writes = (await emulator.admin.requests()).filter((r) => ["POST", "PATCH", "DELETE"].includes(r.method) && r.path.includes("/customers/"));
    expect(writes).toEqual([]);
    expect(usersOf(await emulator.admin.inventory(), northwindCustomer.id).map((u: any) => u.userPrincipalName)).not.toContain(
      `misrouted@${config.northwindDomain.value}`,
    );

    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8").replace(wrongPartnerYaml, ""));
    await ok("destroy", "--yes", "--skip-preview");
    const end = await emulator.admin.inventory();
    expect(usersOf(end, northwindCustomer.id).map((u: any) => u.id)).not.toContain(northwindUserId);
    expect(usersOf(end, b.customerId)).toEqual([]);
  });

  it("README's move from dynamic to native resources: import by id, state delete of the dynamic entries, the program switched; nothing created or deleted on the service", async () => {
    const dir = copyProgram(sandbox, path.join(repoRoot, "test", "e2e", "programs", "migrate"));
    const run = cliIn(() => dir);
    const inventory = await emulator.admin.inventory();
    const customer = inventory.customers.find((c) => c.displayName === "Wide World Importers")!;
    await run("stack", "init", "migrate");
    const config: Record<string, { value: string; secret?: boolean }> = {
      ...partnerCenterConfig(emulator),
      customerId: { value: customer.id },
      domain: { value: customer.domains.find((d) => !d.federated)!.name },
      applicationId: { value: emulator.credentials.controlPanelApplicationId },
      password: { value: "Migrate-Passw0rd!", secret: true },
      sdk: { value: "dynamic" },
    };
    await run("config", "set-all", ...Object.entries(config).flatMap(([k, { value, secret }]) => [secret ? "--secret" : "--plaintext", `${k}=${value}`]));
    await run("up", "--yes", "--skip-preview");
    const before = JSON.parse(await run("stack", "output", "--json"));
    const dynamicEntries = (JSON.parse(await run("stack", "export")).deployment.resources as any[]).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(dynamicEntries.map((r) => r.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/partnercenter:ApplicationConsent",
      "pulumi-nodejs:dynamic/partnercenter:CustomerUser",
    ]);

    // The recipe, as README gives it.
    await emulator.admin.clearRequests();
    const importFile = path.join(dir, "import.json");
    fs.writeFileSync(
      importFile,
      JSON.stringify({
        resources: [
          { type: "partnercenter:index:CustomerUser", name: "admin", id: `${customer.id}/${before.userId}` },
          { type: "partnercenter:index:ApplicationConsent", name: "control-panel", id: before.consentId },
        ],
      }),
    );
    await run("import", "--file", importFile, "--yes", "--protect=false", "--generate-code=false");
    await run("state", "delete", ...dynamicEntries.map((r) => r.urn), "--yes");
    await run("config", "set", "sdk", "native");
    // Partner Center cannot read a password back: setting it once is the one change.
    const preview = await run("preview", "--diff");
    expect([...preview.matchAll(/^\s+[~+-] (\w+): /gm)].map((m) => m[1])).toEqual(["password"]);
    expect(preview).not.toMatch(/\+ partnercenter:index|- partnercenter:index|replace/);
    await run("up", "--yes", "--skip-preview");
    await run("preview", "--expect-no-changes");

    // The same objects, under native types; on the service, no create or delete since the recipe began.
    expect(JSON.parse(await run("stack", "output", "--json"))).toEqual(before);
    const state = await run("stack", "export");
    expect(state).not.toContain("pulumi-nodejs:dynamic");
    expect(state).not.toContain("Migrate-Passw0rd!");
    const writes = (await emulator.admin.requests()).filter((r) => ["POST", "PUT", "DELETE"].includes(r.method) && r.path.includes("/customers/"));
    expect(writes).toEqual([]);
    const after = await emulator.admin.inventory();
    expect(usersOf(after, customer.id).map((u: any) => u.id)).toEqual([before.userId]);
    expect(consentsOf(after, customer.id).map((c: any) => c.applicationId)).toEqual([emulator.credentials.controlPanelApplicationId]);
    // No destroy: native destroy is the quickstart case's; this stack's objects are in a customer no other case uses.
  });

  it("a TypeScript program on the generated Node.js SDK (@pulumi-partnercenter/native): up, portal drift in preview --refresh, destroy", async () => {
    const dir = copyProgram(sandbox, path.join(repoRoot, "examples", "native-typescript"));
    const run = async (...args: string[]) => {
      const res = await runPulumi(sandbox, args, dir);
      if (res.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${res.status}):\n${res.output}`);
      return res.output;
    };
    const inventory = await emulator.admin.inventory();
    const customer = (inventory.customers as any[]).filter((c) => !c.dapEnabled && c.gdapRoles.includes("User Administrator"))[1];
    const domain = customer.domains.find((d: any) => !d.federated).name;
    await run("stack", "init", "ts");
    const config: Record<string, { value: string; secret?: boolean }> = {
      ...partnerCenterConfig(emulator),
      customerId: { value: customer.id },
      domain: { value: domain },
      breakGlassPassword: { value: "Native-TS-Passw0rd!", secret: true },
    };
    await run("config", "set-all", ...Object.entries(config).flatMap(([k, { value, secret }]) => [secret ? "--secret" : "--plaintext", `${k}=${value}`]));

    await run("up", "--yes", "--skip-preview");
    const outputs = JSON.parse(await run("stack", "output", "--json"));
    expect(outputs.customer).toBe(customerOf(inventory, customer.id).displayName);
    expect(usersOf(await emulator.admin.inventory(), customer.id).map((u: any) => u.id)).toContain(outputs.adminUserId);
    const state = await run("stack", "export");
    expect(state).toContain('"type": "partnercenter:index:CustomerUser"');
    expect(state).not.toContain("pulumi-nodejs:dynamic");
    expect(state).not.toContain("Native-TS-Passw0rd!");

    await emulator.admin.patchUser(customer.id, outputs.adminUserId, { displayName: "Renamed In Portal" });
    expect(await run("preview", "--refresh", "--diff")).toMatch(/displayName\s*:\s*"Renamed In Portal"\s*=>\s*"Break Glass Admin"/);

    await run("destroy", "--yes", "--skip-preview");
    expect(usersOf(await emulator.admin.inventory(), customer.id).map((u: any) => u.id)).not.toContain(outputs.adminUserId);
  });
});

/** A Northwind customer's user declared through Woodgrove's provider: the wrong partner tenant. */
const wrongPartnerYaml = `
  misrouted:
    type: partnercenter:index:CustomerUser
    properties:
      customerId: \${northwindCustomerId}
      userPrincipalName: misrouted@\${northwindDomain}
      displayName: Misrouted
      usageLocation: US
      password: \${password}
    options:
      provider: \${woodgrove}
`;

/** What the program gains once the customer has approved (YAML has no conditionals). */
const assignmentYaml = `
  assignment:
    type: partnercenter:index:DelegatedAdminAccessAssignment
    properties:
      relationshipId: \${relationship.id}
      securityGroupId: 1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01
      roleDefinitionIds:
        - fe930be7-5e62-47db-91af-98c3a49a38b1
`;
