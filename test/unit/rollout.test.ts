/** partnercenter-rollout's command line, plan, config file, lock reading and event tracking, without the engine. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { engineEnv } from "../../rollout";
import { parseCommandLine, matrix, usage, UsageError } from "../../rollout/plan";
import { readConfigFile } from "../../rollout/configFile";
import { locksIn } from "../../rollout/locks";
import { newProgress, tracker } from "../../rollout/events";
import { leftover, writeRecoveryFile } from "../../rollout/recoveryFile";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-unit-"));
const program = path.join(dir, "program");
fs.mkdirSync(program);
fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => parseCommandLine(args);
const fails = (args: string[], message: RegExp) => {
  expect(() => run(...args)).toThrow(UsageError);
  expect(() => run(...args)).toThrow(message);
};

describe("the command line", () => {
  it("prints the shards as a CI job matrix", () => {
    expect(run("matrix", "--shards", "3")).toEqual({ kind: "matrix", shards: 3 });
    expect(matrix(3)).toEqual({ include: [{ shard: "1/3" }, { shard: "2/3" }, { shard: "3/3" }] });
  });

  it("names the flag of each mistake before anything runs", () => {
    fails(["up", "--shards", "2"], /--dir <program> is required/);
    fails(["up", "--dir", dir, "--shards", "2"], /--dir .*: no Pulumi.yaml there/);
    fails(["up", "--dir", program, "--shards", "0"], /--shards must be a whole number of at least 1, got "0"/);
    fails(["up", "--dir", program, "--shards", "2.5"], /--shards must be a whole number/);
    fails(["up", "--dir", program], /--shards N is required/);
    fails(["deploy", "--dir", program, "--shards", "2"], /unknown command "deploy"/);
    fails(["up", "--dir", program, "--shards", "2", "--shard", "3/2"], /--shard: shard must look like "2\/4"/);
    fails(["up", "--dir", program, "--shards", "4", "--shard", "1/2"], /--shard 1\/2 is of 2 shards, but --shards says 4/);
    fails(["up", "--dir", program, "--shards", "2", "--waves", path.join(dir, "none.json")], /--waves .*none.json: no such file/);
    fails(["up", "--dir", program, "--shards", "2", "--stack-name", "{wave}"], /gives "rollout" to both wave rollout shard 1\/2 and wave rollout shard 2/);
    fails(["up", "--dir", program, "--shards", "2", "--bogus"], /Unknown option '--bogus'/);
    fails(["matrix", "--shards", "2", "--dir", program], /matrix takes --shards only, not --dir/);
  });

  it("takes --skip-checkpoints (the fast mode) for any command, and gives every stack's CLI PULUMI_SKIP_CHECKPOINTS=true", () => {
    for (const command of ["up", "preview", "refresh", "destroy"]) {
      expect(run(command, "--dir", program, "--shards", "2", "--skip-checkpoints")).toMatchObject({ command, skipCheckpoints: true });
    }
    expect(run("up", "--dir", program, "--shards", "2")).not.toHaveProperty("skipCheckpoints", true);
    expect(engineEnv({ skipCheckpoints: true })).toMatchObject({ PULUMI_SKIP_CHECKPOINTS: "true" });
    // Without the flag the CLI's own environment decides, as for a plain `pulumi up`.
    expect(engineEnv({})).not.toHaveProperty("PULUMI_SKIP_CHECKPOINTS");
    expect(usage).toMatch(/--skip-checkpoints +the fast mode: PULUMI_SKIP_CHECKPOINTS=true/);
  });

  it("takes --preview-only for a refresh, and for nothing else", () => {
    expect(run("refresh", "--dir", program, "--shards", "2", "--preview-only")).toMatchObject({ command: "refresh", previewOnly: true });
    expect(run("refresh", "--dir", program, "--shards", "2")).not.toHaveProperty("previewOnly", true);
    fails(["up", "--dir", program, "--shards", "2", "--preview-only"], /--preview-only is for refresh only, not up/);
  });

  it("takes a shard of a CI matrix without --shards", () => {
    const parsed = run("preview", "--dir", program, "--shard", "2/4");
    expect(parsed).toMatchObject({
      kind: "run",
      command: "preview",
      shards: 4,
      shard: { index: 2, count: 4 },
      plan: { stackName: "{wave}-{shard}of{shards}" },
    });
  });
});

describe("the plan", () => {
  const plan = (body: unknown) => file("plan.json", JSON.stringify(body));
  it("reads the waves in order, with their config and thresholds", () => {
    const waves = [
      { name: "canary", config: { customerFilter: "x", pin: { secret: "s" } }, maxFailures: 0 },
      { name: "rest", config: {} },
    ];
    const parsed = run("up", "--dir", program, "--shards", "2", "--waves", plan({ maxFailures: 3, waves }), "--wave", "rest");
    expect(parsed).toMatchObject({ kind: "run", wave: "rest", plan: { maxFailures: 3, waves } });
  });

  it("names the field of each mistake", () => {
    const args = (body: unknown) => ["up", "--dir", program, "--shards", "2", "--waves", plan(body)];
    fails(args({ waves: [] }), /waves: a plan needs at least one wave/);
    fails(args({ waves: [{ name: "a b" }] }), /waves.0.name: a wave's name may hold letters/);
    fails(args({ waves: [{ name: "a" }, { name: "a" }] }), /the wave name "a" is used twice/);
    fails(args({ waves: [{ name: "a", maxFailures: -1 }] }), /waves.0.maxFailures/);
    fails(args({ waves: [{ name: "a", shard: "1/2" }] }), /Unrecognized key/);
    fails(args({ stackName: "x-{shard}", waves: [{ name: "a" }, { name: "b" }] }), /the plan's stackName "x-\{shard\}" gives "x-1" to both/);
    fails([...args({ waves: [{ name: "a" }] }), "--wave", "b"], /--wave b: the plan has no such wave \(it has a\)/);
    expect(() => run("up", "--dir", program, "--shards", "2", "--waves", file("bad.json", "{"))).toThrow(/--waves .*bad.json: not JSON/);
  });
});

describe("the config file", () => {
  it("sets secrets as secrets, the provider's secret keys too when written plainly", () => {
    const f = file("c.yaml", 'config:\n  partnercenter:clientId: "id"\n  partnercenter:clientSecret: plain\n  pin: { secret: "1234" }\n  count: 3\n');
    expect(readConfigFile(f)).toEqual({
      "partnercenter:clientId": { value: "id", secret: false },
      "partnercenter:clientSecret": { value: "plain", secret: true },
      pin: { value: "1234", secret: true },
      count: { value: "3", secret: false },
    });
  });

  it("names what is wrong in it", () => {
    expect(() => readConfigFile(file("d.yaml", "partnercenter:clientId: x\n"))).toThrow(/--config-file .*d.yaml: .*expected `config:`/);
    expect(() => readConfigFile(file("e.yaml", "config:\n  k: { value: 1 }\n"))).toThrow(/config.k/);
  });
});

describe("stack locks", () => {
  it("reads each holder a self-managed backend names once", () => {
    const stderr =
      "error: the stack is currently locked by 1 lock(s). Either wait …\n  file:///b/.pulumi/locks/organization/p/s/1.json: created by root@vm (pid 3368) at 2026-12-06T20:30:56Z";
    expect(locksIn(`${stderr}\n${stderr}`)).toEqual([{ user: "root", host: "vm", pid: 3368, since: "2026-12-06T20:30:56Z" }]);
    expect(locksIn("[409] Conflict: Another update is currently in progress.")).toEqual([]);
  });
});

describe("the recovery file", () => {
  it("is used only for the stack and backend it names, the older unfinished creates first", () => {
    const f = path.join(dir, "s.interrupted.json");
    const owner = { project: "p", stack: "s", backend: "file:///b" };
    const state = (urn: string) => ({ version: 3, deployment: { pending_operations: [{ type: "creating", resource: { urn } }] } });
    writeRecoveryFile(f, state("old"), [], owner);
    writeRecoveryFile(f, state("new"), leftover(f, owner).pending, owner);
    expect(leftover(f, owner).pending.map((p: any) => p.resource.urn)).toEqual(["old", "new"]);
    expect(leftover(f, { ...owner, stack: "t" })).toEqual({ pending: [], warning: expect.stringMatching(/is of stack p\/s on file:\/\/\/b, not this one/) });
    fs.writeFileSync(f, "{}");
    expect(leftover(f, owner).warning).toMatch(/not a recovery file/);
  });
});

describe("a shard's progress from engine events", () => {
  const urn = (name: string) => `urn:pulumi:s::p::pulumi-nodejs:dynamic/partnercenter:ApplicationConsent::${name}`;
  const meta = (name: string, customerId: string) => ({
    op: "create",
    urn: urn(name),
    type: "pulumi-nodejs:dynamic/partnercenter:ApplicationConsent",
    new: { inputs: { customerId } },
  });
  it("counts resources done of those declared, 429s, and names the customer of each failure", () => {
    const progress = newProgress();
    const feed = tracker(progress);
    const events = [
      { resourcePreEvent: { metadata: { op: "same", urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", type: "pulumi:pulumi:Stack" } } },
      { resourcePreEvent: { metadata: meta("a", "c-a") } },
      { resourcePreEvent: { metadata: meta("b", "c-b") } },
      { resOutputsEvent: { metadata: meta("a", "c-a") } },
      {
        diagnosticEvent: { severity: "info#err", message: "[partnercenter] 429: POST /v1/customers/c-b/applicationconsents (consents|app), waiting 1000 ms\n" },
      },
      { diagnosticEvent: { severity: "error", urn: urn("b"), message: "<{%reset%}>Could not consent … 403<{%reset%}>\n" } },
      { resOpFailedEvent: { metadata: meta("b", "c-b"), status: 1, steps: 0 } },
      { diagnosticEvent: { severity: "error", urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", message: "update failed" } },
      { summaryEvent: { resourceChanges: { create: 1, same: 1 } } },
    ];
    for (const e of events) feed(e as unknown as EngineEvent);
    expect(progress).toEqual({
      total: 2,
      done: 1,
      failed: 1,
      throttled429: 1,
      failures: [{ urn: urn("b"), customer: "c-b", message: "Could not consent … 403" }],
      changes: { create: 1, same: 1 },
    });
  });
});
