/**
 * Onboarding as a partner lives it, through the real CLI against one emulator: secrets given in plain
 * text (stack config or an explicit provider) are refused at preview, before any call and before the
 * state holds them; a credential fixed in the config after an `up` stored the wrong one is named with
 * the fix that works (`--run-program`).
 */
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import { copyProgram, createEngineSandbox, EngineSandbox, exportState, localProgramStack, runPulumi } from "../support/engine";
import { configureForEmulator } from "../support/stackConfig";

const programs = path.join(__dirname, "programs");
const fabrikam = "5c5a59ec-def0-539c-8986-36777985a6ae";
const contoso = "0d4e389b-0ab8-5563-abe8-dd9ac0c47a80";

describe("onboarding through the CLI", () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let sandbox: EngineSandbox;

  beforeAll(async () => {
    emu = await startEmulator();
    admin = emu.admin;
    sandbox = createEngineSandbox();
  });
  afterAll(async () => {
    await emu?.stop();
    sandbox?.dispose();
  });

  /** The baseline program with one consent in the customer given. */
  async function consentStack(name: string, customerId: string, extra: Record<string, { value: string; secret?: boolean }> = {}) {
    const program = copyProgram(sandbox, path.join(programs, "baseline"));
    const stack = await localProgramStack(sandbox, program, name);
    await configureForEmulator(stack, emu, {
      consentCustomers: { value: JSON.stringify([customerId]) },
      userCustomers: { value: "[]" },
      applicationId: { value: emu.credentials.controlPanelApplicationId },
      domains: { value: "{}" },
      userPassword: { value: "Unused-Passw0rd!", secret: true },
      ...extra,
    });
    const pulumi = (...args: string[]) => runPulumi(sandbox, [...args, "--stack", name], program);
    return { program, stack, pulumi };
  }
  const apiRequests = async () => ((await admin.call("GET", "/requests?limit=1000")).requests as any[]).filter((r) => !/_emulator/.test(r.path)).length;

  it("refuses secrets in plain text, in the stack's config or in a ProviderResource, before any call and before the state holds them", async () => {
    const before = await apiRequests();
    const plain = await consentStack("plaintext", fabrikam);
    await plain.stack.setConfig("partnercenter:clientSecret", { value: emu.credentials.clientSecret, secret: false });
    await plain.stack.setConfig("partnercenter:refreshToken", { value: emu.credentials.refreshToken, secret: false });
    const preview = await plain.pulumi("preview");
    expect(preview.status).not.toBe(0);
    expect(preview.output).toMatch(
      /partnercenter:clientSecret, partnercenter:refreshToken are set in plain text .* `pulumi config set --secret partnercenter:clientSecret <value>`, `pulumi config set --secret partnercenter:refreshToken <value>`/,
    );
    // Thrown as the program declares its first resource, it reaches Pulumi as an unhandled exception,
    // which Pulumi prints with util.inspect: the sentence, not the error's fields and stack frames.
    expect(preview.output).toContain("PartnerCenterError: partnercenter:clientSecret, partnercenter:refreshToken are set in plain text");
    expect(preview.output).not.toMatch(/operation: |retryable: |\n\s+at /);
    const up = await plain.pulumi("up", "--yes", "--skip-preview");
    expect(up.status).not.toBe(0);
    expect(up.output).toMatch(/set in plain text/);
    const state = await exportState(sandbox, "plaintext", plain.program);
    expect(state).not.toContain(emu.credentials.clientSecret);
    expect(state).not.toContain(emu.credentials.refreshToken);
    expect(await apiRequests()).toBe(before);

    const explicit = await consentStack("explicit", fabrikam, { explicitProviderSecret: { value: "explicit-plain-secret" } });
    const refused = await explicit.pulumi("up", "--yes", "--skip-preview");
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(
      /consent-0: a pulumi-nodejs ProviderResource cannot configure partnercenter resources: .* stored unencrypted .*drops it from the state/,
    );
    // The engine recorded the user's provider before the consent could refuse it; without it in the
    // program, the next `up` drops it (and its plain-text input) from the state.
    await explicit.stack.removeConfig("explicitProviderSecret");
    expect((await explicit.pulumi("up", "--yes", "--skip-preview")).status).toBe(0);
    expect(await exportState(sandbox, "explicit", explicit.program)).not.toContain("explicit-plain-secret");
  });

  it("names --run-program when a refresh uses a wrong client secret that the stack's config no longer has", async () => {
    const { stack, pulumi } = await consentStack("stale", contoso);
    expect((await pulumi("up", "--yes", "--skip-preview")).status).toBe(0);
    // An `up` with a wrong secret stores it in the state's provider configuration (the consent needs no call).
    await stack.setConfig("partnercenter:clientSecret", { value: "a-wrong-secret-value", secret: true });
    await pulumi("up", "--yes", "--skip-preview");
    await stack.setConfig("partnercenter:clientSecret", { value: emu.credentials.clientSecret, secret: true });
    const refresh = await pulumi("refresh", "--yes");
    expect(refresh.output).toMatch(
      /AADSTS7000215.*partnercenter:clientSecret is wrong.*if the stack's configuration already has the right value, .*run it again with --run-program/s,
    );
    // The consent's read-back warns and keeps the recorded state, so the refresh itself ends well.
  });
});
