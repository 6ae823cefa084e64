/**
 * Shared pieces of the reliability suite: the CLI runner (with process groups, so the suite can kill a
 * `pulumi up` like a cancelled CI job and clean up what it started), the plan of a rollout, and the
 * comparison of a stack's state with the emulator's inventory.
 */
import * as fs from "fs";
import * as path from "path";
import { EngineSandbox, startPulumi } from "../support/engine";
import type { ProcessResult, StartedProcess } from "../support/process";

export { killGroup } from "../support/process";
export type CliResult = ProcessResult;
export type CliRun = StartedProcess;

/** Starts the CLI in its own process group (detached), so the suite can signal it and clean up its children. */
export function startCli(sandbox: EngineSandbox, args: string[], cwd: string, extraEnv: Record<string, string> = {}): CliRun {
  return startPulumi(sandbox, args, cwd, { env: extraEnv, detached: true });
}

/** Runs the CLI to the end (bounded: a hung run is killed, with its process group, after `timeoutMs`). */
export function cli(sandbox: EngineSandbox, args: string[], cwd: string, extraEnv: Record<string, string> = {}, timeoutMs = 15 * 60_000): Promise<CliResult> {
  return startPulumi(sandbox, args, cwd, { env: extraEnv, detached: true, timeoutMs }).done;
}

export { setTimeout as sleep } from "timers/promises";

// ---------------------------------------------------------------- plans

export interface Plan {
  applicationId: string;
  consentCustomers: string[];
  userCustomers: { id: string; domain: string }[];
  usersPerCustomer: number;
  adoptUpns?: string[];
  badUsers?: unknown[];
  badConsents?: unknown[];
  badFilter?: unknown;
  badTenantId?: unknown;
}

export const upnOf = (domain: string, i: number) => `rel.user${i}@${domain}`;

export function writePlan(dir: string, name: string, plan: Plan): string {
  const file = path.join(dir, `${name}.plan.json`);
  fs.writeFileSync(file, JSON.stringify(plan, null, 2));
  return file;
}

// ---------------------------------------------------------------- state vs inventory

const values = <T>(x: Record<string, T> | T[] | undefined): T[] => (Array.isArray(x) ? x : Object.values(x ?? {}));

export interface Comparison {
  duplicates: string[];
  orphans: string[];
  lost: string[];
  pendingOperations: number;
  stateUsers: number;
  stateConsents: number;
}

/**
 * The stack's state and the emulator agree exactly, customer by customer:
 * - duplicates: the same UPN twice (active or soft-deleted), two service principals for the consented
 *   application, two grants of that principal for the same resource;
 * - orphans: an active user, a consent, the application's service principal or a grant that no
 *   resource in the state accounts for;
 * - lost: a resource of the state whose object is gone or different on the service, or a resource
 *   of the plan that is neither in the state nor on the service.
 */
export function compare(stateJson: string, inventory: any, plan: Plan): Comparison {
  const deployment = JSON.parse(stateJson).deployment ?? {};
  const resources: any[] = deployment.resources ?? [];
  const users = resources.filter((r) => String(r.type).endsWith(":CustomerUser"));
  const consents = resources.filter((r) => String(r.type).endsWith(":ApplicationConsent"));
  const out: Comparison = {
    duplicates: [],
    orphans: [],
    lost: [],
    pendingOperations: (deployment.pending_operations ?? []).length,
    stateUsers: users.length,
    stateConsents: consents.length,
  };
  const plannedUpns = plannedUpnsByCustomer(plan);
  for (const c of values<any>(inventory.customers)) {
    compareUsers(c, users, plannedUpns.get(c.id) ?? new Set(), out);
    compareConsents(c, consents, plan, out);
  }
  return out;
}

/** The UPNs the plan declares, lowercased, by customer id. */
function plannedUpnsByCustomer(plan: Plan): Map<string, Set<string>> {
  const plannedUpns = new Map<string, Set<string>>();
  for (const c of plan.userCustomers) {
    const set = new Set<string>();
    for (let i = 1; i <= plan.usersPerCustomer; i++) set.add(upnOf(c.domain, i).toLowerCase());
    plannedUpns.set(c.id, set);
  }
  return plannedUpns;
}

/** One customer's users against the state's: a UPN twice (any state), an active user the state lacks, a state's or planned user not on the service. */
function compareUsers(c: any, users: any[], plannedUpns: Set<string>, out: Comparison): void {
  const cid = c.id as string;
  const invUsers = values<any>(c.users);
  const stUsers = users.filter((r) => r.outputs?.customerId === cid);
  // duplicates by UPN, any state
  const byUpn = new Map<string, any[]>();
  for (const u of invUsers) {
    const k = String(u.userPrincipalName).toLowerCase();
    byUpn.set(k, [...(byUpn.get(k) ?? []), u]);
  }
  for (const [upn, list] of byUpn)
    if (list.length > 1) out.duplicates.push(`user ${upn} x${list.length} in ${cid} (${list.map((u) => `${u.id}:${u.state}`).join(", ")})`);
  for (const u of invUsers.filter((u) => u.state === "active")) {
    if (!stUsers.some((r) => r.id === u.id)) out.orphans.push(`active user ${u.userPrincipalName} (${u.id}) in ${cid} is not in the state`);
  }
  for (const r of stUsers) {
    const live = invUsers.find((u) => u.id === r.id);
    if (!live || live.state !== "active")
      out.lost.push(`user ${r.outputs?.userPrincipalName} (${r.id}) in the state is ${live ? live.state : "gone"} in ${cid}`);
    else if (String(live.userPrincipalName).toLowerCase() !== String(r.outputs?.userPrincipalName).toLowerCase())
      out.lost.push(`user ${r.id}: state says ${r.outputs?.userPrincipalName}, service ${live.userPrincipalName}`);
  }
  for (const upn of plannedUpns) {
    if (!stUsers.some((r) => String(r.outputs?.userPrincipalName).toLowerCase() === upn)) out.lost.push(`planned user ${upn} in ${cid} is not in the state`);
  }
}

/**
 * One customer's consent of the plan's application, with its service principal and grants, against the state's: a second one of
 * each, one the state lacks, the state's (or the plan's) missing on the service or granting other scopes.
 */
function compareConsents(c: any, consents: any[], plan: Plan, out: Comparison): void {
  const cid = c.id as string;
  const appId = plan.applicationId.toLowerCase();
  const invConsent = values<any>(c.consents).filter((x) => String(x.applicationId).toLowerCase() === appId);
  const stConsent = consents.filter((r) => r.outputs?.customerId === cid && String(r.outputs?.applicationId).toLowerCase() === appId);
  const sps = values<any>(c.servicePrincipals).filter((s) => String(s.appId).toLowerCase() === appId);
  const spIds = new Set(sps.map((s) => s.id));
  const grants = values<any>(c.grants).filter((g) => spIds.has(g.clientId));
  if (stConsent.length > 1) out.duplicates.push(`consent ${appId} x${stConsent.length} in the state for ${cid}`);
  if (sps.length > 1) out.duplicates.push(`service principal of ${appId} x${sps.length} in ${cid}`);
  const byResource = new Map<string, number>();
  for (const g of grants) byResource.set(`${g.clientId}|${g.resourceId}`, (byResource.get(`${g.clientId}|${g.resourceId}`) ?? 0) + 1);
  for (const [k, n] of byResource) if (n > 1) out.duplicates.push(`grant ${k} x${n} in ${cid}`);
  if (stConsent.length === 0) {
    if (invConsent.length) out.orphans.push(`consent ${appId} in ${cid} is not in the state`);
    if (sps.length) out.orphans.push(`service principal ${sps.map((s) => s.id).join(",")} of ${appId} in ${cid} is not in the state`);
    if (grants.length) out.orphans.push(`${grants.length} grant(s) of ${appId} in ${cid} not in the state`);
    if (plan.consentCustomers.includes(cid)) out.lost.push(`planned consent in ${cid} is not in the state`);
    return;
  }
  if (!invConsent.length) out.lost.push(`consent in the state for ${cid} is gone from the service`);
  if (!sps.length) out.lost.push(`consent in the state for ${cid} has no service principal`);
  out.lost.push(...grantsLost(c, stConsent[0], grants));
}

/** The state consent's grants that the service lacks or holds with other scopes (on Microsoft Graph's service principal). */
function grantsLost(c: any, stConsent: any, grants: any[]): string[] {
  const cid = c.id as string;
  const want = (stConsent.outputs?.grants ?? []) as { enterpriseApplicationId: string; scopes: string[] }[];
  const graphSp = values<any>(c.servicePrincipals).find((s) => s.appId === "00000003-0000-0000-c000-000000000000");
  const out: string[] = [];
  for (const g of want) {
    const got = grants.find((x) => graphSp && x.resourceId === graphSp.id);
    const scopes = String(got?.scope ?? "")
      .split(/[\s,]+/)
      .filter(Boolean)
      .sort()
      .join(" ");
    if (!got || scopes !== [...g.scopes].sort().join(" "))
      out.push(`consent in ${cid}: grant on ${g.enterpriseApplicationId} is ${got ? `'${got.scope}'` : "missing"}, state says '${g.scopes.join(" ")}'`);
  }
  return out;
}

/** Counts occurrences of each secret in a text. */
export function secretHits(text: string, secrets: Record<string, string>): { name: string; count: number; where: string }[] {
  const hits: { name: string; count: number; where: string }[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (!value) continue;
    const count = text.split(value).length - 1;
    if (count) {
      const i = text.indexOf(value);
      hits.push({ name, count, where: text.slice(Math.max(0, i - 120), i + value.length + 40).replace(value, `<<${name}>>`) });
    }
  }
  return hits;
}
