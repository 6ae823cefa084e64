/**
 * examples/go-quickstart through the real CLI against the emulator, as a Go user meets it: the plugin
 * installed by scripts/install-plugin.sh, the Go language host from scripts/ensure-pulumi.sh, which
 * builds the program with `go build` at each run (the generated Go SDK, generated/go, reached through
 * the program's `replace`). up, a rename in the portal shown by `pulumi preview --refresh`, destroy.
 * One emulator, one stack. The Go build is the expensive part: the first one compiles the Go SDK of
 * Pulumi (minutes on a cold GOCACHE), the later ones only link, so GOCACHE is the user's own, shared
 * by every run and by CI's two passes, never one per test.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { copyProgram, createEngineSandbox, EngineSandbox, repoRoot, runPulumi } from "../support/engine";
import { partnerCenterConfig } from "../support/stackConfig";
import { customerOf, usersOf } from "../support/inventory";

describe("examples/go-quickstart on the native provider", () => {
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
    program = copyProgram(sandbox, path.join(repoRoot, "examples", "go-quickstart"));
    execFileSync("bash", [path.join(repoRoot, "scripts", "install-plugin.sh")], { env: { ...process.env, ...sandbox.env }, stdio: "pipe" });
  });

  afterAll(async () => {
    await emulator?.stop();
    sandbox?.dispose();
  });

  // The first `go build` on a cold GOCACHE (CI's) compiles Pulumi's Go SDK: minutes on 2 cores.
  it("creates a Go program's user, shows portal drift in preview --refresh, and destroys it", async () => {
    const inventory = await emulator.admin.inventory();
    const customer = (inventory.customers as any[]).find((c) => !c.dapEnabled && c.gdapRoles.includes("User Administrator"));
    const domain = customer.domains.find((d: any) => !d.federated).name;
    await pulumi("stack", "init", "dev");
    const config: Record<string, { value: string; secret?: boolean }> = {
      ...partnerCenterConfig(emulator),
      customerId: { value: customer.id },
      domain: { value: domain },
      breakGlassPassword: { value: "Native-Go-Passw0rd!", secret: true },
    };
    await pulumi("config", "set-all", ...Object.entries(config).flatMap(([k, { value, secret }]) => [secret ? "--secret" : "--plaintext", `${k}=${value}`]));

    await pulumi("up", "--yes", "--skip-preview");
    const outputs = JSON.parse(await pulumi("stack", "output", "--json"));
    expect(outputs.customer).toBe(customerOf(inventory, customer.id).displayName);
    const created = usersOf(await emulator.admin.inventory(), customer.id).find((u: any) => u.id === outputs.adminUserId);
    expect(created).toEqual(expect.objectContaining({ userPrincipalName: `breakglass@${domain}`, displayName: "Break Glass Admin" }));
    // The state names the native type, and holds the password only encrypted.
    const state = await pulumi("stack", "export");
    expect(state).toContain('"type": "partnercenter:index:CustomerUser"');
    expect(state).not.toContain("pulumi-nodejs:dynamic");
    expect(state).not.toContain("Native-Go-Passw0rd!");

    // Someone renames the user in the portal: the refresh in the preview shows it, and up would put it back.
    await emulator.admin.patchUser(customer.id, outputs.adminUserId, { displayName: "Renamed In Portal" });
    expect(await pulumi("preview", "--refresh", "--diff")).toMatch(/displayName\s*:\s*"Renamed In Portal"\s*=>\s*"Break Glass Admin"/);

    await pulumi("destroy", "--yes", "--skip-preview");
    expect(usersOf(await emulator.admin.inventory(), customer.id).map((u: any) => u.id)).not.toContain(outputs.adminUserId);
    expect(JSON.parse(await pulumi("stack", "export")).deployment.resources ?? []).toHaveLength(0);
  }, 1_200_000);
});
