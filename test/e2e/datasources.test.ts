/**
 * Data sources, bad input and adoption through the real CLI against the emulator: the data sources
 * run (in preview too) and fail clearly; bad resource inputs fail at preview naming the field before
 * any request; an existing user is brought under management with `adopt`, and read by id with `get`.
 */
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import { copyProgram, createEngineSandbox, EngineSandbox, localProgramStack, runPulumi } from "../support/engine";
import { usersOf } from "../support/inventory";
import { configureForEmulator } from "../support/stackConfig";

const programs = path.join(__dirname, "programs");
const contoso = "0d4e389b-0ab8-5563-abe8-dd9ac0c47a80";

describe("data sources, bad input and adoption", () => {
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

  const apiRequests = async () => {
    const log = await admin.call("GET", "/requests?limit=1000");
    return ((log.requests ?? log) as any[]).filter((r) => !/oauth2|discovery/.test(r.path));
  };

  it("reads customers, an organization and the multitenant organization, in preview and up", async () => {
    const program = copyProgram(sandbox, path.join(programs, "datasources"));
    const stack = await localProgramStack(sandbox, program, "good");
    await configureForEmulator(stack, emu, {
      filter: { value: "dapEnabled eq false and organizationDisplayName lt 'C'" },
      customerId: { value: contoso },
      memberTenantId: { value: "a20ab06d-66ca-5939-9d86-2f1f9c5283be" },
    });
    const preview = await stack.preview();
    expect(preview.stdout).toContain("Adventure Works"); // outputs computed during preview
    const up = await stack.up();
    expect(up.outputs.customerNames.value).toEqual(["Adventure Works", "Alpine Ski House", "Blue Yonder Airlines"]);
    expect(up.outputs.organization.value).toMatchObject({ displayName: "Contoso", countryLetterCode: "US" });
    expect(up.outputs.member.value).toMatchObject({ displayName: "Northwind Cloud APAC", state: "pending", role: "member" });
    expect(up.outputs.member.value.transitionDetails).toMatchObject({ desiredState: "active" });
    expect(up.outputs.memberNames.value.map((m: any) => m.displayName).sort()).toEqual([
      "Northwind Cloud APAC",
      "Northwind Cloud EMEA",
      "Northwind Cloud Partners",
    ]);
  });

  it("rejects a bad OData filter before sending it, and says so at preview", async () => {
    const program = copyProgram(sandbox, path.join(programs, "datasources"));
    const stack = await localProgramStack(sandbox, program, "badfilter");
    await configureForEmulator(stack, emu, { mode: { value: "bad-filter" } });
    await admin.call("DELETE", "/requests");
    const res = await runPulumi(sandbox, ["preview", "--stack", "badfilter"], program);
    expect(res.status).not.toBe(0);
    expect(res.stdout + res.stderr).toMatch(/filter: 'secret' is not a field of delegatedAdminCustomers/);
    expect(await apiRequests()).toEqual([]);
  });

  it("says plainly when a tenant is not in the multitenant organization", async () => {
    const program = copyProgram(sandbox, path.join(programs, "datasources"));
    const stack = await localProgramStack(sandbox, program, "notmember");
    await configureForEmulator(stack, emu, { mode: { value: "not-a-member" } });
    const res = await runPulumi(sandbox, ["preview", "--stack", "notmember"], program);
    expect(res.status).not.toBe(0);
    expect(res.stdout + res.stderr).toMatch(
      /tenant 11111111-2222-3333-4444-555555555555 is not a member of the partner's multitenant organization \(Graph answered 404 Request_ResourceNotFound\)/,
    );
  });

  it("prints a failing data source's error once in a failing up: no unhandled exception, stack or fields", async () => {
    const program = copyProgram(sandbox, path.join(programs, "datasources"));
    const stack = await localProgramStack(sandbox, program, "stranger");
    await configureForEmulator(stack, emu, { mode: { value: "stranger-domains" } });
    const res = await runPulumi(sandbox, ["up", "--yes", "--skip-preview", "--stack", "stranger"], program);
    expect(res.status).not.toBe(0);
    const output = res.stdout + res.stderr;
    const message = /error: (Could not get an app-only token [^\n]*tenant 11111111-2222-3333-4444-555555555555[^\n]*)/.exec(output)?.[1];
    expect(message).toBeDefined();
    const diagnostics = output.slice(output.indexOf("Diagnostics:"));
    // Once in the diagnostics; the non-interactive display also shows it on the stack's progress row.
    expect(diagnostics.split(message!).length - 1).toBe(1);
    expect(output.split(message!).length - 1).toBeLessThanOrEqual(2);
    expect(output).not.toMatch(/unhandled exception|PartnerCenterError|serviceMessage|\n\s+at /);
  });

  // The engine stops a preview at the first resource that fails its check, so each case has its stack.
  it.each([
    [
      "a consent",
      { consentCustomers: ["not-a-guid"], userCustomers: [], scopes: ["User.Read.All"] },
      [/property customerId value \{not-a-guid\} has a problem: customerId must be a GUID/],
    ],
    [
      "a consent's scopes",
      { consentCustomers: [contoso], userCustomers: [], scopes: ["User.Read.All,Mail.Send"] },
      [/property grants\[0\]\.scopes\[0\].*each scope must be a permission name/],
    ],
    [
      "a user",
      { consentCustomers: [], userCustomers: [contoso], scopes: ["User.Read.All"], userAlias: "bad alias" },
      [/property userPrincipalName .*userPrincipalName must look like alias@domain/, /has a problem: password must be 8 to 256 characters long/],
    ],
  ])("fails bad inputs of %s at preview, naming each field, before any request", async (_what, cfg, messages) => {
    const program = copyProgram(sandbox, path.join(programs, "baseline"));
    const stack = await localProgramStack(sandbox, program, "bad");
    await configureForEmulator(stack, emu, {
      consentCustomers: { value: JSON.stringify(cfg.consentCustomers) },
      userCustomers: { value: JSON.stringify(cfg.userCustomers) },
      applicationId: { value: emu.credentials.controlPanelApplicationId },
      domains: { value: JSON.stringify({ [contoso]: "contoso.onmicrosoft.com" }) },
      userAlias: { value: (cfg as { userAlias?: string }).userAlias ?? "breakglass" },
      scopes: { value: JSON.stringify(cfg.scopes) },
      userPassword: { value: "short", secret: true },
    });
    await admin.call("DELETE", "/requests");
    const res = await runPulumi(sandbox, ["preview", "--stack", "bad"], program);
    const out = res.stdout + res.stderr;
    expect(res.status).not.toBe(0);
    for (const m of messages) expect(out).toMatch(m);
    expect(out).not.toContain("short");
    expect(await apiRequests()).toEqual([]);
  });

  it("fails at preview a user on another customer's domain, naming userPrincipalName, with read-only calls only", async () => {
    const program = copyProgram(sandbox, path.join(programs, "baseline"));
    const stack = await localProgramStack(sandbox, program, "otherdomain");
    await configureForEmulator(stack, emu, {
      consentCustomers: { value: "[]" },
      userCustomers: { value: JSON.stringify([contoso]) },
      applicationId: { value: emu.credentials.controlPanelApplicationId },
      domains: { value: JSON.stringify({ [contoso]: "fabrikam.com" }) },
      userPassword: { value: "Other-Domain-Passw0rd!", secret: true },
    });
    await admin.call("DELETE", "/requests");
    const res = await runPulumi(sandbox, ["preview", "--stack", "otherdomain"], program);
    expect(res.status).not.toBe(0);
    expect(res.stdout + res.stderr).toMatch(
      /property userPrincipalName value \{breakglass@fabrikam\.com\} has a problem: userPrincipalName breakglass@fabrikam\.com is on fabrikam\.com, which is not a domain of customer 0d4e389b-0ab8-5563-abe8-dd9ac0c47a80 \(its domains: contoso\.onmicrosoft\.com\)/,
    );
    expect((await apiRequests()).map((r) => r.method)).toEqual(["GET", "GET"]);
  });

  it("fails at preview with one message listing the missing configuration", async () => {
    const program = copyProgram(sandbox, path.join(programs, "baseline"));
    const stack = await localProgramStack(sandbox, program, "noconfig");
    await stack.setAllConfig({
      consentCustomers: { value: JSON.stringify([contoso]) },
      userCustomers: { value: "[]" },
      applicationId: { value: emu.credentials.controlPanelApplicationId },
      domains: { value: "{}" },
      userPassword: { value: "Irrelevant-Passw0rd", secret: true },
    });
    const res = await runPulumi(sandbox, ["preview", "--stack", "noconfig"], program, { AZURE_CLIENT_ID: "", AZURE_TENANT_ID: "" });
    expect(res.status).not.toBe(0);
    expect(res.stdout).toMatch(
      /set partnercenter:clientId \(or PARTNERCENTER_CLIENT_ID \/ AZURE_CLIENT_ID\)[\s\S]*set partnercenter:tenantId[\s\S]*set one credential/,
    );
  });

  it("brings an existing user under management with adopt: true, and reads one by id with get", async () => {
    const program = copyProgram(sandbox, path.join(programs, "adopt"));
    const stack = await localProgramStack(sandbox, program, "adopt");
    const existing = usersOf(await admin.inventory(), contoso).find((u: any) => u.userPrincipalName === "megan.bowen@contoso.onmicrosoft.com");
    const other = usersOf(await admin.inventory(), contoso).find((u: any) => u.userPrincipalName === "alex.wilber@contoso.onmicrosoft.com");
    await configureForEmulator(stack, emu, {
      customerId: { value: contoso },
      upn: { value: existing.userPrincipalName },
      password: { value: "Adopted-Passw0rd!", secret: true },
      readUserId: { value: other.id },
    });
    const refused = await runPulumi(sandbox, ["up", "--yes", "--skip-preview", "--stack", "adopt"], program);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toMatch(
      /a user with that userPrincipalName already exists \(id 49ce8582-6254-5126-adb6-1af8d85e0e95\)\. It existed before this create: .* set adopt: true on this CustomerUser/,
    );

    // Taking it over needs no password, and resets none: the seeded user's forceChangePassword (false)
    // would become true with a password reset.
    await stack.removeConfig("password");
    await stack.setConfig("adopt", { value: "true" });
    expect(existing.forceChangePassword).toBe(false);
    const up = await stack.up();
    expect(up.stdout).toMatch(
      /took over user megan\.bowen@.* \(adopt: true\); its password is unchanged; .*its destroy deletes it, unless the resource has retainOnDelete: true/,
    );
    expect(up.outputs.adoptedId.value).toBe(existing.id);
    expect(up.outputs.adoptedName.value).toBe("Megan Bowen (managed)");
    expect(up.outputs.readName.value).toBe(other.displayName);
    const users = usersOf(await admin.inventory(), contoso).filter((u: any) => u.userPrincipalName === existing.userPrincipalName);
    expect(users).toHaveLength(1);
    expect(users[0].displayName).toBe("Megan Bowen (managed)");
    expect(users[0].forceChangePassword).toBe(false);
    // Adopted and read: nothing left to change (the live first and last name are not the program's business).
    const summary = (await stack.preview()).changeSummary ?? {};
    expect(Object.keys(summary).filter((k) => k !== "same" && k !== "read")).toEqual([]);
  });
});
