/**
 * partnercenter-rollout through its command line, as a CI job runs it, against one emulator, with
 * examples/multi-customer-rollout in two shards: a canary failure that stops the next wave, a kill of
 * the whole run while a create is in flight and its resume, and two runners started on one plan at once.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import { copyProgram, createEngineSandbox, repoRoot, type EngineSandbox } from "../support/engine";
import { consentsOf } from "../support/inventory";
import { killGroup, startProcess, type StartedProcess } from "../support/process";
import { partnerCenterConfig } from "../support/stackConfig";
import type { RolloutSummary } from "../../rollout";
import { readConfigFile } from "../../rollout/configFile";

const cli = path.join(repoRoot, "dist", "rollout", "cli.js");
// The seed's GDAP customers whose relationship has only Global Reader: the example leaves them alone
// (getDelegatedAdminRelationships lists no consent role for them), so they never get a consent.
const withoutRoles = ["Graphic Design Institute", "Humongous Insurance"];
const gdap = "dapEnabled eq false";

describe("partnercenter-rollout", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let sandbox: EngineSandbox;
  let program: string;
  let configFile: string;
  let customers: any[];

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = emulator.admin;
    sandbox = createEngineSandbox("pcenter-rollout-");
    program = copyProgram(sandbox, path.join(repoRoot, "examples", "multi-customer-rollout"));
    // What `partnercenter-emulator --config-yaml` prints, and the program's own key.
    const config: Record<string, { value: string; secret?: boolean }> = {
      ...partnerCenterConfig(emulator),
      controlPanelApplicationId: { value: emulator.credentials.controlPanelApplicationId },
    };
    configFile = path.join(sandbox.dir, "rollout-config.yaml");
    fs.writeFileSync(
      configFile,
      ["config:", ...Object.entries(config).map(([k, v]) => `  ${k}: ${v.secret ? `{ secret: ${JSON.stringify(v.value)} }` : JSON.stringify(v.value)}`)].join(
        "\n",
      ),
    );
    customers = ((await admin.inventory()).customers as any[]).filter((c) => !c.dapEnabled);
  });

  beforeEach(async () => {
    await admin.reset();
    await admin.setLatency({ fixedMs: 0 });
  });

  afterAll(async () => {
    await emulator?.stop();
    sandbox?.dispose();
  });

  const writePlan = (name: string, plan: unknown) => {
    const file = path.join(sandbox.dir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(plan));
    return file;
  };
  const start = (args: string[]): StartedProcess =>
    startProcess("node", [cli, ...args, "--dir", program, "--shards", "2", "--config-file", configFile], {
      env: { ...process.env, ...sandbox.env },
      detached: true,
    });
  const summaryOf = (file: string, run: { output: string }) => {
    if (!fs.existsSync(file)) throw new Error(`the runner wrote no summary:\n${run.output.slice(-4000)}`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as RolloutSummary;
  };
  const consentCount = async (name: string) => {
    const inventory = await admin.inventory();
    const c = customers.find((x) => x.displayName === name);
    return consentsOf(inventory, c.id).filter((x: any) => x.applicationId === emulator.credentials.controlPanelApplicationId).length;
  };
  const names = (from: string, to: string) => customers.map((c) => c.displayName as string).filter((n) => n >= from && n < to && !withoutRoles.includes(n));

  it("reads what partnercenter-emulator --config-yaml prints as its --config-file, secrets as secrets", async () => {
    const emu = startProcess("node", [path.join(repoRoot, "dist", "emulator", "cli.js"), "--config-yaml"], { detached: true });
    const printed = await new Promise<string>((resolve) => {
      let out = "";
      emu.child.stdout!.on("data", (c: Buffer) => {
        out += c.toString();
        if (out.includes("partnercenter:caFile")) resolve(out);
      });
    });
    killGroup(emu.child, "SIGTERM");
    await emu.done;
    const printedFile = path.join(sandbox.dir, "printed.yaml");
    fs.writeFileSync(printedFile, printed);
    const config = readConfigFile(printedFile);
    expect(Object.keys(config)).toHaveLength(9);
    expect(
      Object.entries(config)
        .filter(([, v]) => v.secret)
        .map(([k]) => k),
    ).toEqual(["partnercenter:clientSecret", "partnercenter:refreshToken"]);
    expect(config["partnercenter:partnerCenterUrl"].value).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/partnercenter$/);
  });

  it("stops the next wave when the canary fails, naming each failure's customer", async () => {
    // The example's own plan (a canary of the customers before C, then the rest). The service refuses
    // the consent in two of the canary's customers, as it does when a relationship loses its role
    // after the program read it (the emulator's fault script: one 403 each).
    const plan = path.join(program, "waves.json");
    const refused = names("", "C").slice(0, 2);
    const ids = refused.map((n) => customers.find((c) => c.displayName === n).id as string);
    await admin.setFaults({ rules: ids.map((id) => ({ method: "POST", pathContains: `${id}/applicationconsents`, action: "status" as const, status: 403 })) });
    const summaryFile = path.join(sandbox.dir, "canary-fails.summary.json");
    const res = await start(["up", "--waves", plan, "--stack-name", "cf-{wave}-{shard}", "--summary", summaryFile]).done;
    expect(res.status).toBe(1);
    const summary = summaryOf(summaryFile, res);
    expect(summary.waves.map((w) => w.status)).toEqual(["stopped", "not started"]);
    expect(summary.stoppedBecause).toMatch(/wave canary had 2 failure\(s\), more than its threshold of 0/);
    const failed = summary.waves[0].shards.flatMap((s) => s.failures);
    expect(failed.map((f) => f.customer).sort()).toEqual([...ids].sort());
    for (const f of failed) expect(f.message).toMatch(/403/);
    expect(res.stderr).toContain(`customer ${ids[0]}`);
    for (const name of names("C", "~")) expect(await consentCount(name)).toBe(0);
  });

  it("resumes after the whole run is killed mid-wave: what succeeded is left as it is, the killed shard is recovered", async () => {
    // The example's own plan: a canary of the customers before C, then the rest.
    const plan = path.join(program, "waves.json");
    const rest = names("C", "~");
    const held = customers.find((c) => c.displayName === rest[rest.length - 1]);
    // One customer's consent create hangs: its shard is surely mid-update when the kill comes (a
    // kill keyed to the runner's progress lines landed after the update on a quiet machine).
    await admin.setFaults({ rules: [{ method: "POST", pathContains: `${held.id}/applicationconsents`, action: "delay", delayMs: 300_000 }] });
    const first = start(["up", "--waves", plan, "--stack-name", "k-{wave}-{shard}"]);
    let exited = false;
    void first.done.then(() => (exited = true));
    const others = [...names("", "C"), ...rest.slice(0, -1)];
    for (;;) {
      const counts = await Promise.all(others.map(consentCount));
      if (counts.every((n) => n === 1) || exited) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(exited).toBe(false);
    // Killed like a cancelled CI job: the runner, its CLIs and their plugins at once.
    killGroup(first.child, "SIGKILL");
    await first.done;
    await admin.setFaults({}); // the held create ends as a reset: the service never made it
    expect(await consentCount(held.displayName)).toBe(0);

    const summaryFile = path.join(sandbox.dir, "killed.summary.json");
    const second = await start(["up", "--waves", plan, "--stack-name", "k-{wave}-{shard}", "--summary", summaryFile]).done;
    const summary = summaryOf(summaryFile, second);
    expect(second.stderr).toMatch(/a killed run left the stack locked/);
    expect(second.status).toBe(0);
    expect(summary.waves.map((w) => w.status)).toEqual(["succeeded", "succeeded"]);
    // The canary finished before the kill: nothing of it is done again.
    for (const s of summary.waves[0].shards) expect(s.changes.create ?? 0).toBe(0);
    expect(summary.waves[1].shards.filter((s) => s.recovered)).toHaveLength(1);
    for (const name of names("", "~")) expect(await consentCount(name)).toBe(1);
    for (const name of withoutRoles) expect(await consentCount(name)).toBe(0);
  }, 600_000);

  it("lets one of two runners started on one plan at once run each shard; the other leaves it to the stack's lock", async () => {
    const plan = writePlan("twins", { stackName: "t-{wave}-{shard}", waves: [{ name: "all", config: { customerFilter: gdap } }] });
    await admin.setLatency({ fixedMs: 300 });
    const files = ["a", "b"].map((x) => path.join(sandbox.dir, `twin-${x}.summary.json`));
    const results = await Promise.all(files.map((f) => start(["up", "--waves", plan, "--summary", f]).done));
    const summaries = files.map((f, i) => summaryOf(f, results[i]));
    const shards = summaries.map((s) => s.waves[0].shards);
    // Never both: for each shard, one runner made its consents; the other found the stack locked (or, had
    // it come later, found them made). Neither took the other's live lock for a killed run's.
    for (const i of [0, 1]) expect(shards.map((s) => s[i]).filter((r) => (r.changes.create ?? 0) > 0)).toHaveLength(1);
    expect(shards.flat().filter((r) => r.status === "locked").length).toBeGreaterThan(0);
    expect(results.map((r) => r.stderr).join("")).not.toMatch(/a killed run left/);
    for (const name of names("", "~")) expect(await consentCount(name)).toBe(1);
  }, 600_000);
});
