/**
 * The token path through the real CLI against the emulator, where a user sees it: a consent rollout
 * through token-endpoint faults, a rollout queued longer than a token lives, a token endpoint that
 * cannot be reached or is not trusted, and a data source's failure printed as one clean message.
 */
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import { readDefaultSeed } from "../../emulator/seed/load";
import { copyProgram, createEngineSandbox, EngineSandbox, localProgramStack, runPulumi } from "../support/engine";
import { consentsOf } from "../support/inventory";
import { refusedPort } from "../support/refusedPort";
import { configureForEmulator } from "../support/stackConfig";

const programs = path.join(__dirname, "programs");

describe("the token path through the CLI", () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let sandbox: EngineSandbox;
  let customers: string[];

  beforeAll(async () => {
    emu = await startEmulator();
    admin = emu.admin;
    sandbox = createEngineSandbox();
    const inventory = await admin.inventory();
    customers = (inventory.customers as any[]).filter((c) => c.gdapRoles.includes("Cloud Application Administrator")).map((c) => c.id);
  });
  afterAll(async () => {
    await emu?.stop();
    sandbox?.dispose();
  });

  /** A stack of the baseline program with a consent in each of `consentCustomers` and no users. */
  async function consentStack(
    name: string,
    consentCustomers: string[],
    extra: Record<string, { value: string; secret?: boolean }> = {},
    without: string[] = [],
  ) {
    const program = copyProgram(sandbox, path.join(programs, "baseline"));
    const stack = await localProgramStack(sandbox, program, name);
    await configureForEmulator(stack, emu, {
      consentCustomers: { value: JSON.stringify(consentCustomers) },
      userCustomers: { value: "[]" },
      applicationId: { value: emu.credentials.controlPanelApplicationId },
      domains: { value: "{}" },
      userPassword: { value: "Unused-Passw0rd!", secret: true },
      ...extra,
    });
    for (const key of without) await stack.removeConfig(key);
    return {
      program,
      up: (env: Record<string, string> = {}) => runPulumi(sandbox, ["up", "--yes", "--skip-preview", "--parallel", "64", "--stack", name], program, env),
    };
  }
  const tokenStatuses = async () => {
    const log = await admin.call("GET", "/requests?limit=5000");
    return ((log.requests ?? log) as any[]).filter((r) => /\/oauth2\/v2\.0\/token$/.test(r.path)).map((r) => r.status);
  };
  const consented = async () => {
    const inventory = await admin.inventory();
    return customers.filter((c) => consentsOf(inventory, c).some((x: any) => x.applicationId === emu.credentials.controlPanelApplicationId));
  };

  it("rolls out every consent when the token endpoint fails twice and resets once", async () => {
    await admin.call("POST", "/reset");
    await admin.call("DELETE", "/requests");
    await admin.call("PUT", "/faults", {
      rules: [
        { group: "token", action: "status", status: 503, times: 2 },
        { group: "token", action: "resetBeforeCommit", times: 1 },
      ],
    });
    const wave = customers.slice(0, 8);
    const { up } = await consentStack("token-faults", wave);
    const res = await up();
    expect(res.stdout + res.stderr).not.toMatch(/error:/);
    expect(res.status).toBe(0);
    expect(await consented()).toEqual(wave);
    expect((await tokenStatuses()).slice(0, 4)).toEqual([503, 503, "reset", 200]);
  });

  it("sends no expired token from a rollout queued longer than a token lives", async () => {
    // Tokens live 8 s; 8 consents at 0.5/s take 14 s to leave the rate limiter's queue.
    const seed = readDefaultSeed() as any;
    seed.settings = { ...(seed.settings ?? {}), tokenLifetimeSeconds: 8 };
    await admin.call("POST", "/seed", seed);
    await admin.call("DELETE", "/requests");
    const wave = customers.slice(0, 8);
    const { up } = await consentStack("token-lifetime", wave, { "partnercenter:consentRateLimit": { value: "0.5" } });
    const res = await up();
    const out = res.stdout + res.stderr;
    expect(out).not.toMatch(/expired/i);
    expect(res.status).toBe(0);
    expect(await consented()).toEqual(wave);
    const log = await admin.call("GET", "/requests?limit=5000");
    const consentPosts = ((log.requests ?? log) as any[]).filter((r) => r.method === "POST" && /applicationconsents$/.test(r.path));
    expect(consentPosts.map((r) => r.status)).toEqual(wave.map(() => 201));
  });

  it("says where and why when the token endpoint is down or its certificate is not trusted", async () => {
    await admin.call("POST", "/reset");
    const port = await refusedPort();

    const down = await consentStack("token-down", customers.slice(0, 1), {
      "partnercenter:authorityHost": { value: `https://127.0.0.1:${port}` },
      "partnercenter:maxRetries": { value: "1" },
    });
    const refused = await down.up({ PARTNERCENTER_LOG: "debug" });
    expect(refused.status).not.toBe(0);
    // The debug log (the engine shows it once live, once under Diagnostics) has each token attempt, as it has API attempts.
    const attempts = (refused.stdout + refused.stderr)
      .split("\n")
      .map((l) =>
        new RegExp(`\\[partnercenter\\] POST https://127\\.0\\.0\\.1:${port}/\\S+/oauth2/v2\\.0/token\\S* attempt (\\d) -> (connect ECONNREFUSED)`)
          .exec(l)
          ?.slice(1)
          .join(" "),
      )
      .filter(Boolean);
    expect([...new Set(attempts)]).toEqual(["1 connect ECONNREFUSED", "2 connect ECONNREFUSED"]);
    expect(refused.stdout + refused.stderr).toContain(
      `the connection to Entra ID at 127.0.0.1:${port} failed on every attempt: connection refused (ECONNREFUSED). To fix: check that the service at 127.0.0.1:${port} is running`,
    );

    const untrusted = await consentStack("token-untrusted", customers.slice(0, 1), {}, ["partnercenter:caFile"]);
    const tls = await untrusted.up();
    expect(tls.status).not.toBe(0);
    expect(tls.stdout + tls.stderr).toMatch(
      /the connection to Entra ID at 127\.0\.0\.1:\d+ failed: its TLS certificate is not trusted \(\w+: [^)]*\)\. To fix: set partnercenter:caFile to the PEM file of the CA/,
    );
    expect(tls.stdout + tls.stderr).not.toContain("network_error");
  });

  it("prints a data source's failure as one clean message: no 'unhandled exception', stack or terminal codes", async () => {
    await admin.call("POST", "/reset");
    const program = copyProgram(sandbox, path.join(programs, "datasources"));
    const stack = await localProgramStack(sandbox, program, "ds-error");
    await configureForEmulator(stack, emu, { mode: { value: "not-a-member" } });
    const res = await runPulumi(sandbox, ["preview", "--stack", "ds-error"], program);
    const out = res.stdout + res.stderr;
    expect(res.status).not.toBe(0);
    const message =
      "Could not read the multitenant organization member: tenant 11111111-2222-3333-4444-555555555555 is not a member of the partner's multitenant organization (Graph answered 404 Request_ResourceNotFound).";
    expect(out).toContain(message);
    expect(out).not.toMatch(/unhandled exception/i);
    expect(out).not.toMatch(/\.ts:\d+/);
    expect(out).not.toContain("\u001b["); // no terminal colour codes
    expect(out).not.toMatch(/operation: |serviceCode: |undefined/);
  });
});
