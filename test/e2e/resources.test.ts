/**
 * CustomerUser and ApplicationConsent through the real Pulumi CLI against the emulator: create, no-op
 * preview, drift made out of band and found by `preview --refresh`, repaired by `up`, updates that
 * patch, replacements in the right order, secrets kept out of state, and destroy back to the start.
 */
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type AdminClient } from "../../emulator";
import { copyProgram, createEngineSandbox, EngineSandbox, exportState, localProgramStack, runPulumi } from "../support/engine";
import { consentsOf, customerOf, grantsOf, servicePrincipalsOf, summary, usersOf } from "../support/inventory";
import { configureForEmulator } from "../support/stackConfig";

const userPassword = "Baseline-Passw0rd!";

describe("CustomerUser and ApplicationConsent with the real engine", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let sandbox: EngineSandbox;
  let stack: Stack;
  let program: string;
  let before: ReturnType<typeof summary>;
  let customers: string[];
  let domains: Record<string, string>;
  const applicationId = () => emulator.credentials.controlPanelApplicationId;

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = emulator.admin;
    sandbox = createEngineSandbox();
    const inventory = await admin.inventory();
    // Three GDAP customers where the partner holds User Administrator and Cloud Application Administrator.
    const eligible = (Array.isArray(inventory.customers) ? inventory.customers : Object.values(inventory.customers)).filter(
      (c: any) => c.gdapRoles.includes("User Administrator") && c.gdapRoles.includes("Cloud Application Administrator"),
    );
    customers = eligible.slice(0, 3).map((c: any) => c.id);
    domains = Object.fromEntries(eligible.slice(0, 3).map((c: any) => [c.id, c.domains.find((d: any) => !d.federated).name]));
    before = summary(inventory);
    program = copyProgram(sandbox, path.join(__dirname, "programs", "baseline"));
    stack = await localProgramStack(sandbox, program, "e2e");
    await configureForEmulator(stack, emulator, {
      consentCustomers: { value: JSON.stringify(customers) },
      userCustomers: { value: JSON.stringify(customers.slice(0, 2)) },
      applicationId: { value: applicationId() },
      domains: { value: JSON.stringify(domains) },
      userPassword: { value: userPassword, secret: true },
    });
  });

  afterAll(async () => {
    await emulator?.stop();
    sandbox?.dispose();
  });

  it("creates consents in three customers and users in two", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 6 });
    const inventory = await admin.inventory();
    for (const c of customers) {
      expect(consentsOf(inventory, c).map((x: any) => x.applicationId)).toEqual([applicationId()]);
      const sp = servicePrincipalsOf(inventory, c).find((s: any) => s.appId === applicationId());
      expect(sp).toBeDefined();
      expect(
        grantsOf(inventory, c)
          .filter((g: any) => g.clientId === sp.id)
          .map((g: any) => g.scope),
      ).toEqual(["User.Read.All Directory.Read.All"]);
    }
    for (const c of customers.slice(0, 2)) {
      expect(usersOf(inventory, c).filter((u: any) => u.userPrincipalName === `breakglass@${domains[c]}`)).toHaveLength(1);
    }
    const users = up.outputs.users.value as { id: string; state: string }[];
    expect(users.map((u) => u.state)).toEqual(["active", "active"]);
  });

  it("previews no changes when nothing changed", async () => {
    const preview = await stack.preview({ refresh: true });
    expect(preview.changeSummary).toEqual({ same: 6 });
  });

  it("keeps secrets out of the state and the serialized provider small", async () => {
    const state = await exportState(sandbox, "e2e", program);
    expect(state).toContain("breakglass@"); // the export has the resources...
    for (const secret of [userPassword, emulator.credentials.clientSecret, emulator.credentials.refreshToken]) {
      expect(state).not.toContain(secret); // ...but none of the secrets in plain text
    }
    const resources = JSON.parse(state).deployment.resources.filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic"));
    expect(resources).toHaveLength(5);
    for (const r of resources) {
      // A one-line require of this package, not a serialized closure: the same small text in inputs and outputs.
      expect(r.outputs.__provider).toBe(r.inputs.__provider);
      expect(Buffer.byteLength(r.outputs.__provider)).toBeLessThan(128);
    }
  });

  it("finds a user renamed outside Pulumi with preview --refresh, and up puts it back", async () => {
    const [customer] = customers;
    const user = usersOf(await admin.inventory(), customer).find((u: any) => u.userPrincipalName === `breakglass@${domains[customer]}`);
    await admin.call("PATCH", `/customers/${customer}/users/${user.id}`, { displayName: "Renamed Out Of Band" });

    const preview = await runPulumi(sandbox, ["preview", "--refresh", "--diff", "--stack", "e2e"], program);
    expect(preview.stderr + preview.stdout).not.toMatch(/error:/);
    expect(preview.status).toBe(0);
    expect(preview.stdout).toMatch(/~ .*CustomerUser.*breakglass-0/s);
    expect(preview.stdout).toContain("Renamed Out Of Band");
    expect(preview.stdout).not.toMatch(/\+-.*breakglass-0/);

    const up = await stack.up({ refresh: true });
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    const after = usersOf(await admin.inventory(), customer).find((u: any) => u.id === user.id);
    expect(after.displayName).toBe("Break Glass Admin");
  });

  it("finds a revoked grant, and up re-creates the consent (delete before create)", async () => {
    const customer = customers[2];
    const inventory = await admin.inventory();
    const sp = servicePrincipalsOf(inventory, customer).find((s: any) => s.appId === applicationId());
    const grant = grantsOf(inventory, customer).find((g: any) => g.clientId === sp.id);
    await admin.call("DELETE", `/customers/${customer}/oauth2PermissionGrants/${grant.id}`);

    const preview = await runPulumi(sandbox, ["preview", "--refresh", "--stack", "e2e"], program);
    expect(preview.status).toBe(0);
    expect(preview.stdout).toMatch(/\+-.*ApplicationConsent.*consent-2/);

    const up = await stack.up({ refresh: true });
    expect(up.summary.result).toBe("succeeded");
    expect(up.stdout).toMatch(
      /consent-2 deleting original[\s\S]*consent-2 creating replacement|consent-2 deleted original[\s\S]*consent-2 created replacement/,
    );
    const repaired = await admin.inventory();
    const sp2 = servicePrincipalsOf(repaired, customer).find((s: any) => s.appId === applicationId());
    expect(
      grantsOf(repaired, customer)
        .filter((g: any) => g.clientId === sp2.id)
        .map((g: any) => g.scope),
    ).toEqual(["User.Read.All Directory.Read.All"]);
  });

  it("sees a user deleted outside Pulumi as gone, and up creates it again", async () => {
    const customer = customers[1];
    const user = usersOf(await admin.inventory(), customer).find((u: any) => u.userPrincipalName === `breakglass@${domains[customer]}`);
    await admin.call("DELETE", `/customers/${customer}/users/${user.id}?mode=hard`);
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
    expect(usersOf(await admin.inventory(), customer).filter((u: any) => u.userPrincipalName === `breakglass@${domains[customer]}`)).toHaveLength(1);
  });

  it("updates a user's display name in place (PATCH, same id)", async () => {
    const idsBefore = ((await stack.outputs()).users.value as { id: string }[]).map((u) => u.id);
    await stack.setConfig("userDisplayName", { value: "Emergency Access" });
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 2 });
    expect(up.summary.resourceChanges?.replace).toBeUndefined();
    const users = up.outputs.users.value as { id: string; displayName: string }[];
    expect(users.map((u) => u.id)).toEqual(idsBefore);
    expect(users.map((u) => u.displayName)).toEqual(["Emergency Access", "Emergency Access"]);
  });

  it("replaces consents when a scope is removed", async () => {
    await stack.setConfig("scopes", { value: JSON.stringify(["User.Read.All"]) });
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ replace: 3 });
    const inventory = await admin.inventory();
    for (const c of customers) {
      const sp = servicePrincipalsOf(inventory, c).find((s: any) => s.appId === applicationId());
      expect(
        grantsOf(inventory, c)
          .filter((g: any) => g.clientId === sp.id)
          .map((g: any) => g.scope),
      ).toEqual(["User.Read.All"]);
    }
  });

  it("destroys everything, leaving the customers as they were", async () => {
    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(summary(await admin.inventory())).toEqual(before);
    expect(customerOf(await admin.inventory(), customers[0])).toBeDefined();
  });

  it("restores the soft-deleted users on the next up instead of duplicating them", async () => {
    const inventory = await admin.inventory();
    const softDeleted = customers
      .slice(0, 2)
      .map((c) => usersOf(inventory, c, "inactive").find((u: any) => u.userPrincipalName === `breakglass@${domains[c]}`));
    expect(softDeleted.every(Boolean)).toBe(true);
    const up = await stack.up();
    const users = up.outputs.users.value as { id: string; state: string }[];
    expect(users.map((u) => u.id)).toEqual(softDeleted.map((u: any) => u.id));
    expect(users.map((u) => u.state)).toEqual(["active", "active"]);
    const after = await admin.inventory();
    for (const c of customers.slice(0, 2)) {
      const all = [...usersOf(after, c, "active"), ...usersOf(after, c, "inactive")].filter((u: any) => u.userPrincipalName === `breakglass@${domains[c]}`);
      expect(all).toHaveLength(1);
    }
    await stack.destroy();
  });
});
