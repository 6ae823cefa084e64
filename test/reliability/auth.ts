/**
 * Auth failures. Crafted tokens (expired, wrong audience, wrong signature, wrong tenant, app-only where
 * App+User is required) are sent to the emulator directly, and their answers are turned into the
 * message a user would see by the provider's own errorFromResponse. Configuration-made failures (a
 * revoked refresh token, a wrong tenant or secret, no refresh token, a missing GDAP role) go through
 * the provider in process, and one through the real CLI. Each must end in a clear error, and the
 * customer's tenant must be exactly as before: nothing half-made. A cached token that the service
 * calls expired (its clock moved 2 h) is not a failure: the call goes again with a fresh token.
 */
import * as fs from "fs";
import { generateKeyPair, SignJWT, decodeProtectedHeader, decodeJwt } from "jose";
import { Agent, request } from "undici";
import * as pulumi from "@pulumi/pulumi";
import { generatedSeed } from "../../bench/seed";
import { errorFromResponse, isPartnerCenterError } from "../../provider/errors";
import { exportState } from "../support/engine";
import { partnerCenterConfig } from "../support/stackConfig";
import { cli, compare } from "./common";
import { Env, newStack, planFor } from "./rollouts";

type CheckFn = (part: string, name: string, ok: boolean, detail?: string) => void;

const pcScope = "https://api.partnercenter.microsoft.com/.default";
const graphScope = "https://graph.microsoft.com/.default";

type Resources = typeof import("../../provider/resources");

/** What the steps of one auth run share. */
interface AuthRun {
  env: Env;
  check: CheckFn;
  errors: string[];
  lines: string[];
  agent: Agent;
  customer: { id: string; domain: string };
  resources: Resources;
  base: Record<string, string>;
}

/** The customer's users, consents, service principals and grants, to compare before and after. */
async function snapshot(env: Env, customerId: string): Promise<string> {
  const c = (await env.admin.inventory()).customers.find((x) => x.id === customerId);
  return JSON.stringify({ users: c?.users, consents: c?.consents, servicePrincipals: c?.servicePrincipals, grants: c?.grants });
}

async function requestToken(run: AuthRun, tenant: string, form: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await request(`${run.env.emu.endpoints.authorityHost}/${tenant}/oauth2/v2.0/token`, {
    dispatcher: run.agent,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.statusCode, body: JSON.parse(await res.body.text()) };
}

async function appToken(run: AuthRun, tenant: string, scope: string): Promise<string> {
  const { clientId, clientSecret } = run.env.emu.credentials;
  const t = await requestToken(run, tenant, { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope });
  if (t.status !== 200) throw new Error(`token request failed: ${JSON.stringify(t.body)}`);
  return t.body.access_token as string;
}

async function callPartnerCenter(run: AuthRun, path: string, bearer: string): Promise<{ status: number; body: string }> {
  const res = await request(`${run.env.emu.endpoints.partnerCenter}/v1/customers/${run.customer.id}${path}`, {
    dispatcher: run.agent,
    headers: { authorization: `Bearer ${bearer}`, accept: "application/json" },
  });
  return { status: res.statusCode, body: await res.body.text() };
}

/** Crafted tokens, straight at the emulator: each answer, as the provider's errorFromResponse words it, is clear, and nothing changes. */
async function craftedTokens(run: AuthRun): Promise<void> {
  const { env, check, customer } = run;
  const partnerTenant = env.emu.credentials.partnerTenantId;
  const good = await appToken(run, partnerTenant, pcScope);
  const sanity = await callPartnerCenter(run, "/organization", good);
  check("auth", "a valid app-only token reads the organization", sanity.status === 200, `${sanity.status} ${sanity.body}`);

  const { privateKey } = await generateKeyPair("RS256");
  const forged = await new SignJWT(decodeJwt(good)).setProtectedHeader(decodeProtectedHeader(good) as any).sign(privateKey);
  const graphToken = await appToken(run, partnerTenant, graphScope);
  const customerTenantToken = await appToken(run, customer.id, pcScope);
  const expired = async () => {
    await env.admin.advanceClock(7200);
    try {
      return await callPartnerCenter(run, "/organization", good);
    } finally {
      await env.admin.advanceClock(-7200);
    }
  };
  const crafted: { name: string; send: () => Promise<{ status: number; body: string }>; status: number; says: RegExp }[] = [
    { name: "expired token", send: expired, status: 401, says: /expired/i },
    { name: "wrong-audience token (a Graph token)", send: () => callPartnerCenter(run, "/organization", graphToken), status: 401, says: /audience/i },
    { name: "wrong-signature token (same claims, another key)", send: () => callPartnerCenter(run, "/organization", forged), status: 401, says: /signature/i },
    {
      name: "wrong-tenant token (issued in the customer's tenant)",
      send: () => callPartnerCenter(run, "/organization", customerTenantToken),
      status: 401,
      says: /tenant/i,
    },
    { name: "app-only token where App+User is required (customer users)", send: () => callPartnerCenter(run, "/users", good), status: 403, says: /App\+User/i },
  ];
  for (const c of crafted) {
    const before = await snapshot(env, customer.id);
    const res = await c.send();
    const err = errorFromResponse({
      operation: `read customer ${customer.id}`,
      service: "Partner Center",
      customerId: customer.id,
      statusCode: res.status,
      body: res.body,
    });
    run.errors.push(err.message);
    const clear = res.status === c.status && c.says.test(err.message) && /To fix:/.test(err.message);
    check("auth", `${c.name}: ${c.status} and a clear message`, clear, `${res.status}: ${err.message}`);
    check("auth", `${c.name}: nothing changed in the customer`, before === (await snapshot(env, customer.id)));
    run.lines.push(`${c.name}: ${res.status} -> ${err.message.slice(0, 160)}`);
  }
}

let variant = 0;
/** Configures the providers; a distinct config each time (requestTimeoutMs differs) gives a fresh service context, with no token cached. */
async function configureWith(run: AuthRun, config: Record<string, string | undefined>): Promise<void> {
  const c: Record<string, string | undefined> = { ...config, "partnercenter:requestTimeoutMs": String(60_000 + ++variant) };
  for (const p of [run.resources.user, run.resources.consent]) await p.configure({ config: { get: (k: string) => c[k] } });
}

const userInputs = (cust: { id: string; domain: string }, alias: string) => ({
  customerId: cust.id,
  userPrincipalName: `${alias}@${cust.domain}`,
  displayName: "Auth Test",
  usageLocation: "US",
  password: "Auth-Test-Passw0rd!",
  forceChangePassword: true,
  adopt: false,
});

const consentInputs = (env: Env, cust: { id: string }) => ({
  customerId: cust.id,
  applicationId: env.emu.credentials.controlPanelApplicationId,
  displayName: "Auth Test Panel",
  grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
  replaceExisting: false,
});

/** `op` fails with a PartnerCenterError that `says` what is wrong, and leaves the customer as it was. */
async function expectFailure(run: AuthRun, name: string, target: { id: string }, op: () => Promise<unknown>, says: RegExp): Promise<void> {
  const before = await snapshot(run.env, target.id);
  let message = "(succeeded)";
  let clean = false;
  try {
    await op();
  } catch (err) {
    message = (err as Error).message;
    clean = isPartnerCenterError(err);
  }
  run.errors.push(message);
  run.check("auth", `${name}: a clear error`, clean && says.test(message), message);
  run.check("auth", `${name}: nothing half-made`, before === (await snapshot(run.env, target.id)));
  run.lines.push(`${name}: ${message.slice(0, 160)}`);
}

/** A token cached by the provider, then the service's clock passes its expiry: the call goes once more, with a fresh token. */
async function cachedTokenExpires(run: AuthRun): Promise<void> {
  const { env, customer, resources } = run;
  await configureWith(run, run.base);
  await resources.consent.read(`${customer.id}/x`, consentInputs(env, customer) as any).catch(() => undefined); // warms the token cache
  const u = resources.user;
  const probe = await u.create(userInputs(customer, "auth.cached")).then((r) => r.id);
  await env.admin.advanceClock(7200);
  try {
    // MSAL still holds the token as live; the service calls it expired.
    const inputs = userInputs(customer, "auth.cached");
    const renamed = await u.update(probe, { ...inputs, userId: probe } as any, { ...inputs, displayName: "Renamed" } as any).then(
      () => "(applied)",
      (err: Error) => err.message,
    );
    run.errors.push(renamed);
    const live = (await env.admin.inventory()).customers.find((c) => c.id === customer.id)?.users.find((x: any) => x.id === probe);
    run.check(
      "auth",
      "expired cached token (service clock moved 2 h): sent again with a fresh token and applied",
      renamed === "(applied)" && live?.displayName === "Renamed",
      renamed,
    );
    run.lines.push(`expired cached token (service clock moved 2 h): ${renamed}`);
  } finally {
    await env.admin.advanceClock(-7200);
  }
  await u.delete(probe, { ...userInputs(customer, "auth.cached") } as any).catch(() => undefined);
}

/** Configuration-made failures, through the provider in process: a wrong tenant or secret, no refresh token, a revoked one. */
async function configurationFailures(run: AuthRun): Promise<void> {
  const { env, customer, resources, base } = run;
  await configureWith(run, { ...base, "partnercenter:tenantId": "11111111-2222-4333-8444-555555555555" });
  await expectFailure(
    run,
    "wrong tenant in the configuration",
    customer,
    () => resources.consent.create(consentInputs(env, customer) as any),
    /AADSTS|tenant/i,
  );

  await configureWith(run, { ...base, "partnercenter:clientSecret": "not-the-right-client-secret" });
  await expectFailure(run, "wrong client secret", customer, () => resources.consent.create(consentInputs(env, customer) as any), /AADSTS7000215|secret/i);

  const noRefresh = { ...base, "partnercenter:refreshToken": undefined };
  await configureWith(run, noRefresh);
  const chk = await resources.user.check({}, userInputs(customer, "auth.apponly"));
  run.errors.push(...chk.failures.map((f) => f.reason));
  const named = chk.failures.some((f) => f.property === "partnercenter:refreshToken");
  run.check("auth", "app-only configuration: CustomerUser check names partnercenter:refreshToken", named, JSON.stringify(chk.failures));
  await expectFailure(
    run,
    "app-only configuration: create a customer user",
    customer,
    () => resources.user.create(userInputs(customer, "auth.apponly") as any),
    /App\+User|refreshToken/,
  );
  // The program's config store reads PULUMI_CONFIG once, at the first data-source call of this process
  // (the bad-input run's): set it the way the Automation API does, in the store itself.
  pulumi.runtime.setAllConfig(withoutUnset(noRefresh));
  const sdk = await import("../../sdk/dataSources");
  await expectFailure(
    run,
    "app-only configuration: getDelegatedAdminCustomers",
    customer,
    () => sdk.getDelegatedAdminCustomers({}),
    /App\+User|refreshToken|403/,
  );
  pulumi.runtime.setAllConfig(withoutUnset(base));

  await env.admin.revokeRefreshToken({ refreshToken: env.emu.credentials.refreshToken });
  await configureWith(run, base);
  await expectFailure(run, "revoked refresh token", customer, () => resources.user.create(userInputs(customer, "auth.revoked") as any), /AADSTS50173|revoked/i);
  await env.admin.reset();
}

/** A customer where the partner holds only Global Reader: in process, then through the real CLI next to a customer where it works. */
async function missingGdapRole(run: AuthRun): Promise<number> {
  const { env, customer, resources } = run;
  const seed = generatedSeed(env.customers.length);
  const last = seed.customers[seed.customers.length - 1];
  const noRole = { id: last.id, domain: last.domains[0].name };
  last.gdapRoles = ["Global Reader"];
  await env.admin.loadSeed(seed);
  await configureWith(run, run.base);
  await expectFailure(
    run,
    "missing GDAP role: create a customer user",
    noRole,
    () => resources.user.create(userInputs(noRole, "auth.gdap") as any),
    /403.*GDAP|GDAP.*403|role/is,
  );
  await expectFailure(run, "missing GDAP role: consent an application", noRole, () => resources.consent.create(consentInputs(env, noRole) as any), /403/);

  const plan = { ...planFor(env, 0), consentCustomers: [customer.id, noRole.id], userCustomers: [customer, noRole] };
  await newStack(env, "auth-gdap", plan, "Auth-Gdap-Passw0rd!");
  // --continue-on-error, as a rollout runs: without it the engine starts no new step after the first
  // failure, so whether the working customer's creates had begun by then was a race (CI lost one).
  const r = await cli(env.sandbox, ["up", "--yes", "--skip-preview", "--continue-on-error", "--stack", "auth-gdap"], env.program, {
    PARTNERCENTER_LOG: "debug",
  });
  env.transcripts.push(r.stdout, r.stderr);
  run.errors.push(r.output);
  run.check(
    "auth",
    "CLI: up with a customer lacking GDAP roles fails with a 403 naming GDAP",
    r.status !== 0 && /403/.test(r.output) && /GDAP/.test(r.output),
    r.output.slice(-1500),
  );
  const state = await exportState(env.sandbox, "auth-gdap", env.program);
  env.transcripts.push(state);
  const cmp = compare(state, await env.admin.inventory(), { ...plan, consentCustomers: [customer.id], userCustomers: [customer] });
  const clean = !cmp.duplicates.length && !cmp.orphans.length && !cmp.lost.length;
  run.check("auth", "CLI: the customer that works is complete, the one without roles untouched (no orphan, no duplicate)", clean, JSON.stringify(cmp));
  run.lines.push(
    `CLI up with a missing GDAP role: exit ${r.status}; state ${cmp.stateUsers} users/${cmp.stateConsents} consents; dup ${cmp.duplicates.length} orphan ${cmp.orphans.length} lost ${cmp.lost.length}`,
  );
  return 1;
}

export async function runAuth(env: Env, check: CheckFn, errors: string[]) {
  const run: AuthRun = {
    env,
    check,
    errors,
    lines: [],
    agent: new Agent({ connect: { ca: fs.readFileSync(env.emu.caFile, "utf8") } }),
    customer: env.customers[0],
    resources: await import("../../provider/resources"),
    base: Object.fromEntries(Object.entries(partnerCenterConfig(env.emu)).map(([k, v]) => [k, v.value])),
  };
  env.passwords.push("Auth-Test-Passw0rd!");
  let cliRuns = 0;
  await env.admin.reset();
  try {
    await craftedTokens(run);
    await cachedTokenExpires(run);
    await configurationFailures(run);
    cliRuns += await missingGdapRole(run);
  } finally {
    await env.admin.reset();
    await run.agent.close();
  }
  return { cliRuns, lines: run.lines };
}

/** A config map without the keys a case unsets, as the store holds it (strings only). */
function withoutUnset(config: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter((e): e is [string, string] => e[1] !== undefined));
}
