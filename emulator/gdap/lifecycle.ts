/**
 * GDAP on the emulator's clock: what time does to relationships, and the roles the partner holds in
 * a customer because of them.
 */
import { builtInRoleName } from "../../provider/clients/builtInRoles";
import type { Customer, DelegatedAdminRelationship } from "../store/model";
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

/**
 * Moves relationships along with time: an active one past its end is extended by its
 * autoExtendDuration or expires; one waiting for approval too long expires. Called before any GDAP
 * answer and any role check, so the clock's admin API needs no hook of its own.
 */
export function settle(svc: Services): void {
  const now = svc.clock.nowMs();
  for (const r of svc.store.listRelationships()) {
    let next: DelegatedAdminRelationship | undefined;
    if (r.status === "active" && r.endDateTime && Date.parse(r.endDateTime) <= now) {
      const extend = durationDays(r.autoExtendDuration) ?? 0;
      if (extend > 0) {
        let end = Date.parse(r.endDateTime);
        while (end <= now) end += extend * dayMs;
        next = { ...r, endDateTime: new Date(end).toISOString() };
      } else {
        next = { ...r, status: "expired" };
      }
    } else if (r.status === "approvalPending" && now - Date.parse(r.lastModifiedDateTime) >= approvalWindowDays * dayMs) {
      next = { ...r, status: "expired" };
    } else if ((r.status === "terminationRequested" || r.status === "terminating") && now - Date.parse(r.lastModifiedDateTime) >= terminationStepMs) {
      const steps = Math.floor((now - Date.parse(r.lastModifiedDateTime)) / terminationStepMs);
      next =
        r.status === "terminating" || steps >= 2 ? { ...r, status: "terminated", endDateTime: new Date(now).toISOString() } : { ...r, status: "terminating" };
    }
    if (next) {
      svc.store.putRelationship({ ...next, lastModifiedDateTime: new Date(now).toISOString(), version: r.version + 1 });
      svc.store.commit();
    }
  }
  settleOperations(svc);
}

/**
 * The GDAP roles the partner holds in a customer: the roles of the active access assignments of the
 * customer's active relationships (built-in roles by name, others by id), the seed's among them
 * (seed/gdap.ts). Whatever ended (expired, terminated, deleted) gives nothing.
 */
export function heldRoles(customer: Customer, svc: Services): string[] {
  settle(svc);
  const held = new Set<string>();
  for (const r of svc.store.listRelationships()) {
    if (r.status !== "active" || r.customer?.tenantId.toLowerCase() !== customer.id.toLowerCase()) continue;
    for (const a of svc.store.listAccessAssignments(r.id)) {
      if (a.status !== "active") continue;
      for (const id of a.unifiedRoles) held.add(builtInRoleName(id) ?? id);
    }
  }
  return [...held];
}
