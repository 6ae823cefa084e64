/**
 * GDAP on the emulator's clock: what time does to relationships, and the roles the partner holds in
 * a customer because of them.
 */
import { builtInRoleName } from "../../provider/clients/builtInRoles";
import type { Customer, DelegatedAdminAccessAssignment, DelegatedAdminRelationship } from "../store/model";
import type { IStore as Store } from "../store/store";
import type { Services } from "../services";
import { settleOperations } from "./operations";

/** `PnD`: GDAP durations are whole days (Graph: between P1D and P2Y, i.e. P730D). */
export function durationDays(duration: string): number | undefined {
  const m = /^P(\d{1,4})D$/.exec(duration);
  return m ? Number(m[1]) : undefined;
}

const dayMs = 86_400_000;
/** Chosen: an approval link not used within 90 days expires the relationship (Partner Center's invitation lifetime). */
export const approvalWindowDays = 90;
/** Chosen: a termination asked for is deprovisioned (terminating) after a minute and done (terminated) after two. */
export const terminationStepMs = 60_000;

/** When a relationship in this state next moves on its own (Infinity: never, it has ended or waits on nobody's clock). */
function dueMs(r: DelegatedAdminRelationship): number {
  if (r.status === "active" && r.endDateTime) return Date.parse(r.endDateTime);
  if (r.status === "approvalPending") return Date.parse(r.lastModifiedDateTime) + approvalWindowDays * dayMs;
  if (r.status === "terminationRequested" || r.status === "terminating") return Date.parse(r.lastModifiedDateTime) + terminationStepMs;
  return Infinity;
}

/**
 * Per store: the GDAP version its last sweep left, and when a relationship is next due. A sweep walks
 * every relationship, and it runs before every role check (each Partner Center call): a bench seed of
 * thousands of customers holds as many relationships, so a sweep is skipped while nothing changed and
 * nothing is due.
 */
const sweeps = new WeakMap<Store, { version: number; nextDueMs: number }>();

/**
 * Moves relationships along with time: an active one past its end is extended by its
 * autoExtendDuration or expires; one waiting for approval too long expires. Called before any GDAP
 * answer and any role check, so the clock's admin API needs no hook of its own.
 */
export function settle(svc: Services): void {
  const now = svc.clock.nowMs();
  const last = sweeps.get(svc.store);
  if (!last || last.version !== svc.store.gdapVersion || now >= last.nextDueMs) {
    let nextDueMs = Infinity;
    for (const r of svc.store.listRelationships()) {
      const next = dueMs(r) <= now ? moved(r, now) : undefined;
      const at = new Date(now).toISOString();
      if (next) {
        svc.store.putRelationship({ ...next, lastModifiedDateTime: at, version: r.version + 1 });
        svc.store.commit();
      }
      nextDueMs = Math.min(nextDueMs, dueMs(next ? { ...next, lastModifiedDateTime: at } : r));
    }
    sweeps.set(svc.store, { version: svc.store.gdapVersion, nextDueMs });
  }
  settleOperations(svc);
}

/** What time has made of a relationship by `now`, or undefined when it stays as it is. */
function moved(r: DelegatedAdminRelationship, now: number): DelegatedAdminRelationship | undefined {
  if (r.status === "active" && r.endDateTime && Date.parse(r.endDateTime) <= now) {
    const extend = durationDays(r.autoExtendDuration) ?? 0;
    if (extend <= 0) return { ...r, status: "expired" };
    let end = Date.parse(r.endDateTime);
    while (end <= now) end += extend * dayMs;
    return { ...r, endDateTime: new Date(end).toISOString() };
  }
  if (r.status === "approvalPending" && now - Date.parse(r.lastModifiedDateTime) >= approvalWindowDays * dayMs) return { ...r, status: "expired" };
  if ((r.status === "terminationRequested" || r.status === "terminating") && now - Date.parse(r.lastModifiedDateTime) >= terminationStepMs) {
    const steps = Math.floor((now - Date.parse(r.lastModifiedDateTime)) / terminationStepMs);
    return r.status === "terminating" || steps >= 2
      ? { ...r, status: "terminated", endDateTime: new Date(now).toISOString() }
      : { ...r, status: "terminating" };
  }
  return undefined;
}

/** Per store: the roles held in each customer (lower-cased id), built once per GDAP version. */
const roleIndexes = new WeakMap<Store, { version: number; byCustomer: Map<string, string[]> }>();

/**
 * The GDAP roles the partner holds in a customer: the roles of the active access assignments of the
 * customer's active relationships (built-in roles by name, others by id), the seed's among them
 * (seed/gdap.ts). Whatever ended (expired, terminated, deleted) gives nothing.
 */
export function heldRoles(customer: Customer, svc: Services): string[] {
  settle(svc);
  let index = roleIndexes.get(svc.store);
  if (!index || index.version !== svc.store.gdapVersion) {
    const assignments = new Map<string, DelegatedAdminAccessAssignment[]>();
    for (const a of svc.store.listAccessAssignments()) {
      const of = a.relationshipId.toLowerCase();
      const list = assignments.get(of);
      if (list) list.push(a);
      else assignments.set(of, [a]);
    }
    const held = new Map<string, Set<string>>();
    for (const r of svc.store.listRelationships()) {
      if (r.status !== "active" || !r.customer) continue;
      const roles = held.get(r.customer.tenantId.toLowerCase()) ?? new Set<string>();
      held.set(r.customer.tenantId.toLowerCase(), roles);
      for (const a of assignments.get(r.id.toLowerCase()) ?? []) {
        if (a.status !== "active") continue;
        for (const id of a.unifiedRoles) roles.add(builtInRoleName(id) ?? id);
      }
    }
    index = { version: svc.store.gdapVersion, byCustomer: new Map([...held].map(([c, roles]) => [c, [...roles]])) };
    roleIndexes.set(svc.store, index);
  }
  return [...(index.byCustomer.get(customer.id.toLowerCase()) ?? [])];
}
