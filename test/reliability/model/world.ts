/**
 * The real side of the model-based test: one emulator, one engine sandbox and one copy of the
 * model's program for a whole run; per sequence a reset emulator and two fresh stacks over the same
 * customers. Runs go through the reliability suite's CLI runner (common.ts), so interruptions kill
 * real process groups; README's recovery is one function (`recover`).
 */
import { runReadmeRecovery } from "../recovery";
import { descendantsOf, sandboxProcesses, waitForNoSandboxProcesses } from "../../support/sandboxProcesses";
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { AdminClient, EmulatorHandle } from "../../../emulator";
import { copyProgram, EngineSandbox, exportState, localProgramStack, repoRoot } from "../../support/engine";
import { partnerCenterConfig } from "../../support/stackConfig";
import { CliResult, killGroup, sleep, startCli } from "../common";
import { errorLines } from "../rollouts";
import { Customer, Model, passwordOf, stackCount, toDesiredFile, UserDecl } from "./model";

export type Interruption = "none" | "cli" | "provider" | "group" | "sigint";

/** Faults armed for the next run (scripted ones until a run reaches them): each is one a client with retries survives. */
export interface ArmedFaults {
  rules: { group: string; method?: string; action: string; status?: number; times: number }[];
  limits: Record<string, { requestsPerSecond: number; burst: number; retryAfterSeconds: number; key?: string }>;
  latency?: { fixedMs: number; jitterMs: number; distribution: "exponential"; seed: number };
  /** Advance the service's clock past the tokens' lifetime this many ms into the run. */
  clockJumpAfterMs?: number;
}

export const noFaults = (): ArmedFaults => ({ rules: [], limits: {} });

export interface Totals {
  sequences: number;
  commands: number;
  runs: number;
  faults: number;
  kills: number;
  invariantChecks: number;
  violations: number;
  /** How often each kind of interruption and wrong recovery file really happened (a kill lands only if the run is still going; a file counts once refused), and each kind of object a run made shared by adopt: true (owners.ts). */
  exercised: Record<string, number>;
}

/** The invariants a sequence violated, each as `[kind] after <command>: detail`. */
export class Violation extends Error {
  constructor(
    readonly kinds: string[],
    readonly details: string[],
  ) {
    super(details.join("\n"));
  }
}

export interface RunRecord {
  args: string[];
  result: CliResult;
  interrupted: boolean;
}

const project = "partnercenter-model";
const debugEnv = { PARTNERCENTER_LOG: "debug" };
const progress = / (creating|created|updating|updated|deleting|deleted|replacing|replaced|reading)\b/g;

export class World {
  readonly admin: AdminClient;
  readonly program: string;
  readonly applicationId: string;
  customers: Customer[] = [];
  totals: Totals = { sequences: 0, commands: 0, runs: 0, faults: 0, kills: 0, invariantChecks: 0, violations: 0, exercised: {} };
  /** Per sequence: */
  sequence = 0;
  stackNames: string[] = [];
  salt = "";
  armed: ArmedFaults = noFaults();
  /** The engine's environment for every run of the sequence from now on (`fastMode`: PULUMI_SKIP_CHECKPOINTS=true). */
  engineEnv: Record<string, string> = {};
  /** Every password the sequence's programs used. */
  passwords = new Set<string>();
  /** The sequence's violated invariants so far, and the command being run. */
  violations: { kind: string; detail: string }[] = [];
  currentCommand = "";
  /** Stacks whose state has not been refreshed since an out-of-band change: a plain `up` trusts the state, by design. */
  drifted = new Set<number>();
  /** What the CLI printed since the last secrets scan. */
  transcripts: string[] = [];
  log: (line: string) => void;

  constructor(
    readonly emulator: EmulatorHandle,
    readonly sandbox: EngineSandbox,
    log: (line: string) => void,
    /** The native provider plugin (pulumi-resource-partnercenter, installed in the sandbox's PULUMI_HOME) instead of the dynamic providers. */
    readonly native = false,
  ) {
    this.admin = emulator.admin;
    this.program = copyProgram(sandbox, path.join(repoRoot, "test", "reliability", "model", "program"));
    this.applicationId = emulator.credentials.controlPanelApplicationId;
    this.log = log;
    if (native) execFileSync("bash", [path.join(repoRoot, "scripts", "install-plugin.sh")], { env: { ...process.env, ...sandbox.env }, stdio: "pipe" });
  }

  /** A fresh service (the emulator's seed) and two new, empty stacks with the same customers. */
  async startSequence(): Promise<void> {
    this.sequence++;
    await this.admin.call("POST", "/reset");
    const inv = await this.admin.inventory();
    // Customers with every GDAP role the resources need and nothing of ours in them yet.
    const fit = (inv.customers as any[]).filter(
      (c) =>
        c.gdapRoles.includes("User Administrator") &&
        c.gdapRoles.includes("Cloud Application Administrator") &&
        c.users.length === 0 &&
        c.consents.length === 0,
    );
    this.customers = fit.slice(0, 3).map((c) => ({ id: c.id, domain: c.domains.find((d: any) => !d.federated).name }));
    this.salt = randomBytes(6).toString("hex");
    this.passwords = new Set();
    this.armed = noFaults();
    this.engineEnv = {};
    this.violations = [];
    this.drifted = new Set();
    this.stackNames = Array.from({ length: stackCount }, (_, s) => `q${process.pid}-${this.sequence}-${"ab"[s]}`);
    for (const name of this.stackNames) {
      const stack = await localProgramStack(this.sandbox, this.program, name);
      await stack.setAllConfig({
        ...partnerCenterConfig(this.emulator),
        desiredFile: { value: this.desiredFile(name) },
        passwordSalt: { value: this.salt, secret: true },
        native: { value: String(this.native) },
      });
      fs.writeFileSync(this.desiredFile(name), JSON.stringify({ resources: {} }));
    }
  }

  desiredFile(stackName: string): string {
    return path.join(this.sandbox.dir, `${stackName}.desired.json`);
  }

  /** Writes a stack's desired state where its program reads it, just before a run. */
  writeDesired(model: Model, s: number): void {
    const file = toDesiredFile(model.stacks[s], this.customers, this.applicationId);
    fs.writeFileSync(this.desiredFile(this.stackNames[s]), JSON.stringify(file, null, 2));
    for (const d of Object.values(model.stacks[s].resources)) if (d.kind === "user") this.passwords.add(passwordOf(d as UserDecl, this.salt));
  }

  /** The stack's last checkpoint as `pulumi stack export` shows it (secrets stay ciphertext), read from the file backend. */
  async deployment(s: number): Promise<{ resources: any[]; pending_operations?: any[] }> {
    const file = path.join(this.sandbox.dir, "backend", ".pulumi", "stacks", project, `${this.stackNames[s]}.json`);
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, "utf8");
      this.transcripts.push(text);
      return JSON.parse(text).checkpoint?.latest ?? { resources: [] };
    }
    const text = await exportState(this.sandbox, this.stackNames[s], this.program).catch(() => JSON.stringify({ deployment: {} }));
    this.transcripts.push(text);
    return JSON.parse(text).deployment ?? { resources: [] };
  }

  // ------------------------------------------------------------ faults

  private async metricsCount(): Promise<number> {
    const m = await this.admin.call("GET", "/metrics");
    return Number(m.faultsInjected ?? 0) + Object.values(m.throttled ?? {}).reduce((a: number, b: any) => a + Number(b), 0);
  }

  private async applyFaults(): Promise<void> {
    const a = this.armed;
    if (a.rules.length) await this.admin.call("PUT", "/faults", { rules: a.rules });
    if (Object.keys(a.limits).length) await this.admin.call("PUT", "/limits", a.limits);
    if (a.latency) await this.admin.call("PUT", "/latency", a.latency);
  }

  /** After a run: limits, latency and the clock jump were for that run; scripted faults it did not reach stay armed for the next. */
  private async clearFaults(): Promise<void> {
    const a = this.armed;
    let left: ArmedFaults["rules"] = [];
    if (a.rules.length) {
      left = ((await this.admin.call("GET", "/faults")).rules ?? []) as ArmedFaults["rules"];
      await this.admin.call("PUT", "/faults", {});
    }
    if (Object.keys(a.limits).length) {
      // Back to the service's limits: the defaults for users and consents, none for the other groups.
      const open = Object.fromEntries(Object.keys(a.limits).map((g) => [g, { requestsPerSecond: 1_000_000 }]));
      await this.admin.call("PUT", "/limits", {
        ...open,
        consents: { requestsPerSecond: 50, key: "application", retryAfterSeconds: 1 },
        users: { requestsPerSecond: 10, key: "partnerCustomer", retryAfterSeconds: 1 },
      });
    }
    if (a.latency) await this.admin.call("PUT", "/latency", {});
    this.armed = { ...noFaults(), rules: left };
  }

  // ------------------------------------------------------------ runs

  /**
   * One CLI run of a stack with the armed faults (then cleared), interrupted as asked after `at`
   * progress events. Returns whether the interruption happened (a short run may finish first).
   */
  async run(s: number, args: string[], interruption: Interruption = "none", at = 1, env: Record<string, string> = {}): Promise<RunRecord> {
    const full = [...args, "--stack", this.stackNames[s]];
    const before = await this.metricsCount();
    // Injected statuses, resets and 429s are counted by the service; a latency spike and a clock jump count one each.
    const shaped = (this.armed.latency ? 1 : 0) + (this.armed.clockJumpAfterMs !== undefined ? 1 : 0);
    await this.applyFaults();
    const run = startCli(this.sandbox, full, this.program, { ...debugEnv, ...this.engineEnv, ...env });
    const jump = this.armed.clockJumpAfterMs;
    const jumpTimer =
      jump === undefined ? undefined : setTimeout(() => void this.admin.call("POST", "/clock", { advanceSeconds: 3600 + 120 }).catch(() => undefined), jump);
    const hang = setTimeout(() => killGroup(run.child, "SIGKILL"), 10 * 60_000);
    let interrupted = false;
    if (interruption !== "none") {
      const exited = run.done.then(() => undefined);
      const reached = new Promise<void>((resolve) => {
        let seen = 0;
        run.child.stdout!.on("data", (c: Buffer) => {
          seen += (c.toString().match(progress) ?? []).length;
          if (seen >= at) resolve();
        });
      });
      await Promise.race([reached, exited]);
      if (run.child.exitCode === null && run.child.signalCode === null) {
        interrupted = await this.interrupt(run.child, interruption);
      }
    }
    const result = await run.done;
    clearTimeout(hang);
    if (jumpTimer) clearTimeout(jumpTimer);
    await this.clearFaults();
    this.totals.faults += (await this.metricsCount()) - before + shaped;
    this.totals.runs++;
    if (interrupted) {
      this.totals.kills++;
      this.count(`kill ${interruption}`);
    }
    this.transcripts.push(result.stdout, result.stderr);
    return { args: full, result, interrupted };
  }

  /** Counts one event of a kind in `totals.exercised`. */
  count(kind: string): void {
    this.totals.exercised[kind] = (this.totals.exercised[kind] ?? 0) + 1;
  }

  private async interrupt(child: import("child_process").ChildProcess, how: Interruption): Promise<boolean> {
    switch (how) {
      case "cli":
        // kill -9 of the CLI alone: its language host, program and provider plugins are left running.
        child.kill("SIGKILL");
        return true;
      case "group":
        killGroup(child, "SIGKILL");
        return true;
      case "sigint": {
        // Ctrl-C in a terminal: SIGINT to the foreground process group; the CLI cancels and waits.
        killGroup(child, "SIGINT");
        const t = setTimeout(() => killGroup(child, "SIGKILL"), 120_000);
        await new Promise((r) => child.once("close", r));
        clearTimeout(t);
        return true;
      }
      case "provider": {
        // The provider host starts with the run's first resource request, which may come after the
        // event the kill waits for: wait for it while the run goes on (a crash needs a provider).
        // Found as the CLI's descendant: Pulumi starts each plugin in a process group of its own. The
        // native plugin's wrapper execs node on dist/provider/native/main.js.
        const provider = this.native ? /provider\/native\/main\.js|pulumi-resource-partnercenter/ : /dynamic-provider/;
        const find = () => descendantsOf(sandboxProcesses(this.sandbox), child.pid!).find((p) => provider.test(p.cmd));
        let found = find();
        for (const until = Date.now() + 15_000; !found && Date.now() < until && child.exitCode === null && child.signalCode === null; found = find())
          await sleep(100);
        if (!found) return false;
        try {
          process.kill(found.pid, "SIGKILL");
        } catch {
          return false;
        }
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * After a crash of the provider process alone: no recovery step, only plain `up`s (at most two),
   * with no flag and no file. The create journal lets the first take back what the dead create made.
   */
  async recoverPlain(model: Model, s: number): Promise<{ ok: boolean; ups: number; last?: RunRecord; steps: string[] }> {
    const steps: string[] = [];
    const left = await waitForNoSandboxProcesses(this.sandbox, 30_000);
    if (left.length) steps.push(`still running 30 s after the kill: ${left.map((p) => p.cmd).join("; ")}`);
    this.writeDesired(model, s);
    let last: RunRecord | undefined;
    let ups = 0;
    while (ups < 2 && last?.result.status !== 0) {
      last = await this.run(s, ["up", "--yes", "--skip-preview"], "none", 1);
      ups++;
      steps.push(`plain up ${last.result.status === 0 ? "ok" : "FAILED"}`);
    }
    if (last!.result.status !== 0) steps.push(errorLines(last!.result));
    return { ok: last!.result.status === 0, ups, last, steps };
  }

  /**
   * A recovery file that must be refused, written where the provider reads it for stack `s`: another
   * stack's checkpoint (`foreign`), or this stack's own dated before its runs (`stale`). Returns the
   * environment that names it.
   */
  async wrongRecoveryFile(s: number, which: "foreign" | "stale"): Promise<Record<string, string>> {
    const from = which === "foreign" ? (s + 1) % this.stackNames.length : s;
    const saved = await this.deployment(from);
    // A stack's checkpoint names it from its first run on (its root resource). Before that it names
    // no resource, and the provider uses such a file as naming nothing, whoever's it is: the file is
    // made to name its stack, as a real one does.
    const name = this.stackNames[from];
    const resources = saved.resources?.length
      ? saved.resources
      : [{ urn: `urn:pulumi:${name}::${project}::pulumi:pulumi:Stack::${project}-${name}`, type: "pulumi:pulumi:Stack" }];
    const deployment = { ...saved, resources, manifest: { time: which === "stale" ? "2000-01-01T00:00:00Z" : new Date().toISOString() } };
    const file = path.join(this.program, `wrong-recovery-${this.stackNames[s]}.json`);
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment }));
    return { PARTNERCENTER_RECOVER_FROM: file };
  }

  /**
   * README "Recovering after an interrupted run", as one function: wait until the killed run's
   * processes are gone, release the lock, save the checkpoint with its unfinished creates, forget
   * them, then `up` with PARTNERCENTER_RECOVER_FROM naming the saved file and --continue-on-error,
   * and a plain `up` only when that one did not converge. At most two `up`s.
   */
  async recover(model: Model, s: number): Promise<{ ok: boolean; ups: number; last?: RunRecord; steps: string[] }> {
    const steps: string[] = [];
    const left = await waitForNoSandboxProcesses(this.sandbox, 30_000);
    if (left.length) steps.push(`still running 30 s after the kill: ${left.map((p) => p.cmd).join("; ")}`);
    this.writeDesired(model, s);
    const { last: up, ups } = await runReadmeRecovery(
      this.stackNames[s],
      this.program,
      async (args, env) => {
        const r = await this.run(s, args, "none", 1, env);
        steps.push(`${[...Object.keys(env), args[0]].join(" ")} ${r.result.status === 0 ? "ok" : "FAILED"}`);
        return r;
      },
      (r) => r.result.status,
    );
    if (up.result.status !== 0) steps.push(errorLines(up.result));
    return { ok: up.result.status === 0, ups, last: up, steps };
  }

  async close(): Promise<void> {
    await this.admin.close();
  }
}

export { errorLines };
