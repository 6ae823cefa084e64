import type { ChildProcess } from "child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { startEmulator } from "../../emulator";
import { readDefaultSeed } from "../../emulator/seed/load";
import { startProcess } from "../support/process";
import { customers, resources, TestEmulator } from "./helpers";

/** The CLI with --json, once it has printed its one line. */
async function startCli(): Promise<{ child: ChildProcess; line: string }> {
  const { child, done } = startProcess(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "../../emulator/cli.ts"), "--json"], {
    cwd: join(__dirname, "../.."),
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0]);
    });
    done.then((r) => reject(new Error(`cli exited ${r.status}: ${r.stderr}`)), reject);
  });
  return { child, line };
}

describe("persistence, seeds and the CLI", () => {
  it("keeps state in dataFile across restarts, written atomically", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-emu-test-"));
    const dataFile = join(dir, "state.json");
    const stateDir = join(dir, "state");
    let t = await TestEmulator.start({ dataFile, stateDir });
    const token = await t.userToken(resources.partnerCenter);
    const created = await t.http("POST", t.pc(`/customers/${customers.contoso}/users`), {
      token,
      body: { usageLocation: "US", userPrincipalName: "kept@contoso.onmicrosoft.com", displayName: "Kept", passwordProfile: { password: "abCD123*x" } },
    });
    expect(created.status).toBe(200);
    const thumb = t.creds.certificateThumbprint;
    await t.stop();
    expect(JSON.parse(readFileSync(dataFile, "utf8")).customers[customers.contoso].users[created.json.id]).toBeTruthy();

    t = await TestEmulator.start({ dataFile, stateDir });
    // Same stateDir: same CA, client certificate and signing keys.
    expect(t.creds.certificateThumbprint).toBe(thumb);
    const again = await t.http("GET", t.pc(`/customers/${customers.contoso}/users/${created.json.id}`), { token: await t.userToken(resources.partnerCenter) });
    expect(again.status).toBe(200);
    expect(again.json.userPrincipalName).toBe("kept@contoso.onmicrosoft.com");
    await t.stop();
  });

  it("never writes a user's password to the data file, seeded, created or reset, replayable or not", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-emu-test-"));
    const dataFile = join(dir, "state.json");
    const seed = readDefaultSeed() as { customers: { users: Record<string, unknown>[] }[] };
    const seeded = "Seeded-User-Secret-1";
    for (const u of seed.customers[0].users) u.passwordProfile = { password: seeded, forceChangePassword: false };
    const t = await TestEmulator.start({ dataFile, seed: seed as never });
    try {
      const token = await t.userToken(resources.partnerCenter);
      const users = t.pc(`/customers/${customers.contoso}/users`);
      const created = await t.http("POST", users, {
        token,
        headers: { "MS-RequestId": "7a1c0000-0000-4000-8000-000000000001" },
        body: { usageLocation: "US", userPrincipalName: "pw@contoso.onmicrosoft.com", displayName: "Pw", passwordProfile: { password: "Created-Secret-2" } },
      });
      expect(created.status).toBe(200);
      // The answer to the request that set it still carries it, as the service's does.
      expect(created.json.passwordProfile.password).toBe("Created-Secret-2");
      const reset = await t.http("PATCH", `${users}/${created.json.id}`, {
        token,
        headers: { "MS-RequestId": "7a1c0000-0000-4000-8000-000000000002" },
        body: { passwordProfile: { password: "Reset-Secret-3", forceChangePassword: true } },
      });
      expect(reset.status).toBe(200);
      expect(reset.json.passwordProfile.password).toBe("Reset-Secret-3");
      const text = readFileSync(dataFile, "utf8");
      expect(text).toContain("pw@contoso.onmicrosoft.com");
      for (const secret of [seeded, "Created-Secret-2", "Reset-Secret-3"]) expect(text).not.toContain(secret);
    } finally {
      await t.stop();
    }
  });

  it("fails with a message naming the bad field for an invalid seed", async () => {
    const seed = readDefaultSeed() as { customers: { id: string }[] };
    seed.customers[0].id = "not-a-guid";
    const file = join(mkdtempSync(join(tmpdir(), "pc-emu-seed-")), "seed.json");
    writeFileSync(file, JSON.stringify(seed));
    await expect(startEmulator({ seed: file })).rejects.toThrow(/customers\.0\.id: must be a GUID/);
  });

  it("fails with a message naming the bad field for an invalid faults, limits or latency option", async () => {
    await expect(startEmulator({ faults: { groups: { users: { failureRate: 2 } } } })).rejects.toThrow(/option faults: groups\.users\.failureRate/);
    await expect(startEmulator({ limits: { users: { requestsPerSecond: -1 } } })).rejects.toThrow(/option limits: users\.requestsPerSecond/);
    await expect(startEmulator({ latencyMs: 1e12 })).rejects.toThrow(/option latencyMs: fixedMs/);
  });

  it("removes its own temp dir (CA, client certificate key, keys) on stop, and keeps a stateDir it was given", async () => {
    const own = await startEmulator();
    const ownDir = dirname(own.caFile);
    expect(readdirSync(ownDir).sort()).toEqual(["ca.pem", "client-certificate.pem", "keys.json"]);
    await own.stop();
    expect(existsSync(ownDir)).toBe(false);

    const given = mkdtempSync(join(tmpdir(), "pc-emu-state-"));
    const kept = await startEmulator({ stateDir: given });
    await kept.stop();
    expect(readdirSync(given)).toContain("keys.json");
  });

  it.each(["SIGINT", "SIGTERM"] as const)(
    "the CLI removes its temp dir on %s",
    async (signal) => {
      const { child, line } = await startCli();
      const dir = dirname(JSON.parse(line).caFile);
      expect(existsSync(dir)).toBe(true);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill(signal);
      expect(await exited).toBe(0);
      expect(existsSync(dir)).toBe(false);
    },
    30000,
  );

  it("prints one JSON line with the handle's fields and stops on SIGTERM", async () => {
    const { child, line } = await startCli();
    const info = JSON.parse(line);
    expect(Object.keys(info).sort()).toEqual(["caFile", "caPem", "credentials", "endpoints", "url"]);
    expect(Object.keys(info.endpoints).sort()).toEqual(["admin", "authorityHost", "delegatedAdmin", "graph", "oidcIssuer", "partnerCenter"]);
    expect(Object.keys(info.credentials).sort()).toEqual(
      [
        "certificatePemFile",
        "certificateThumbprint",
        "certificateThumbprintSha256",
        "clientId",
        "clientSecret",
        "controlPanelApplicationId",
        "federatedSubject",
        "partnerTenantId",
        "refreshToken",
      ].sort(),
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 30000);

  it("ids prints the seed's customers and security groups as a table and as JSON, starting no emulator", async () => {
    // The built CLI (npm test builds first), as a user runs it: ts-node would take most of the time.
    const run = (...args: string[]) =>
      startProcess(process.execPath, [join(__dirname, "../../dist/emulator/cli.js"), "ids", ...args], { timeoutMs: 20000 }).done;
    const [json, text] = await Promise.all([run("--json"), run()]);
    expect([json.status, text.status]).toEqual([0, 0]);
    const seed = readDefaultSeed() as {
      customers: { id: string; domains: { name: string }[]; organization: { displayName: string } }[];
      partnerGroups: { id: string; displayName: string }[];
    };
    const ids = JSON.parse(json.stdout);
    expect(ids.customers).toEqual(seed.customers.map((c) => ({ id: c.id, displayName: c.organization.displayName, domains: c.domains.map((d) => d.name) })));
    expect(ids.securityGroups).toEqual(seed.partnerGroups.map((g) => ({ id: g.id, displayName: g.displayName })));
    const lines = text.stdout.split("\n");
    for (const c of seed.customers)
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  ${c.id}  ${c.organization.displayName} +${c.domains.map((d) => d.name).join(", ")}$`)));
    for (const g of seed.partnerGroups) expect(lines).toContainEqual(`  ${g.id}  ${g.displayName}`);
  }, 30000);
});
