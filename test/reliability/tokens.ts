/**
 * The token path under faults, with the real CLI: a rollout (a consent and a user per customer) while
 * the token endpoint fails (500/503, resets before an answer, 429 bursts with Retry-After) for every
 * grant type and tenant, with tokens that live shorter than the rollout takes. Every resource must be
 * made by the first `pulumi up`: a token request is retried like an API call, and no request goes
 * out with a token that expired while it waited.
 */
import { generatedSeed } from "../../bench/seed";
import { exportState } from "../support/engine";
import { cli, compare } from "./common";
import { Env, errorLines, newStack, planFor, RunRecord } from "./rollouts";

/** Tokens live this long; the rollout is paced to take about twice as long. */
const tokenLifetimeSeconds = 10;

export async function tokenRun(env: Env, n: number): Promise<RunRecord & { tokenRequests: number; expiredAnswers: number }> {
  await env.admin.call("POST", "/reset");
  const seed = generatedSeed(env.customers.length);
  seed.settings = { ...(seed.settings ?? {}), tokenLifetimeSeconds };
  await env.admin.call("POST", "/seed", seed);
  await env.admin.call("PUT", "/faults", {
    seed: 77,
    groups: { token: { failureRate: 0.25, statuses: [500, 503], resetBeforeCommitRate: 0.1 } },
  });
  await env.admin.call("PUT", "/limits", { token: { requestsPerSecond: 20, burst: 5, key: "partner", retryAfterSeconds: 1 } });
  const plan = planFor(env, n);
  const { stack } = await newStack(env, "tokens", plan, "Rel-Tokens-Passw0rd!");
  // n consents at n/20 per second: the consents' queue is about 20 s, twice a token's life.
  await stack.setConfig("partnercenter:consentRateLimit", { value: String(n / (2 * tokenLifetimeSeconds)) });
  const r = await cli(env.sandbox, ["up", "--yes", "--skip-preview", "--parallel", "64", "--stack", "tokens"], env.program, { PARTNERCENTER_LOG: "debug" });
  env.transcripts.push(r.stdout, r.stderr);
  const m = await env.admin.call("GET", "/metrics");
  const log = await env.admin.call("GET", "/requests?limit=100000");
  const requests = (log.requests ?? log) as any[];
  await env.admin.call("PUT", "/faults", {});
  const state = await exportState(env.sandbox, "tokens", env.program);
  env.transcripts.push(state);
  const comparison = compare(state, await env.admin.inventory(), plan);
  await env.admin.call("POST", "/reset");
  return {
    name: "tokens",
    ups: 1,
    converged: r.status === 0,
    faults: Number(m.faultsInjected ?? 0),
    throttled: Number(m.throttled?.token ?? 0),
    resets: Number(m.connectionResets ?? 0),
    comparison,
    notes: r.status === 0 ? [] : [`up failed: ${errorLines(r)}`],
    tokenRequests: requests.filter((q) => q.group === "token").length,
    expiredAnswers: requests.filter((q) => q.status === 401).length,
  };
}
