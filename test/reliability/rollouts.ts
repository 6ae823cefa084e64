/**
 * The rollout parts of the suite, with the real CLI against the emulator:
 * - faults: a rollout of N customers (a consent and a user each) per fault seed; after the run (and
 *   at most one more `pulumi up`) state and inventory agree exactly;
 * - interruptions: `pulumi up` killed (SIGKILL of the CLI, or SIGINT to its process group as a
 *   terminal's Ctrl-C sends it) at a random point, then README's recovery, then the same comparison.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Prng } from "../../emulator/prng";
import type { AdminClient } from "../../emulator";
import { EngineSandbox, exportState, localProgramStack } from "../support/engine";
import { EmulatorConnection, partnerCenterConfig } from "../support/stackConfig";
import { recover } from "./recovery";
import { waitForNoSandboxProcesses } from "../support/sandboxProcesses";
import { cli, CliResult, CliRun, compare, Comparison, killGroup, Plan, sleep, startCli, writePlan } from "./common";

export interface Env {
  sandbox: EngineSandbox;
  emu: EmulatorConnection;
  admin: AdminClient;
  program: string;
  workDir: string;
  customers: { id: string; domain: string }[];
  /** Everything the CLI and the provider printed, for the secrets scan. */
  transcripts: string[];
  /** Every user password the suite used. */
  passwords: string[];
  log: (line: string) => void;
}

export interface RunRecord {
  name: string;
  ups: number;
  converged: boolean;
  faults: number;
  throttled: number;
  resets: number;
  comparison: Comparison;
  notes: string[];
}

export function planFor(env: Env, n: number, extra: Partial<Plan> = {}): Plan {
  const cs = env.customers.slice(0, n);
  return {
    applicationId: env.emu.credentials.controlPanelApplicationId,
    consentCustomers: cs.map((c) => c.id),
    userCustomers: cs,
    usersPerCustomer: 1,
    ...extra,
  };
}

export async function newStack(env: Env, name: string, plan: Plan, password: string) {
  const stack = await localProgramStack(env.sandbox, env.program, name);
  const planFile = writePlan(env.workDir, name, plan);
  await stack.setAllConfig({
    ...partnerCenterConfig(env.emu),
    planFile: { value: planFile },
    userPassword: { value: password, secret: true },
  });
  env.passwords.push(password);
  return { stack, planFile };
}

const upArgs = (stack: string) => ["up", "--yes", "--skip-preview", "--stack", stack];
const debugEnv = { PARTNERCENTER_LOG: "debug" };

function record(env: Env, r: CliResult) {
  env.transcripts.push(r.stdout, r.stderr);
}

async function metrics(env: Env) {
  const m = await env.admin.call("GET", "/metrics");
  const throttled = Object.values(m.throttled ?? {}).reduce((a: number, b: any) => a + Number(b), 0);
  return { faults: Number(m.faultsInjected ?? 0), throttled, resets: Number(m.connectionResets ?? 0) };
}

export function errorLines(r: CliResult): string {
  return (r.stdout + "\n" + r.stderr)
    .split("\n")
    .filter((l) => /error|Could not/i.test(l))
    .slice(0, 8)
    .join("\n");
}

// ---------------------------------------------------------------- faults

export async function faultRun(env: Env, seed: number, n: number): Promise<RunRecord> {
  await env.admin.call("POST", "/reset");
  await env.admin.call("PUT", "/faults", {
    seed,
    groups: Object.fromEntries(
      ["users", "consents", "graph", "organization", "delegatedAdmin"].map((g) => [
        g,
        { failureRate: 0.1, statuses: [500, 503, 503, 429], resetBeforeCommitRate: 0.05, resetAfterCommitRate: 0.06 },
      ]),
    ),
  });
  // Bursts of 429 (with Retry-After): tight per-partner buckets the rollout's concurrency overruns.
  await env.admin.call("PUT", "/limits", {
    users: { requestsPerSecond: 12, burst: 6, key: "partner", retryAfterSeconds: 1 },
    consents: { requestsPerSecond: 8, burst: 4, key: "application", retryAfterSeconds: 1 },
  });
  // Latency spikes: exponential jitter (mean 25 ms, capped at 250 ms), deterministic from the seed.
  await env.admin.call("PUT", "/latency", { fixedMs: 2, jitterMs: 25, distribution: "exponential", seed });
  const before = await metrics(env);
  const plan = planFor(env, n);
  const name = `faults-${seed}`;
  const password = `Rel-${seed}-Fault!Pw${(seed * 7919) % 10007}`;
  const { stack } = await newStack(env, name, plan, password);
  // What an operator sets for a rollout into heavy throttling (README: maxRetries, default 6): the
  // per-partner 429 bursts here are invisible to the provider's per-customer rate limiter.
  await stack.setConfig("partnercenter:maxRetries", { value: "10" });
  const notes: string[] = [];
  let ups = 1;
  let r = await cli(env.sandbox, upArgs(name), env.program, debugEnv);
  record(env, r);
  if (r.status !== 0) {
    notes.push(`first up failed: ${errorLines(r)}`);
    ups++;
    r = await cli(env.sandbox, upArgs(name), env.program, debugEnv);
    record(env, r);
    if (r.status !== 0) notes.push(`second up failed: ${errorLines(r)}`);
  }
  const after = await metrics(env);
  await env.admin.call("PUT", "/faults", {});
  const state = await exportState(env.sandbox, name, env.program);
  env.transcripts.push(state);
  const comparison = compare(state, await env.admin.inventory(), plan);
  return {
    name,
    ups,
    converged: r.status === 0,
    faults: after.faults - before.faults,
    throttled: after.throttled,
    resets: after.resets,
    comparison,
    notes,
  };
}

// ---------------------------------------------------------------- interruptions

const adoptPattern = /Could not create user (\S+) for customer (\S+): a user with that userPrincipalName already exists \(id ([0-9a-f-]+)\)/g;

export interface KillRecord extends RunRecord {
  signal: NodeJS.Signals;
  afterMs: number;
  pendingBefore: number;
  /** Users that the documented refresh + up could not take back: created on the service, create lost to the state. */
  adoptNeeded: { upn: string; customerId: string; id: string }[];
  /** Pending user creates whose user was already active on the service right after the kill. */
  pendingUsersLanded: number;
  recoverySteps: string[];
  /** Processes of the killed run (language host, program, provider) still running 30 s after the kill. */
  leftoverProcesses: number;
}

/** How long an undisturbed rollout of this size takes here (the kill points are drawn inside it). */
export async function baselineRollout(env: Env, n: number): Promise<number> {
  await env.admin.call("POST", "/reset");
  await env.admin.call("PUT", "/latency", { fixedMs: 40 });
  const plan = planFor(env, n);
  await newStack(env, "baseline", plan, "Rel-Baseline-Pw1!");
  const r = await cli(env.sandbox, upArgs("baseline"), env.program);
  record(env, r);
  if (r.status !== 0) throw new Error(`undisturbed rollout failed:\n${errorLines(r)}`);
  return r.ms;
}

/**
 * Kills the rollout after `target` of the engine's progress events (a resource starting or finishing
 * its create), so kills land anywhere in it rather than during the engine's start-up; a timer bounds
 * the wait in case the output differs. Returns when the killed run's processes are gone.
 */
async function interrupt(env: Env, run: CliRun, signal: NodeJS.Signals, target: number, rolloutMs: number) {
  const started = Date.now();
  const exited = run.done.then(() => true);
  const reached = new Promise<void>((resolve) => {
    let seen = 0;
    run.child.stdout!.on("data", (c: Buffer) => {
      seen += (c.toString().match(/ (creating|created)\b/g) ?? []).length;
      if (seen >= target) resolve();
    });
  });
  await Promise.race([reached, exited, sleep(rolloutMs * 3)]);
  const afterMs = Date.now() - started;
  let killed = false;
  let leftovers: string[] = [];
  if (run.child.exitCode === null && run.child.signalCode === null) {
    killed = true;
    if (signal === "SIGKILL") {
      // kill -9 of the CLI alone, as `kill -9 <pid>` or an OOM kill does: its language host, program
      // and provider are not signalled. They must end by themselves (the provider finishes nothing
      // behind the user's back); the recovery starts only once they have.
      run.child.kill("SIGKILL");
      await run.done;
      leftovers = (await waitForNoSandboxProcesses(env.sandbox, 30_000)).map((p) => p.cmd);
      if (leftovers.length) killGroup(run.child, "SIGKILL");
    } else {
      // Ctrl-C in a terminal: SIGINT to the whole foreground process group. The CLI cancels and
      // waits for the operations in flight; give it 2 minutes before forcing.
      killGroup(run.child, "SIGINT");
      const t = setTimeout(() => killGroup(run.child, "SIGKILL"), 120_000);
      await run.done;
      clearTimeout(t);
    }
  }
  return { afterMs, killed, leftovers, result: await run.done };
}

/** What the kill left: the state's pending operations, and how many of its pending user creates already landed on the service. */
async function pendingAfterKill(env: Env, name: string, notes: string[]): Promise<{ pendingBefore: number; pendingUsersLanded: number }> {
  try {
    const pending: any[] = JSON.parse(await exportState(env.sandbox, name, env.program)).deployment?.pending_operations ?? [];
    const inv = await env.admin.inventory();
    const activeUpns = new Set(
      inv.customers.flatMap((c) => (c.users as any[]).filter((u) => u.state === "active").map((u) => String(u.userPrincipalName).toLowerCase())),
    );
    const pendingUsers = pending.filter((p) => String(p.resource?.type).endsWith(":CustomerUser"));
    const landed = pendingUsers.filter((p) => activeUpns.has(String(p.resource?.inputs?.userPrincipalName).toLowerCase()));
    if (pending.length) {
      const kinds: Record<string, number> = {};
      for (const p of pending) {
        const kind = `${p.type} ${String(p.resource?.type).split(":").pop()}`;
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      }
      notes.push(`pending after the kill: ${JSON.stringify(kinds)}; pending user creates already active on the service: ${landed.length}`);
    }
    return { pendingBefore: pending.length, pendingUsersLanded: landed.length };
  } catch (err) {
    notes.push(`state unreadable right after the kill: ${(err as Error).message.trim()}`);
    keepSandbox(env, `reliability-broken-${name}`, notes);
    return { pendingBefore: -1, pendingUsersLanded: 0 };
  }
}

/** With RELIABILITY_KEEP set, a copy of the sandbox (state, logs) in the temporary directory, for a look afterwards. */
function keepSandbox(env: Env, label: string, notes: string[]): void {
  if (!process.env.RELIABILITY_KEEP) return;
  const copy = path.join(os.tmpdir(), label);
  fs.cpSync(env.sandbox.dir, copy, { recursive: true });
  notes.push(`sandbox copied to ${copy}`);
}

/** The stack's state after the recovery, or an empty one (and a note) when it cannot be read. */
async function stateAfterRecovery(env: Env, name: string, notes: string[]): Promise<string> {
  try {
    return await exportState(env.sandbox, name, env.program);
  } catch (err) {
    notes.push(`state unreadable after recovery: ${(err as Error).message.trim()}`);
    keepSandbox(env, `reliability-broken2-${name}`, notes);
    return JSON.stringify({ deployment: { resources: [] } });
  }
}

export async function killRun(env: Env, index: number, signal: NodeJS.Signals, n: number, rolloutMs: number, rng: Prng): Promise<KillRecord> {
  await env.admin.call("POST", "/reset");
  // A little latency so that a rollout is in flight long enough to be interrupted anywhere in it.
  await env.admin.call("PUT", "/latency", { fixedMs: 40 });
  const plan = planFor(env, n);
  const name = `kill-${index}-${signal.toLowerCase()}`;
  await newStack(env, name, plan, `Rel-${index}-Kill!Pw${signal.length}`);
  const notes: string[] = [];

  const total = plan.consentCustomers.length + plan.userCustomers.length * plan.usersPerCustomer;
  const target = Math.max(1, Math.ceil(2 * total * (0.15 + 0.8 * rng.next())));
  const killed = await interrupt(env, startCli(env.sandbox, upArgs(name), env.program, debugEnv), signal, target, rolloutMs);
  record(env, killed.result);
  if (!killed.killed) notes.push(`the rollout finished before the kill point (event ${target})`);
  notes.push(`killed after ${target} progress event(s) of ${2 * total}`);
  const { pendingBefore, pendingUsersLanded } = await pendingAfterKill(env, name, notes);

  // README "Recovering after an interrupted run" (recovery.ts): at most two ups.
  const recovery = await recover(env.sandbox, name, env.program, debugEnv, (r) => record(env, r));
  if (killed.leftovers.length) notes.push(`processes still running 30 s after the kill: ${killed.leftovers.join("; ")}`);
  if (!recovery.converged) notes.push(`recovery up failed: ${errorLines(recovery.runs[recovery.runs.length - 1])}`);
  const adoptNeeded = recovery.runs.flatMap((r) => [...(r.stdout + r.stderr).matchAll(adoptPattern)]).map((m) => ({ upn: m[1], customerId: m[2], id: m[3] }));
  const state = await stateAfterRecovery(env, name, notes);
  env.transcripts.push(state);
  const comparison = compare(state, await env.admin.inventory(), plan);
  const m = await metrics(env);
  return {
    name,
    signal,
    afterMs: killed.afterMs,
    pendingBefore,
    adoptNeeded: adoptNeeded.filter((a, i, all) => all.findIndex((b) => b.upn === a.upn) === i),
    pendingUsersLanded,
    recoverySteps: recovery.steps,
    ups: recovery.ups,
    converged: recovery.converged && killed.leftovers.length === 0,
    leftoverProcesses: killed.leftovers.length,
    faults: 0,
    throttled: m.throttled,
    resets: 0,
    comparison,
    notes,
  };
}

export function customersOf(inventory: any): { id: string; domain: string }[] {
  const list: any[] = Array.isArray(inventory.customers) ? inventory.customers : Object.values(inventory.customers);
  return list.map((c) => ({ id: c.id, domain: c.domains.find((d: any) => !d.federated).name }));
}
