/**
 * The same consent rollout done the way people do it today, for comparison with `pulumi up`:
 *  - sequential: a script looping over customers, one POST after another;
 *  - all at once: every POST fired together (Promise.all), with no client-side limit and no retry.
 * Both use a plain undici client and one app-only token from the emulator's token endpoint.
 */
import { randomUUID } from "crypto";
import { Agent, request } from "undici";
import type { EmulatorHandle } from "../emulator";
import { microsoftGraphAppId } from "./seed";

export interface BaselineRun {
  wallMs: number;
  succeeded: number;
  failed: number;
  /** Status (or error code) -> count. */
  outcomes: Record<string, number>;
}

async function appToken(emu: EmulatorHandle, agent: Agent): Promise<string> {
  const res = await request(`${emu.endpoints.authorityHost}/${emu.credentials.partnerTenantId}/oauth2/v2.0/token`, {
    method: "POST",
    dispatcher: agent,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: emu.credentials.clientId,
      client_secret: emu.credentials.clientSecret,
      scope: "https://api.partnercenter.microsoft.com/.default",
    }).toString(),
  });
  const body = (await res.body.json()) as { access_token?: string };
  if (res.statusCode !== 200 || !body.access_token) throw new Error(`token endpoint answered ${res.statusCode}`);
  return body.access_token;
}

async function consent(emu: EmulatorHandle, agent: Agent, token: string, customerId: string, applicationId: string): Promise<string> {
  try {
    const res = await request(`${emu.endpoints.partnerCenter}/v1/customers/${customerId}/applicationconsents`, {
      method: "POST",
      dispatcher: agent,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json",
        "MS-RequestId": randomUUID(),
        "MS-CorrelationId": randomUUID(),
      },
      body: JSON.stringify({
        applicationId,
        displayName: "Bench Control Panel",
        applicationGrants: [{ enterpriseApplicationId: microsoftGraphAppId, scope: "User.Read.All" }],
      }),
    });
    await res.body.dump();
    return String(res.statusCode);
  } catch (err) {
    return (err as { code?: string }).code ?? "error";
  }
}

function tally(outcomes: string[], startMs: number): BaselineRun {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  const succeeded = outcomes.filter((o) => /^2\d\d$/.test(o)).length;
  return { wallMs: Date.now() - startMs, succeeded, failed: outcomes.length - succeeded, outcomes: counts };
}

/** One call after another, as `foreach ($c in $customers) { New-PartnerCustomerApplicationConsent ... }`. */
export async function sequentialRollout(emu: EmulatorHandle, customers: string[], applicationId: string): Promise<BaselineRun> {
  const agent = new Agent({ connect: { ca: emu.caPem } });
  try {
    const start = Date.now();
    const token = await appToken(emu, agent);
    const outcomes: string[] = [];
    for (const c of customers) outcomes.push(await consent(emu, agent, token, c, applicationId));
    return tally(outcomes, start);
  } finally {
    await agent.close();
  }
}

/** Everything at once: no client-side limit (no connection cap either) and no retry. */
export async function allAtOnceRollout(emu: EmulatorHandle, customers: string[], applicationId: string): Promise<BaselineRun> {
  const agent = new Agent({ connect: { ca: emu.caPem }, connections: null });
  try {
    const start = Date.now();
    const token = await appToken(emu, agent);
    const outcomes = await Promise.all(customers.map((c) => consent(emu, agent, token, c, applicationId)));
    return tally(outcomes, start);
  } finally {
    await agent.close();
  }
}
