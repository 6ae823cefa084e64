import { dict } from "./dict";
import { partnerTenants } from "../seed/partners";
import { profileOf } from "./model";
import { seededGdap } from "../seed/gdap";
import type { IStore } from "./store";
import type {
  ApplicationConsent,
  DelegatedAdminAccessAssignment,
  DelegatedAdminRelationship,
  DelegatedAdminRelationshipOperation,
  Customer,
  CustomerFacts,
  CustomerUser,
  EmulatorState,
  PermissionGrant,
  RecordedResponse,
  RefreshTokenRecord,
  Seed,
  ServicePrincipal,
} from "./model";

/** Builds the initial state of a seed; `loadedAtMs` dates seeded soft-deleted users that carry no time. */
export function stateFromSeed(seed: Seed, loadedAtMs: number): EmulatorState {
  const customers = dict<Customer>();
  let order = 0;
  for (const c of seed.customers) {
    const users = dict<CustomerUser>();
    for (const u of c.users) {
      users[u.id] = {
        id: u.id,
        ...profileOf(u),
        forceChangePassword: u.passwordProfile.forceChangePassword,
        state: u.state,
        softDeletionTime: u.state === "inactive" ? (u.softDeletionTime ?? new Date(loadedAtMs).toISOString()) : null,
        createdOrder: order++,
      };
    }
    customers[c.id] = {
      id: c.id,
      domains: c.domains.map((d) => ({ name: d.name, federated: d.federated })),
      organization: { ...c.organization },
      dapEnabled: c.dapEnabled,
      startDateTime: c.startDateTime,
      endDateTime: c.endDateTime,
      lastSignInDateTime: c.lastSignInDateTime,
      partnerAgentCount: c.partnerAgentCount,
      partnerSignInCount: c.partnerSignInCount,
      globalAdminSignInCount: c.globalAdminSignInCount,
      users,
      servicePrincipals: dict(c.servicePrincipals.map((sp) => [sp.id, { ...sp }] as const)),
      grants: dict(),
      consents: dict(),
    };
  }
  const refreshTokens = dict<RefreshTokenRecord>();
  // Each partner user's refresh token was issued to its own partner tenant's first app.
  for (const p of partnerTenants(seed)) {
    for (const u of p.partnerUsers) refreshTokens[u.refreshToken] = { userId: u.id, clientId: p.applications[0].clientId, revoked: false };
  }
  return {
    seed: { ...seed, customers: [] },
    clockOffsetMs: 0,
    userCounter: order,
    customers,
    refreshTokens,
    idempotency: dict(),
    gdap: seedGdapState(seed, loadedAtMs),
  };
}

/** The relationships and access assignments the seed's `gdapRoles` shorthand stands for. */
function seedGdapState(seed: Seed, loadedAtMs: number): NonNullable<EmulatorState["gdap"]> {
  const gdap = {
    relationships: dict<DelegatedAdminRelationship>(),
    accessAssignments: dict<DelegatedAdminAccessAssignment>(),
    operations: dict<DelegatedAdminRelationshipOperation>(),
  };
  const now = new Date(loadedAtMs).toISOString();
  for (const c of seed.customers) {
    if (c.gdapRoles.length === 0) continue;
    const { relationship, assignment } = seededGdap({ id: c.id, displayName: c.organization.displayName }, c.gdapRoles, seed.partnerGroups[0].id, now);
    gdap.relationships[relationship.id] = relationship;
    gdap.accessAssignments[assignment.id] = assignment;
  }
  return gdap;
}

/**
 * How often, on the emulator's clock, requests sweep for expired records. A sweep walks every
 * idempotency record and every user: run on each request, it made a request's cost grow with the
 * store (a tenth of a second of CPU per 100 requests once a rollout had made 1000 consents). The
 * windows it enforces are hours and days long; one second late is not observable.
 */
export const expirySweepIntervalMs = 1000;

/** The default store: prototype-free maps (dict.ts) in memory. */
export class MemoryStore implements IStore {
  protected state: EmulatorState;
  /** The emulator-clock time of the last sweep (see {@link expirySweepIntervalMs}). */
  private sweptAtMs = -Infinity;
  private gdapChanges = 0;

  constructor(initial: EmulatorState) {
    this.state = initial;
  }

  get seed(): Seed {
    return this.state.seed;
  }

  load(seed: Seed): void {
    // The clock keeps running across a reset: tests that moved it expect it to stay moved.
    const offset = this.state.clockOffsetMs;
    this.state = stateFromSeed(seed, Date.now() + offset);
    this.state.clockOffsetMs = offset;
    this.sweptAtMs = -Infinity;
    this.gdapChanges++;
    this.commit();
  }

  getClockOffset(): number {
    return this.state.clockOffsetMs;
  }

  setClockOffset(ms: number): void {
    this.state.clockOffsetMs = ms;
  }

  listCustomers(): Customer[] {
    return Object.values(this.state.customers);
  }

  getCustomer(customerId: string): Customer | undefined {
    return this.state.customers[customerId.toLowerCase()] ?? this.state.customers[customerId];
  }

  updateCustomer(customerId: string, facts: Partial<CustomerFacts>): Customer {
    return Object.assign(this.customer(customerId), facts);
  }

  private customer(customerId: string): Customer {
    const c = this.getCustomer(customerId);
    if (!c) throw new Error(`store: unknown customer ${customerId}`);
    return c;
  }

  listUsers(customerId: string): CustomerUser[] {
    return Object.values(this.customer(customerId).users).sort((a, b) => a.createdOrder - b.createdOrder);
  }

  getUser(customerId: string, userId: string): CustomerUser | undefined {
    return this.getCustomer(customerId)?.users[userId.toLowerCase()];
  }

  findUserByUpn(customerId: string, upn: string): CustomerUser | undefined {
    const wanted = upn.toLowerCase();
    return this.listUsers(customerId).find((u) => u.userPrincipalName.toLowerCase() === wanted);
  }

  putUser(customerId: string, user: Omit<CustomerUser, "createdOrder"> & { createdOrder?: number }): CustomerUser {
    const stored: CustomerUser = { ...user, createdOrder: user.createdOrder ?? this.state.userCounter++ };
    this.customer(customerId).users[stored.id] = stored;
    if (stored.state === "inactive") this.leaveRoles(customerId, stored.id);
    return stored;
  }

  deleteUser(customerId: string, userId: string): boolean {
    const users = this.customer(customerId).users;
    if (!users[userId]) return false;
    delete users[userId];
    this.leaveRoles(customerId, userId);
    return true;
  }

  /** Chosen: a deleted user leaves its directory roles, and a restore does not bring them back. */
  private leaveRoles(customerId: string, userId: string): void {
    const c = this.customer(customerId);
    for (const [role, members] of Object.entries(c.roleMembers ?? {})) c.roleMembers![role] = members.filter((m) => m !== userId);
  }

  listServicePrincipals(customerId: string): ServicePrincipal[] {
    return Object.values(this.customer(customerId).servicePrincipals);
  }

  findServicePrincipalByAppId(customerId: string, appId: string): ServicePrincipal | undefined {
    const wanted = appId.toLowerCase();
    return this.listServicePrincipals(customerId).find((sp) => sp.appId.toLowerCase() === wanted);
  }

  putServicePrincipal(customerId: string, sp: ServicePrincipal): void {
    this.customer(customerId).servicePrincipals[sp.id] = sp;
  }

  deleteServicePrincipal(customerId: string, spId: string): void {
    const c = this.customer(customerId);
    delete c.servicePrincipals[spId];
    // Entra removes the grants of a deleted client service principal with it.
    for (const g of Object.values(c.grants)) if (g.clientId === spId) delete c.grants[g.id];
  }

  listGrants(customerId: string): PermissionGrant[] {
    return Object.values(this.customer(customerId).grants);
  }

  putGrant(customerId: string, grant: PermissionGrant): void {
    this.customer(customerId).grants[grant.id] = grant;
  }

  deleteGrant(customerId: string, grantId: string): boolean {
    const grants = this.customer(customerId).grants;
    if (!grants[grantId]) return false;
    delete grants[grantId];
    return true;
  }

  getConsent(customerId: string, applicationId: string): ApplicationConsent | undefined {
    return this.customer(customerId).consents[applicationId.toLowerCase()];
  }

  putConsent(customerId: string, consent: ApplicationConsent): void {
    this.customer(customerId).consents[consent.applicationId.toLowerCase()] = consent;
  }

  deleteConsent(customerId: string, applicationId: string): void {
    delete this.customer(customerId).consents[applicationId.toLowerCase()];
  }

  get gdapVersion(): number {
    return this.gdapChanges;
  }

  private gdap(): NonNullable<EmulatorState["gdap"]> {
    return (this.state.gdap ??= { relationships: dict(), accessAssignments: dict() });
  }

  listRelationships(): DelegatedAdminRelationship[] {
    return Object.values(this.gdap().relationships).sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime));
  }

  getRelationship(id: string): DelegatedAdminRelationship | undefined {
    return this.gdap().relationships[id.toLowerCase()];
  }

  putRelationship(relationship: DelegatedAdminRelationship): void {
    this.gdapChanges++;
    this.gdap().relationships[relationship.id.toLowerCase()] = relationship;
  }

  deleteRelationship(id: string): boolean {
    const all = this.gdap().relationships;
    if (!all[id.toLowerCase()]) return false;
    this.gdapChanges++;
    delete all[id.toLowerCase()];
    for (const a of Object.values(this.gdap().accessAssignments)) if (a.relationshipId === id.toLowerCase()) delete this.gdap().accessAssignments[a.id];
    return true;
  }

  listAccessAssignments(relationshipId?: string): DelegatedAdminAccessAssignment[] {
    const wanted = relationshipId?.toLowerCase();
    return Object.values(this.gdap().accessAssignments)
      .filter((a) => wanted === undefined || a.relationshipId === wanted)
      .sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime));
  }

  putAccessAssignment(assignment: DelegatedAdminAccessAssignment): void {
    this.gdapChanges++;
    this.gdap().accessAssignments[assignment.id.toLowerCase()] = assignment;
  }

  deleteAccessAssignment(id: string): boolean {
    const all = this.gdap().accessAssignments;
    if (!all[id.toLowerCase()]) return false;
    this.gdapChanges++;
    delete all[id.toLowerCase()];
    return true;
  }

  listOperations(relationshipId?: string): DelegatedAdminRelationshipOperation[] {
    const wanted = relationshipId?.toLowerCase();
    return Object.values((this.gdap().operations ??= dict()))
      .filter((o) => wanted === undefined || o.relationshipId === wanted)
      .sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime));
  }

  putOperation(operation: DelegatedAdminRelationshipOperation): void {
    (this.gdap().operations ??= dict())[operation.id.toLowerCase()] = operation;
  }

  listRoleMembers(customerId: string, roleId: string): string[] {
    return [...(this.customer(customerId).roleMembers?.[roleId.toLowerCase()] ?? [])];
  }

  setRoleMembers(customerId: string, roleId: string, userIds: string[]): void {
    const c = this.customer(customerId);
    c.roleMembers ??= dict();
    c.roleMembers[roleId.toLowerCase()] = [...userIds];
  }

  getRefreshToken(token: string): RefreshTokenRecord | undefined {
    return this.state.refreshTokens[token];
  }

  putRefreshToken(token: string, record: RefreshTokenRecord): void {
    this.state.refreshTokens[token] = record;
  }

  revokeRefreshTokens(filter: { token?: string; userId?: string }): number {
    let n = 0;
    for (const [token, rec] of Object.entries(this.state.refreshTokens)) {
      const all = !filter.token && !filter.userId;
      if (all || token === filter.token || rec.userId === filter.userId) {
        if (!rec.revoked) n++;
        rec.revoked = true;
      }
    }
    return n;
  }

  getRecordedResponse(key: string): RecordedResponse | undefined {
    return this.state.idempotency[key];
  }

  recordResponse(key: string, response: RecordedResponse): void {
    this.state.idempotency[key] = response;
  }

  expire(nowMs: number): void {
    // A clock moved back (a restart with another offset) sweeps too.
    if (nowMs >= this.sweptAtMs && nowMs - this.sweptAtMs < expirySweepIntervalMs) return;
    this.sweptAtMs = nowMs;
    const { settings } = this.state.seed;
    const idemMs = settings.idempotencyWindowHours * 3600_000;
    for (const [k, r] of Object.entries(this.state.idempotency)) if (nowMs - r.atMs > idemMs) delete this.state.idempotency[k];
    const retentionMs = settings.softDeleteRetentionDays * 86400_000;
    for (const c of Object.values(this.state.customers)) {
      for (const u of Object.values(c.users)) {
        if (u.state === "inactive" && u.softDeletionTime && nowMs - Date.parse(u.softDeletionTime) >= retentionMs) {
          delete c.users[u.id];
        }
      }
    }
  }

  commit(): void {
    // Nothing to flush in memory.
  }
}
