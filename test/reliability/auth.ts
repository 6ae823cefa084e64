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
import { generatedSeed } from "../../bench/seed";
import { partnerCenterConfig } from "../support/stackConfig";
import { cli, compare } from "./common";
import { Env, newStack, planFor } from "./rollouts";

type CheckFn = (part: string, name: string, ok: boolean, detail?: string) => void;

const pcScope = "https://api.partnercenter.microsoft.com/.default";
const graphScope = "https://graph.microsoft.com/.default";

export async function runAuth(env: Env, check: CheckFn, errors: string[]) {
  const lines: string[] = [];
  let cliRuns = 0;
  const agent = new Agent({ connect: { ca: fs.readFileSync(env.emu.caFile, "utf8") } });
  const { errorFromResponse, isPartnerCenterError } = require("../../provider/errors") as typeof import("../../provider/errors");
  const resources = require("../../provider/resources") as typeof import("../../provider/resources");
  const url = env.emu.endpoints.authorityHost;
  const partnerTenant = env.emu.credentials.partnerTenantId;
  const customer = env.customers[0];

  async function token(tenant: string, form: Record<string, string>): Promise<{ status: number; body: any }> {
    const res = await request(`${url}/${tenant}/oauth2/v2.0/token`, {
      dispatcher: agent,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.statusCode, body: JSON.parse(await res.body.text()) };
  }
  const appToken = async (tenant: string, scope: string) => {
    const t = await token(tenant, { grant_type: "client_credentials", client_id: env.emu.credentials.clientId, client_secret: env.emu.credentials.clientSecret, scope });
    if (t.status !== 200) throw new Error(`token request failed: ${JSON.stringify(t.body)}`);
    return t.body.access_token as string;
  };
  async function callPc(path: string, bearer: string): Promise<{ status: number; body: string }> {
    const res = await request(`${env.emu.endpoints.partnerCenter}/v1/customers/${customer.id}${path}`, {
      dispatcher: agent,
      headers: { authorization: `Bearer ${bearer}`, accept: "application/json" },
    });
    return { status: res.statusCode, body: await res.body.text() };
  }
  const snapshot = async (customerId: string) => {
    const inv = await env.admin.inventory();
    const c = (inv.customers as any[]).find((x) => x.id === customerId);
    return JSON.stringify({ users: c.users, consents: c.consents, servicePrincipals: c.servicePrincipals, grants: c.grants });
  };

  await env.admin.call("POST", "/reset");
  try {
    // ---- crafted tokens, straight at the emulator
    const good = await appToken(partnerTenant, pcScope);
    const sanity = await callPc("/organization", good);
    check("auth", "a valid app-only token reads the organization", sanity.status === 200, `${sanity.status} ${sanity.body}`);

    const forged = await (async () => {
      const { privateKey } = await generateKeyPair("RS256");
      return new SignJWT(decodeJwt(good)).setProtectedHeader(decodeProtectedHeader(good) as any).sign(privateKey);
    })();
    const graphToken = await appToken(partnerTenant, graphScope);
    const customerTenantToken = await appToken(customer.id, pcScope);
    const crafted: { name: string; send: () => Promise<{ status: number; body: string }>; status: number; says: RegExp }[] = [
      {
        name: "expired token",
        send: async () => {
          await env.admin.call("POST", "/clock", { advanceSeconds: 7200 });
          try {
            return await callPc("/organization", good);
          } finally {
            await env.admin.call("POST", "/clock", { advanceSeconds: -7200 });
          }
        },
        status: 401,
        says: /expired/i,
      },
      { name: "wrong-audience token (a Graph token)", send: () => callPc("/organization", graphToken), status: 401, says: /audience/i },
      { name: "wrong-signature token (same claims, another key)", send: () => callPc("/organization", forged), status: 401, says: /signature/i },
      { name: "wrong-tenant token (issued in the customer's tenant)", send: () => callPc("/organization", customerTenantToken), status: 401, says: /tenant/i },
      { name: "app-only token where App+User is required (customer users)", send: () => callPc("/users", good), status: 403, says: /App\+User/i },
    ];
    for (const c of crafted) {
      const before = await snapshot(customer.id);
      const res = await c.send();
      const err = errorFromResponse({ operation: `read customer ${customer.id}`, service: "Partner Center", customerId: customer.id, statusCode: res.status, body: res.body });
      errors.push(err.message);
      const clear = res.status === c.status && c.says.test(err.message) && /To fix:/.test(err.message);
      check("auth", `${c.name}: ${c.status} and a clear message`, clear, `${res.status}: ${err.message}`);
      check("auth", `${c.name}: nothing changed in the customer`, before === (await snapshot(customer.id)));
      lines.push(`${c.name}: ${res.status} -> ${err.message.slice(0, 160)}`);
    }

    // ---- through the provider, in process
    const base = Object.fromEntries(Object.entries(partnerCenterConfig(env.emu)).map(([k, v]) => [k, v.value])) as Record<string, string>;
    let variant = 0;
    const configureWith = async (config: Record<string, string | undefined>) => {
      // A distinct config each time (requestTimeoutMs differs) gives a fresh service context: no token cached.
      const c: Record<string, string | undefined> = { ...config, "partnercenter:requestTimeoutMs": String(60_000 + ++variant) };
      for (const p of [resources.user, resources.consent]) await p.configure({ config: { get: (k: string) => c[k] } });
    };
    const userInputs = (cust: { id: string; domain: string }, alias: string) => ({
      customerId: cust.id, userPrincipalName: `${alias}@${cust.domain}`, displayName: "Auth Test", usageLocation: "US",
      password: "Auth-Test-Passw0rd!", forceChangePassword: true, adopt: false,
    });
    const consentInputs = (cust: { id: string }) => ({
      customerId: cust.id, applicationId: env.emu.credentials.controlPanelApplicationId, displayName: "Auth Test Panel",
      grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }], replaceExisting: false,
    });
    env.passwords.push("Auth-Test-Passw0rd!");
    async function expectFailure(name: string, target: { id: string }, op: () => Promise<unknown>, says: RegExp) {
      const before = await snapshot(target.id);
      let message = "";
      let clean = false;
      try {
        await op();
        message = "(succeeded)";
      } catch (err) {
        message = (err as Error).message;
        clean = isPartnerCenterError(err);
      }
      errors.push(message);
      check("auth", `${name}: a clear error`, clean && says.test(message), message);
      check("auth", `${name}: nothing half-made`, before === (await snapshot(target.id)));
      lines.push(`${name}: ${message.slice(0, 160)}`);
    }

    // A token cached by the provider, then the service's clock passes its expiry.
    await configureWith(base);
    await resources.consent.read(`${customer.id}/x`, consentInputs(customer) as any).catch(() => undefined); // warms the token cache
    const u = resources.user;
    const cachedProbe = await u.create(userInputs(customer, "auth.cached")).then((r) => r.id);
    await env.admin.call("POST", "/clock", { advanceSeconds: 7200 });
    try {
      // MSAL still holds the token as live; the service calls it expired: the call goes once more, with a fresh token.
      const renamed = await u
        .update(cachedProbe, { ...userInputs(customer, "auth.cached"), userId: cachedProbe } as any, { ...userInputs(customer, "auth.cached"), displayName: "Renamed" } as any)
        .then(() => "(applied)", (err: Error) => err.message);
      errors.push(renamed);
      const live = ((await env.admin.inventory()).customers as any[]).find((c) => c.id === customer.id).users.find((x: any) => x.id === cachedProbe);
      check("auth", "expired cached token (service clock moved 2 h): sent again with a fresh token and applied", renamed === "(applied)" && live?.displayName === "Renamed", renamed);
      lines.push(`expired cached token (service clock moved 2 h): ${renamed}`);
    } finally {
      await env.admin.call("POST", "/clock", { advanceSeconds: -7200 });
    }
    await u.delete(cachedProbe, { ...userInputs(customer, "auth.cached") } as any).catch(() => undefined);

    await configureWith({ ...base, "partnercenter:tenantId": "11111111-2222-4333-8444-555555555555" });
    await expectFailure("wrong tenant in the configuration", customer, () => resources.consent.create(consentInputs(customer) as any), /AADSTS|tenant/i);

    await configureWith({ ...base, "partnercenter:clientSecret": "not-the-right-client-secret" });
    await expectFailure("wrong client secret", customer, () => resources.consent.create(consentInputs(customer) as any), /AADSTS7000215|secret/i);

    const noRefresh = { ...base, "partnercenter:refreshToken": undefined };
    await configureWith(noRefresh);
    const chk = await resources.user.check({}, userInputs(customer, "auth.apponly"));
    errors.push(...chk.failures.map((f) => f.reason));
    check("auth", "app-only configuration: CustomerUser check names partnercenter:refreshToken", chk.failures.some((f) => f.property === "partnercenter:refreshToken"), JSON.stringify(chk.failures));
    await expectFailure("app-only configuration: create a customer user", customer, () => resources.user.create(userInputs(customer, "auth.apponly") as any), /App\+User|refreshToken/);
    process.env.PULUMI_CONFIG = JSON.stringify({ ...noRefresh, "partnercenter:refreshToken": undefined });
    const sdk = require("../../sdk/dataSources") as typeof import("../../sdk/dataSources");
    await expectFailure("app-only configuration: getDelegatedAdminCustomers", customer, () => sdk.getDelegatedAdminCustomers({}), /App\+User|refreshToken|403/);
    process.env.PULUMI_CONFIG = JSON.stringify(base);

    await env.admin.call("POST", "/revoke-refresh-token", { refreshToken: env.emu.credentials.refreshToken });
    await configureWith(base);
    await expectFailure("revoked refresh token", customer, () => resources.user.create(userInputs(customer, "auth.revoked") as any), /AADSTS50173|revoked/i);
    await env.admin.call("POST", "/reset");

    // ---- a missing GDAP role: a customer where the partner holds only Global Reader
    const seed = generatedSeed(env.customers.length);
    const noRole = { id: seed.customers[seed.customers.length - 1].id, domain: seed.customers[seed.customers.length - 1].domains[0].name };
    seed.customers[seed.customers.length - 1].gdapRoles = ["Global Reader"];
    await env.admin.call("POST", "/seed", seed);
    await configureWith(base);
    await expectFailure("missing GDAP role: create a customer user", noRole, () => resources.user.create(userInputs(noRole, "auth.gdap") as any), /403.*GDAP|GDAP.*403|role/is);
    await expectFailure("missing GDAP role: consent an application", noRole, () => resources.consent.create(consentInputs(noRole) as any), /403/);

    // ... and the same through the real CLI, next to a customer where it works.
    const plan = { ...planFor(env, 0), consentCustomers: [customer.id, noRole.id], userCustomers: [customer, noRole] };
    await newStack(env, "auth-gdap", plan, "Auth-Gdap-Passw0rd!");
    const r = await cli(env.sandbox, ["up", "--yes", "--skip-preview", "--stack", "auth-gdap"], env.program, { PARTNERCENTER_LOG: "debug" });
    cliRuns++;
    env.transcripts.push(r.stdout, r.stderr);
    errors.push(r.stdout + r.stderr);
    const out = r.stdout + r.stderr;
    check("auth", "CLI: up with a customer lacking GDAP roles fails with a 403 naming GDAP", r.status !== 0 && /403/.test(out) && /GDAP/.test(out), out.slice(-1500));
    const state = await (await import("../support/engine")).exportState(env.sandbox, "auth-gdap", env.program);
    env.transcripts.push(state);
    const cmp = compare(state, await env.admin.inventory(), { ...plan, consentCustomers: [customer.id], userCustomers: [customer] });
    check("auth", "CLI: the customer that works is complete, the one without roles untouched (no orphan, no duplicate)", !cmp.duplicates.length && !cmp.orphans.length && !cmp.lost.length, JSON.stringify(cmp));
    lines.push(`CLI up with a missing GDAP role: exit ${r.status}; state ${cmp.stateUsers} users/${cmp.stateConsents} consents; dup ${cmp.duplicates.length} orphan ${cmp.orphans.length} lost ${cmp.lost.length}`);
  } finally {
    await env.admin.call("POST", "/reset");
    await agent.close();
  }
  return { cliRuns, lines };
}
