import type { MtoMember, Organization, Seed, SeedApplication } from "../seed/schema";

/**
 * A customer user's profile: the fields of Partner Center's user resource that a create sets, a
 * PATCH (or an out-of-band edit) may change, and every answer carries. Declared once here: the
 * store's record, the seed's copy, a create, a PATCH and the wire shape all take these fields by
 * this list, so a new one is added in one place.
 */
export const userProfileFields = ["userPrincipalName", "firstName", "lastName", "displayName", "usageLocation", "immutableId"] as const;
export type UserProfile = Pick<CustomerUser, (typeof userProfileFields)[number]>;

/** The profile fields of `source` (a seed's user, a request body, a stored user), and nothing else. */
export function profileOf(source: UserProfile): UserProfile {
  return Object.fromEntries(userProfileFields.map((k) => [k, source[k]])) as unknown as UserProfile;
}

/** The records the store keeps; handlers turn them into each API's wire shape. */
export interface CustomerUser {
  id: string;
  userPrincipalName: string;
  firstName?: string;
  lastName?: string;
  displayName: string;
  usageLocation: string;
  immutableId?: string;
  forceChangePassword: boolean;
  state: "active" | "inactive";
  softDeletionTime: string | null;
  createdOrder: number;
}

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
}

export interface PermissionGrant {
  id: string;
  clientId: string;
  resourceId: string;
  scope: string;
  consentType: "AllPrincipals";
  principalId: null;
}

export interface ApplicationConsent {
  applicationId: string;
  displayName?: string;
  applicationGrants: { enterpriseApplicationId: string; scope: string }[];
  servicePrincipalId: string;
  grantIds: string[];
  createdDateTime: string;
}

export interface Customer {
  id: string;
  domains: { name: string; federated: boolean }[];
  organization: Organization;
  /** No GDAP roles here: the partner holds them through `gdap` relationships (the seed's shorthand becomes one, seed/gdap.ts). */
  dapEnabled: boolean;
  startDateTime: string;
  endDateTime: string | null;
  lastSignInDateTime: string | null;
  partnerAgentCount: number;
  partnerSignInCount: number;
  globalAdminSignInCount: number;
  users: Record<string, CustomerUser>;
  servicePrincipals: Record<string, ServicePrincipal>;
  grants: Record<string, PermissionGrant>;
  consents: Record<string, ApplicationConsent>;
  /** Directory role memberships (Partner Center's directoryroles/{roleId}/usermembers): role id -> user ids. */
  roleMembers?: Record<string, string[]>;
}

export type RelationshipStatus =
  "activating" | "active" | "approvalPending" | "approved" | "created" | "expired" | "expiring" | "terminated" | "terminationRequested" | "terminating";

/** A GDAP relationship (Graph `delegatedAdminRelationship`), kept in the partner's state. */
export interface DelegatedAdminRelationship {
  id: string;
  displayName: string;
  duration: string;
  customer: { tenantId: string; displayName: string } | null;
  unifiedRoles: string[];
  autoExtendDuration: string;
  status: RelationshipStatus;
  createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime: string | null;
  endDateTime: string | null;
  /** Bumped on every change: the etag. */
  version: number;
}

/** A GDAP access assignment (Graph `delegatedAdminAccessAssignment`): a partner security group's roles on a relationship. */
export interface DelegatedAdminAccessAssignment {
  id: string;
  relationshipId: string;
  accessContainerId: string;
  unifiedRoles: string[];
  status: "pending" | "active" | "deleting" | "deleted" | "error";
  createdDateTime: string;
  lastModifiedDateTime: string;
  version: number;
}

/**
 * A long-running operation of a relationship (Graph `delegatedAdminRelationshipOperation`): an access
 * assignment's new roles, applied when it completes at `dueDateTime`.
 */
export interface DelegatedAdminRelationshipOperation {
  id: string;
  relationshipId: string;
  operationType: "delegatedAdminAccessAssignmentUpdate";
  status: "running" | "succeeded" | "failed";
  /** Graph's payload: the assignment as it became, or why it failed. */
  data: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  dueDateTime: string;
  accessAssignmentId: string;
  unifiedRoles: string[];
}

/** A customer's facts from the seed, without what the APIs create inside it. */
export type CustomerFacts = Omit<Customer, "id" | "users" | "servicePrincipals" | "grants" | "consents">;

export interface RefreshTokenRecord {
  userId: string;
  clientId: string;
  revoked: boolean;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  atMs: number;
}

/**
 * The whole mutable state: one JSON-serialisable object so persistence is a single atomic write.
 * It holds no user password: nothing the emulator does needs one after the answer that set it.
 */
export interface EmulatorState {
  /** The seed without its customers, which live on in `customers` (their users' passwords not kept). */
  seed: Seed;
  clockOffsetMs: number;
  userCounter: number;
  customers: Record<string, Customer>;
  refreshTokens: Record<string, RefreshTokenRecord>;
  idempotency: Record<string, RecordedResponse>;
  /** GDAP; absent in data files written before it existed. */
  gdap?: {
    relationships: Record<string, DelegatedAdminRelationship>;
    accessAssignments: Record<string, DelegatedAdminAccessAssignment>;
    /** Absent in data files written before long-running operations existed. */
    operations?: Record<string, DelegatedAdminRelationshipOperation>;
  };
}

export type { MtoMember, Organization, Seed, SeedApplication };
