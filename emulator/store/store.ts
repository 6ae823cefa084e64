import type {
  ApplicationConsent,
  DelegatedAdminAccessAssignment,
  DelegatedAdminRelationship,
  DelegatedAdminRelationshipOperation,
  Customer,
  CustomerFacts,
  CustomerUser,
  PermissionGrant,
  RecordedResponse,
  RefreshTokenRecord,
  Seed,
  ServicePrincipal,
} from "./model";

/**
 * What handlers may do to the state. Handlers never touch EmulatorState directly, so a different
 * backing (file, database) only has to implement this interface.
 */
export interface IStore {
  readonly seed: Seed;
  load(seed: Seed): void;

  getClockOffset(): number;
  setClockOffset(ms: number): void;

  listCustomers(): Customer[];
  getCustomer(customerId: string): Customer | undefined;
  /** Changes some of a customer's seed facts (GDAP roles, DAP, sign-in stats, organization) in place. */
  updateCustomer(customerId: string, facts: Partial<CustomerFacts>): Customer;

  listUsers(customerId: string): CustomerUser[];
  getUser(customerId: string, userId: string): CustomerUser | undefined;
  findUserByUpn(customerId: string, upn: string): CustomerUser | undefined;
  putUser(customerId: string, user: Omit<CustomerUser, "createdOrder"> & { createdOrder?: number }): CustomerUser;
  deleteUser(customerId: string, userId: string): boolean;

  listServicePrincipals(customerId: string): ServicePrincipal[];
  findServicePrincipalByAppId(customerId: string, appId: string): ServicePrincipal | undefined;
  putServicePrincipal(customerId: string, sp: ServicePrincipal): void;
  deleteServicePrincipal(customerId: string, spId: string): void;

  listGrants(customerId: string): PermissionGrant[];
  putGrant(customerId: string, grant: PermissionGrant): void;
  deleteGrant(customerId: string, grantId: string): boolean;

  getConsent(customerId: string, applicationId: string): ApplicationConsent | undefined;
  putConsent(customerId: string, consent: ApplicationConsent): void;
  deleteConsent(customerId: string, applicationId: string): void;

  /**
   * Changes whenever a relationship or an access assignment is written or deleted, or the state is
   * loaded: what the GDAP facts derived from them (gdap/lifecycle.ts) are cached by.
   */
  readonly gdapVersion: number;
  listRelationships(): DelegatedAdminRelationship[];
  getRelationship(id: string): DelegatedAdminRelationship | undefined;
  putRelationship(relationship: DelegatedAdminRelationship): void;
  deleteRelationship(id: string): boolean;
  /** A relationship's access assignments, or every relationship's without one; oldest first. */
  listAccessAssignments(relationshipId?: string): DelegatedAdminAccessAssignment[];
  putAccessAssignment(assignment: DelegatedAdminAccessAssignment): void;
  deleteAccessAssignment(id: string): boolean;
  listOperations(relationshipId?: string): DelegatedAdminRelationshipOperation[];
  putOperation(operation: DelegatedAdminRelationshipOperation): void;

  listRoleMembers(customerId: string, roleId: string): string[];
  setRoleMembers(customerId: string, roleId: string, userIds: string[]): void;

  getRefreshToken(token: string): RefreshTokenRecord | undefined;
  putRefreshToken(token: string, record: RefreshTokenRecord): void;
  revokeRefreshTokens(filter: { token?: string; userId?: string }): number;

  getRecordedResponse(key: string): RecordedResponse | undefined;
  recordResponse(key: string, response: RecordedResponse): void;
  /** Drops idempotency records and soft-deleted users whose time has passed on the emulator clock (at most once a second of it). */
  expire(nowMs: number): void;

  /** Called once a request that changed state is done, so durable stores can write. */
  commit(): void;
}
