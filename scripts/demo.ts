/**
 * `npm run demo`: the main job, end to end, against the local emulator.
 *
 *   1. start the emulator with its default seed;
 *   2. `pulumi up` the root program (demo/index.ts) on a local file backend: a CPV consent for every
 *      GDAP customer the stack's filter selects, a break-glass admin in two of them;
 *   3. drift: rename a user and revoke a grant out of band, through the emulator's admin API;
 *   4. `pulumi preview --refresh` shows the drift; `pulumi up --refresh` repairs it;
 *   5. `pulumi preview --refresh --expect-no-changes` confirms a clean state.
 *
 * Every refresh and the destroy run the program (`--run-program`), so they use this run's provider
 * configuration rather than the copy the state keeps (README "When the endpoints or a secret change").
 * `--keep` leaves the emulator and the stack running for you to explore. Against the real service,
 * run the same program with the partnercenter:* config pointing at Microsoft (README "Configuration").
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { startEmulator, type EmulatorHandle } from "../emulator";
import { createEngineSandbox, type EngineSandbox, repoRoot, runPulumiLive } from "../test/support/engine";
import { grantsOf, servicePrincipalsOf, usersOf } from "../test/support/inventory";
import { partnerCenterConfig } from "../test/support/stackConfig";

const stackName = "demo";
const stackConfigFile = path.join(repoRoot, `Pulumi.${stackName}.yaml`);

function step(n: number, text: string) {
  console.log(`\n━━ ${n}. ${text}`);
}

/** `pulumi <args>` with its output shown live; `shown` is what the demo prints of the command (secrets masked). */
type Pulumi = (args: string[], expectStatus?: number, shown?: string[]) => Promise<string>;

function pulumiIn(sandbox: EngineSandbox): Pulumi {
  return async (args, expectStatus = 0, shown = args) => {
    console.log(`   $ pulumi ${shown.join(" ")}`);
    const res = await runPulumiLive(sandbox, args, repoRoot);
    if (res.status !== expectStatus) throw new Error(`pulumi ${args[0]} exited with ${res.status} (expected ${expectStatus})`);
    return res.output;
  };
}

async function configureStack(pulumi: Pulumi, emulator: EmulatorHandle): Promise<void> {
  step(2, `Creating stack '${stackName}' on a local backend and configuring it for the emulator`);
  fs.rmSync(stackConfigFile, { force: true }); // left by an interrupted earlier demo
  await pulumi(["stack", "init", stackName]);
  const config: Record<string, { value: string; secret?: boolean }> = {
    ...partnerCenterConfig(emulator),
    controlPanelApplicationId: { value: emulator.credentials.controlPanelApplicationId },
    breakGlassPassword: { value: `Demo-${Math.random().toString(36).slice(2, 10)}-Aa1!`, secret: true },
  };
  for (const [key, { value, secret }] of Object.entries(config)) {
    const args = ["config", "set", "--stack", stackName, ...(secret ? ["--secret"] : []), key, "--"];
    await pulumi([...args, value], 0, [...args, secret ? "[secret]" : value]);
  }
}

/** Renames a break-glass admin and revokes a consent's grant through the admin API, as someone in a portal would. */
async function driftOutOfBand(emulator: EmulatorHandle): Promise<void> {
  step(4, "Drift: renaming a break-glass admin and revoking a consent's grant outside Pulumi");
  const admin = emulator.admin;
  const inventory = await admin.inventory();
  const isBreakGlass = (u: any) => u.userPrincipalName.startsWith("breakglass@");
  const withAdmin = inventory.customers.find((c) => usersOf(inventory, c.id).some(isBreakGlass))!;
  const user = usersOf(inventory, withAdmin.id).find(isBreakGlass);
  await admin.patchUser(withAdmin.id, user.id, { displayName: "Someone Renamed Me" });
  console.log(`   renamed ${user.userPrincipalName} in ${withAdmin.displayName} to "Someone Renamed Me"`);
  const panel = emulator.credentials.controlPanelApplicationId;
  const withConsent = inventory.customers.find((c) => servicePrincipalsOf(inventory, c.id).some((s: any) => s.appId === panel))!;
  const sp = servicePrincipalsOf(inventory, withConsent.id).find((s: any) => s.appId === panel);
  const grant = grantsOf(inventory, withConsent.id).find((g: any) => g.clientId === sp.id);
  await admin.deleteGrant(withConsent.id, grant.id);
  console.log(`   revoked the grant "${grant.scope}" of the control panel in ${withConsent.displayName}`);
}

/** Drift shown by a refreshing preview, repaired by `up --refresh`, and a clean preview after. */
async function findAndRepair(pulumi: Pulumi): Promise<void> {
  step(5, "pulumi preview --refresh: the drift is visible");
  const drift = await pulumi(["preview", "--refresh", "--run-program", "--diff", "--stack", stackName]);
  if (!/Someone Renamed Me/.test(drift) || !/\+-\s*pulumi-nodejs:dynamic\/partnercenter:ApplicationConsent/.test(drift)) {
    throw new Error("the preview did not show both changes made outside Pulumi");
  }
  console.log("   ✔ the preview shows the renamed user (update) and the revoked grant (replace the consent)");

  step(6, "pulumi up --refresh: repairing the drift");
  await pulumi(["up", "--yes", "--refresh", "--run-program", "--stack", stackName, "--skip-preview"]);

  step(7, "pulumi preview --refresh --expect-no-changes: clean");
  await pulumi(["preview", "--refresh", "--run-program", "--expect-no-changes", "--stack", stackName]);
  console.log("   ✔ no changes: the customers are as the program says");
}

/** With --keep: how to reach the stack and the emulator from another shell, until Ctrl-C. */
async function keepRunning(sandbox: EngineSandbox, emulator: EmulatorHandle): Promise<void> {
  const e = sandbox.env;
  console.log(
    `\nKept running. In another shell:\n` +
      `  export PULUMI_BACKEND_URL=${e.PULUMI_BACKEND_URL} PULUMI_CONFIG_PASSPHRASE=${e.PULUMI_CONFIG_PASSPHRASE} PULUMI_HOME=${e.PULUMI_HOME} PATH=${e.PATH.split(":")[0]}:$PATH\n` +
      `  pulumi stack output --stack ${stackName}\n  curl --cacert ${emulator.caFile} ${emulator.endpoints.admin}/inventory\nCtrl-C stops the emulator.`,
  );
  await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
}

async function main() {
  const { keep } = parseArgs({ options: { keep: { type: "boolean", default: false } } }).values;
  step(1, "Starting the emulator (Partner Center, delegated admin, Graph, Entra ID) with its default seed");
  const emulator = await startEmulator();
  console.log(`   ${emulator.url}  (CA: ${emulator.caFile})`);
  const sandbox = createEngineSandbox("pcenter-demo-");
  const pulumi = pulumiIn(sandbox);
  let ok = false;
  try {
    await configureStack(pulumi, emulator);
    step(3, "pulumi up: consents for the selected customers, break-glass admins in two of them");
    await pulumi(["up", "--yes", "--stack", stackName, "--skip-preview"]);
    await driftOutOfBand(emulator);
    await findAndRepair(pulumi);
    ok = true;
    if (keep) {
      await keepRunning(sandbox, emulator);
    } else {
      step(8, "Cleaning up: pulumi destroy");
      await pulumi(["destroy", "--yes", "--run-program", "--stack", stackName, "--skip-preview"]);
    }
  } finally {
    await emulator.stop();
    if (!keep || !ok) {
      sandbox.dispose();
      fs.rmSync(stackConfigFile, { force: true });
    }
  }
  console.log(ok ? "\nDemo finished: drift found and repaired." : "\nDemo failed.");
}

main().catch((err) => {
  console.error(`\ndemo failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
