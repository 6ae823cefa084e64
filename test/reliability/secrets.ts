/**
 * Secrets: a rollout that uses a client secret, a refresh token and a user password, with everything
 * turned up: the engine's verbose log (`-v=9 --logtostderr`), the provider's debug log
 * (PARTNERCENTER_LOG=debug), a password change (an update that resets it), a failing create (an
 * error message that comes from the service) and `stack export` without --show-secrets. Each text
 * goes into the suite's corpus, which run.ts searches for the secret values.
 */
import { exportState } from "../support/engine";
import { cli } from "./common";
import { Env, newStack, planFor } from "./rollouts";

type CheckFn = (part: string, name: string, ok: boolean, detail?: string) => void;

export async function runSecrets(env: Env, check: CheckFn, _errors: string[]) {
  let cliRuns = 0;
  await env.admin.call("POST", "/reset");
  const plan = planFor(env, Math.min(3, env.customers.length));
  const first = "Secret-Run-Passw0rd!1";
  const second = "Secret-Run-Passw0rd!2";
  const { stack } = await newStack(env, "secrets", plan, first);
  env.passwords.push(second);
  const verbose = ["-v=9", "--logtostderr"];
  const debugEnv = { PARTNERCENTER_LOG: "debug" };
  const texts: string[] = [];
  const run = async (args: string[]) => {
    const r = await cli(env.sandbox, [...args, "--stack", "secrets", ...verbose], env.program, debugEnv);
    cliRuns++;
    env.transcripts.push(r.stdout, r.stderr);
    texts.push(r.stdout, r.stderr);
    return r;
  };

  const up1 = await run(["up", "--yes", "--skip-preview"]);
  check("secrets", "verbose rollout succeeds", up1.status === 0, up1.stderr.slice(-800));
  await stack.setConfig("userPassword", { value: second, secret: true });
  const up2 = await run(["up", "--yes", "--skip-preview"]);
  check("secrets", "password change (reset) succeeds", up2.status === 0 && /updated/.test(up2.stdout), up2.stdout.slice(-800));
  const preview = await run(["preview", "--diff", "--refresh"]);
  check("secrets", "preview --diff --refresh succeeds", preview.status === 0, preview.stderr.slice(-800));

  // Creates that fail at the service (an injected 400 on every user POST): error messages too.
  const failing = { ...plan, usersPerCustomer: 2 };
  const planFile = (await stack.getConfig("planFile")).value;
  (await import("fs")).writeFileSync(planFile, JSON.stringify(failing));
  await env.admin.call("PUT", "/faults", { rules: [{ group: "users", method: "POST", action: "status", status: 400, times: 100 }] });
  const up3 = await run(["up", "--yes", "--skip-preview"]);
  await env.admin.call("PUT", "/faults", {});
  check(
    "secrets",
    "a failing run (the service refuses the creates) fails with a message",
    up3.status !== 0 && /Could not create user/.test(up3.stdout + up3.stderr),
    (up3.stdout + up3.stderr).slice(-800),
  );

  // The same rollout with the credentials in environment variables (what a CI sets) instead of stack
  // config: the engine never holds them, so even its -v=9 trace cannot show them.
  await env.admin.call("POST", "/reset");
  const envPlan = planFor(env, Math.min(2, env.customers.length));
  const { stack: envStack } = await newStack(env, "secrets-env", envPlan, first);
  await envStack.removeAllConfig(["partnercenter:clientSecret", "partnercenter:refreshToken"]);
  const envRun = await cli(env.sandbox, ["up", "--yes", "--skip-preview", "--stack", "secrets-env", ...verbose], env.program, {
    ...debugEnv,
    PARTNERCENTER_CLIENT_SECRET: env.emu.credentials.clientSecret,
    PARTNERCENTER_REFRESH_TOKEN: env.emu.credentials.refreshToken,
  });
  cliRuns++;
  env.transcripts.push(envRun.stdout, envRun.stderr);
  const envOut = envRun.stdout + envRun.stderr;
  check("secrets", "credentials from environment variables: verbose rollout succeeds", envRun.status === 0, envOut.slice(-800));
  check(
    "secrets",
    "credentials from environment variables: neither the client secret nor the refresh token appears anywhere, -v=9 trace included",
    !envOut.includes(env.emu.credentials.clientSecret) && !envOut.includes(env.emu.credentials.refreshToken),
  );

  const state = await exportState(env.sandbox, "secrets", env.program);
  env.transcripts.push(state);
  texts.push(state);
  check(
    "secrets",
    "the export has the resources (so an absent secret means something)",
    state.includes(`rel.user1@${env.customers[0].domain}`) && state.includes("ciphertext"),
  );
  const providerLog = texts
    .join("\n")
    .split("\n")
    .filter((l) => l.includes("[partnercenter]"));
  check("secrets", "the provider's debug log was captured", providerLog.length > 10, `${providerLog.length} lines`);
  check("secrets", "the engine's verbose log was captured", texts.join("\n").length > 200_000, `${texts.join("\n").length} chars`);
  await env.admin.call("POST", "/reset");
  return { cliRuns, providerLogLines: providerLog.length, verboseChars: texts.join("\n").length };
}
