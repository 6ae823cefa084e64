/**
 * GDAP through Microsoft Graph (`tenantRelationships/delegatedAdminRelationships`) with an app-only
 * token of the partner tenant (DelegatedAdminRelationship.ReadWrite.All); a customer's domains
 * through Graph in the customer tenant (the partner app's CPV consent, Domain.Read.All); and Partner
 * Center's directory roles of a customer (App+User, like customer users).
 */
import type { z } from "zod";
import { PartnerCenterError } from "../errors";
import { retryAfterInMs } from "../http/retryPolicy";
import { systemClock, type Clock, type PipelineResponse, type TokenRequest } from "../http/types";
import { scopes } from "../auth/credentials";
import type { ProviderConfig } from "../config";
import type { Pipeline } from "../http/pipeline";
import { ApiClient, type CallOptions, continuationNextPage, odataNextPage } from "./apiClient";
import {
  DelegatedAdminAccessAssignment,
  delegatedAdminAccessAssignmentPageSchema,
  delegatedAdminAccessAssignmentSchema,
  DelegatedAdminRelationship,
  delegatedAdminRelationshipOperationSchema,
  delegatedAdminRelationshipPageSchema,
  delegatedAdminRelationshipSchema,
  DirectoryRole,
  directoryRoleCollectionSchema,
  Domain,
  domainPageSchema,
  UserMember,
  userMemberCollectionSchema,
  userMemberSchema,
} from "./gdapSchemas";
import { guidPath, requireGuid } from "./path";

export interface RelationshipBody {
  displayName: string;
  duration: string;
  customer?: { tenantId: string; displayName?: string };
  accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
  autoExtendDuration: string;
}

const unifiedRoles = (ids: string[]) => ({ unifiedRoles: ids.map((roleDefinitionId) => ({ roleDefinitionId })) });

/**
 * Following a long-running operation: the wait between looks when Graph sends no Retry-After, the
 * longest wait it may ask for, and how long an operation may run before the provider stops waiting.
 */
export const operationPolling = { fallbackInMs: 5_000, maxWaitInMs: 60_000, timeoutInMs: 15 * 60_000 };

type UpdateCall<T> = CallOptions & { schema: z.ZodType<T> };

export class GdapClient extends ApiClient {
  constructor(
    private readonly config: ProviderConfig,
    pipeline: Pipeline,
    private readonly clock: Clock = systemClock,
  ) {
    super(config.graphUrl, "Microsoft Graph", pipeline, config.requestTimeoutMs);
  }

  private readonly token: TokenRequest = { scope: scopes.graph };
  private limit = () => ({ key: `gdap:${this.config.tenantId}`, requestsPerSecond: this.config.requestRateLimit });

  /** Every row of an OData list. */
  private async all<T>(
    url: string,
    query: Record<string, string | undefined> | undefined,
    schema: z.ZodType<{ "@odata.nextLink"?: string; value: T[] }>,
    operation: string,
    extra: { customerId?: string; auth?: TokenRequest } = {},
  ): Promise<T[]> {
    const rows: T[] = [];
    const pages = this.paginate(
      { method: "GET", url, query, schema, operation, customerId: extra.customerId, auth: extra.auth ?? this.token, rateLimit: this.limit() },
      odataNextPage,
    );
    for await (const page of pages) rows.push(...page.value);
    return rows;
  }

  /** The partner's relationships, optionally those of one customer or with one display name. */
  async listRelationships(filter: { customerId?: string; displayName?: string } = {}): Promise<DelegatedAdminRelationship[]> {
    const clauses: string[] = [];
    if (filter.customerId) clauses.push(`customer/tenantId eq '${requireGuid("customerId", filter.customerId, "list the delegated admin relationships")}'`);
    if (filter.displayName !== undefined) clauses.push(`displayName eq '${filter.displayName.replace(/'/g, "''")}'`);
    return this.all(
      "tenantRelationships/delegatedAdminRelationships",
      { $filter: clauses.length ? clauses.join(" and ") : undefined },
      delegatedAdminRelationshipPageSchema,
      "list the delegated admin relationships",
      { customerId: filter.customerId },
    );
  }

  /** The relationship, or undefined when Graph does not know it (404). */
  async getRelationship(relationshipId: string): Promise<DelegatedAdminRelationship | undefined> {
    return this.sendOrNotFound({
      method: "GET",
      url: guidPath`tenantRelationships/delegatedAdminRelationships/${{ relationshipId }}`,
      schema: delegatedAdminRelationshipSchema,
      operation: `read the delegated admin relationship ${relationshipId}`,
      auth: this.token,
      rateLimit: this.limit(),
    });
  }

  async createRelationship(body: RelationshipBody): Promise<DelegatedAdminRelationship> {
    return this.send({
      method: "POST",
      url: "tenantRelationships/delegatedAdminRelationships",
      body,
      schema: delegatedAdminRelationshipSchema,
      operation: `create the delegated admin relationship '${body.displayName}'`,
      customerId: body.customer?.tenantId,
      auth: this.token,
      rateLimit: this.limit(),
    });
  }

  /** A PATCH needs the relationship's current etag (If-Match). */
  async updateRelationship(relationshipId: string, etag: string, patch: Partial<RelationshipBody>): Promise<DelegatedAdminRelationship> {
    // delegatedadminrelationship-update: removing Global Administrator from an active relationship
    // "indicates a long-running operation" (operationType delegatedAdminRelationshipUpdate).
    return this.updateThenRead(
      {
        method: "PATCH",
        url: guidPath`tenantRelationships/delegatedAdminRelationships/${{ relationshipId }}`,
        headers: { "If-Match": etag },
        body: patch,
        schema: delegatedAdminRelationshipSchema,
        operation: `update the delegated admin relationship ${relationshipId}`,
        auth: this.token,
        rateLimit: this.limit(),
      },
      () => this.getRelationship(relationshipId),
    );
  }

  /**
   * A PATCH Graph answers 200 with the object, or (delegatedadminaccessassignment-update: "typically")
   * 202 Accepted with an empty body, the operation's URL in Location and a Retry-After: then the
   * operation is followed until it succeeds or fails, and the object is read back.
   */
  private async updateThenRead<T>(call: UpdateCall<T>, readBack: () => Promise<T | undefined>): Promise<T> {
    const response = await this.sendForResponse(call);
    if (response.status !== 202) return this.parse(call, response) as T;
    await this.followOperation(response, call.operation);
    const object = await readBack();
    if (object === undefined)
      throw new PartnerCenterError(
        { operation: call.operation, service: this.service, statusCode: 404 },
        `Could not ${call.operation}: Graph's long-running operation succeeded, but the object is gone when read back. Run \`pulumi refresh\`.`,
      );
    return object;
  }

  /** Looks at the operation a 202's Location names, never before its Retry-After, until it ends (or runs too long). */
  private async followOperation(accepted: PipelineResponse, operation: string): Promise<void> {
    const location = accepted.headers["location"];
    if (!location)
      throw new PartnerCenterError(
        { operation, service: this.service, statusCode: 202 },
        `Could not ${operation}: Graph answered 202 Accepted without a Location to follow; the change may or may not be applied. Run \`pulumi refresh\` to see what it did.`,
      );
    const waitAfter = (r: PipelineResponse) =>
      Math.min(retryAfterInMs(r.headers, this.clock.now()) ?? operationPolling.fallbackInMs, operationPolling.maxWaitInMs);
    const started = this.clock.now();
    const look = {
      method: "GET" as const,
      url: location,
      schema: delegatedAdminRelationshipOperationSchema,
      operation: `follow Graph's long-running operation to ${operation}`,
      auth: this.token,
      rateLimit: this.limit(),
    };
    let last = accepted;
    for (;;) {
      await this.clock.sleep(waitAfter(last));
      last = await this.sendForResponse(look);
      const op = this.parse(look, last);
      if (op.status === "succeeded") return;
      if (op.status === "failed")
        throw new PartnerCenterError(
          { operation, service: this.service, statusCode: 400 },
          `Could not ${operation}: Graph accepted it, but its long-running operation ${op.id} failed${op.data ? ` (${op.data.slice(0, 300)})` : ""}. Run \`pulumi refresh\` to see what the object holds, then \`pulumi up\`.`,
        );
      // notStarted, running, or a status added later: still going.
      if (this.clock.now() - started >= operationPolling.timeoutInMs)
        throw new PartnerCenterError(
          { operation, service: this.service },
          `Could not ${operation}: Graph's long-running operation ${op.id} is still ${op.status} after ${operationPolling.timeoutInMs / 60_000} minutes; it may still complete. Run \`pulumi refresh\` later, then \`pulumi up\`.`,
        );
    }
  }

  /** `lockForApproval` (created -> approvalPending) or `terminate` (active -> terminated). */
  async requestAction(relationshipId: string, action: "lockForApproval" | "terminate"): Promise<void> {
    await this.send({
      method: "POST",
      url: guidPath`tenantRelationships/delegatedAdminRelationships/${{ relationshipId }}/requests`,
      body: { action },
      operation: `${action === "terminate" ? "terminate" : "lock for approval"} the delegated admin relationship ${relationshipId}`,
      auth: this.token,
      rateLimit: this.limit(),
    });
  }

  /** Deletes a relationship never approved; one already gone is success. */
  async deleteRelationship(relationshipId: string, etag: string): Promise<void> {
    await this.sendOrNotFound({
      method: "DELETE",
      url: guidPath`tenantRelationships/delegatedAdminRelationships/${{ relationshipId }}`,
      headers: { "If-Match": etag },
      operation: `delete the delegated admin relationship ${relationshipId}`,
      auth: this.token,
      rateLimit: this.limit(),
    });
  }

  async listAccessAssignments(relationshipId: string): Promise<DelegatedAdminAccessAssignment[]> {
    return this.all(
      guidPath`tenantRelationships/delegatedAdminRelationships/${{ relationshipId }}/accessAssignments`,
      undefined,
      delegatedAdminAccessAssignmentPageSchema,
      `list the access assignments of relationship ${relationshipId}`,
    );
  }

  async getAccessAssignment(relationshipId: string, accessAssignmentId: string): Promise<DelegatedAdminAccessAssignment | undefined> {
    return this.sendOrNotFound({
      method: "GET",
      url: guidPath`tenantRelationships/delegatedAdminRelationships/${{ relationshipId }}/accessAssignments/${{ accessAssignmentId }}`,
      schema: delegatedAdminAccessAssignmentSchema,
      operation: `read the access assignment ${accessAssignmentId} of relationship ${relationshipId}`,
      auth: this.token,
      rateLimit: this.limit(),
    });
  }

  async createAccessAssignment(relationshipId: string, securityGroupId: string, roleDefinitionIds: string[]): Promise<DelegatedAdminAccessAssignment> {
    return this.send({
      method: "POST",
      url: guidPath`tenantRelationships/delegatedAdminRelationships/${{ relationshipId }}/accessAssignments`,
      body: { accessContainer: { accessContainerId: securityGroupId, accessContainerType: "securityGroup" }, accessDetails: unifiedRoles(roleDefinitionIds) },
      schema: delegatedAdminAccessAssignmentSchema,
      operation: `assign roles to security group ${securityGroupId} on relationship ${relationshipId}`,
      auth: this.token,
      rateLimit: this.limit(),
    });
  }

  async updateAccessAssignment(
    relationshipId: string,
    accessAssignmentId: string,
    etag: string,
    roleDefinitionIds: string[],
  ): Promise<DelegatedAdminAccessAssignment> {
    return this.updateThenRead(
      {
        method: "PATCH",
        url: guidPath`tenantRelationships/delegatedAdminRelationships/${{ relationshipId }}/accessAssignments/${{ accessAssignmentId }}`,
        headers: { "If-Match": etag },
        body: { accessDetails: unifiedRoles(roleDefinitionIds) },
        schema: delegatedAdminAccessAssignmentSchema,
        operation: `update the access assignment ${accessAssignmentId} of relationship ${relationshipId}`,
        auth: this.token,
        rateLimit: this.limit(),
      },
      () => this.getAccessAssignment(relationshipId, accessAssignmentId),
    );
  }

  /** Removes the assignment; one already gone (or whose relationship is gone) is success. */
  async deleteAccessAssignment(relationshipId: string, accessAssignmentId: string, etag: string): Promise<void> {
    await this.sendOrNotFound({
      method: "DELETE",
      url: guidPath`tenantRelationships/delegatedAdminRelationships/${{ relationshipId }}/accessAssignments/${{ accessAssignmentId }}`,
      headers: { "If-Match": etag },
      operation: `delete the access assignment ${accessAssignmentId} of relationship ${relationshipId}`,
      auth: this.token,
      rateLimit: this.limit(),
    });
  }

  /** A customer's domains, read in the customer tenant. */
  async listDomains(customerId: string): Promise<Domain[]> {
    requireGuid("customerId", customerId, "list the customer's domains");
    return this.all("domains", undefined, domainPageSchema, "list the customer's domains", {
      customerId,
      auth: { scope: scopes.graph, tenantId: customerId },
    });
  }
}

/** Partner Center's directory roles of a customer and their user members (App+User). */
export class DirectoryRolesClient extends ApiClient {
  constructor(
    private readonly config: ProviderConfig,
    pipeline: Pipeline,
  ) {
    super(`${config.partnerCenterUrl.replace(/\/+$/, "")}/v1`, "Partner Center", pipeline, config.requestTimeoutMs);
  }

  private readonly token: TokenRequest = { scope: scopes.partnerCenterUser, user: true };
  private limit = (customerId: string) => ({ key: `users:${customerId}`, requestsPerSecond: this.config.userRateLimit });

  async listRoles(customerId: string): Promise<DirectoryRole[]> {
    const roles = await this.send({
      method: "GET",
      url: guidPath`customers/${{ customerId }}/directoryroles`,
      schema: directoryRoleCollectionSchema,
      operation: "list the directory roles",
      customerId,
      auth: this.token,
      rateLimit: this.limit(customerId),
    });
    return roles.items;
  }

  /** Every user member of a role, following continuation pages. */
  async listMembers(customerId: string, roleId: string): Promise<UserMember[]> {
    const members: UserMember[] = [];
    const pages = this.paginate(
      {
        method: "GET",
        url: guidPath`customers/${{ customerId }}/directoryroles/${{ roleId }}/usermembers`,
        schema: userMemberCollectionSchema,
        operation: `list the members of directory role ${roleId}`,
        customerId,
        auth: this.token,
        rateLimit: this.limit(customerId),
      },
      continuationNextPage,
    );
    for await (const page of pages) members.push(...page.items);
    return members;
  }

  /**
   * `requestId`: the MS-RequestId to send (see provider/resources/recovery.ts); a new one when absent.
   * The body is the one "Set user roles for a customer" shows: its table marks Id, DisplayName,
   * UserPrincipalName and RoleId required (the REST reference of the same call marks nothing).
   */
  async addMember(
    customerId: string,
    roleId: string,
    user: { id: string; displayName: string; userPrincipalName: string },
    requestId?: string,
  ): Promise<UserMember> {
    return this.send({
      method: "POST",
      url: guidPath`customers/${{ customerId }}/directoryroles/${{ roleId }}/usermembers`,
      headers: requestId ? { "MS-RequestId": requestId } : undefined,
      body: {
        Id: requireGuid("userId", user.id),
        DisplayName: user.displayName,
        UserPrincipalName: user.userPrincipalName,
        RoleId: roleId,
        Attributes: { ObjectType: "UserMember" },
      },
      schema: userMemberSchema,
      operation: `add user ${user.id} to directory role ${roleId}`,
      customerId,
      auth: this.token,
      rateLimit: this.limit(customerId),
    });
  }

  /** Removes the member; one that is not a member (any more) is success. */
  async removeMember(customerId: string, roleId: string, userId: string): Promise<void> {
    await this.sendOrNotFound({
      method: "DELETE",
      url: guidPath`customers/${{ customerId }}/directoryroles/${{ roleId }}/usermembers/${{ userId }}`,
      operation: `remove user ${userId} from directory role ${roleId}`,
      customerId,
      auth: this.token,
      rateLimit: this.limit(customerId),
    });
  }
}
