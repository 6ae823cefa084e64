/**
 * Microsoft Graph: the partner's multitenant organization, and, in a customer tenant, what a CPV
 * consent made there (the application's service principal and its oauth2PermissionGrants).
 */
import type { Credentials } from "../auth/credentials";
import { scopes } from "../auth/credentials";
import type { ProviderConfig } from "../config";
import type { Pipeline } from "../http/pipeline";
import { ApiClient } from "./apiClient";
import { guidPath, requireGuid } from "./path";
import {
  MultiTenantOrganizationMember,
  multiTenantOrganizationMemberPageSchema,
  multiTenantOrganizationMemberSchema,
  OAuth2PermissionGrant,
  oauth2PermissionGrantPageSchema,
  ServicePrincipal,
  servicePrincipalSchema,
} from "./schemas";

export class GraphClient extends ApiClient {
  constructor(private readonly config: ProviderConfig, private readonly credentials: Credentials, pipeline: Pipeline) {
    super(config.graphUrl, "Microsoft Graph", pipeline, config.requestTimeoutMs);
  }

  private limit(tenantId: string) {
    return { key: `graph:${tenantId}`, requestsPerSecond: this.config.requestRateLimit };
  }

  /** A member of the partner's multitenant organization, or undefined when the tenant is not one (404). */
  async getMultiTenantOrganizationMember(tenantId: string, select?: string[]): Promise<Partial<MultiTenantOrganizationMember> | undefined> {
    return this.send({
      method: "GET",
      url: guidPath`tenantRelationships/multiTenantOrganization/tenants/${{ tenantId }}`,
      query: { $select: select?.join(",") },
      schema: select ? multiTenantOrganizationMemberSchema.partial() : multiTenantOrganizationMemberSchema,
      operation: `read the multitenant organization member ${tenantId}`,
      getAccessToken: () => this.credentials.appToken(scopes.graph),
      rateLimit: this.limit(this.config.tenantId),
      tolerate: [404],
    });
  }

  async listMultiTenantOrganizationMembers(options: { select?: string[]; tenantId?: string } = {}): Promise<Partial<MultiTenantOrganizationMember>[]> {
    if (options.tenantId !== undefined) requireGuid("tenantId", options.tenantId, "list the multitenant organization members");
    const members: Partial<MultiTenantOrganizationMember>[] = [];
    let url = "tenantRelationships/multiTenantOrganization/tenants";
    let query: Record<string, string | undefined> | undefined = {
      $select: options.select?.join(","),
      $filter: options.tenantId ? `tenantId eq '${options.tenantId}'` : undefined,
    };
    for (let page = 0; page < 10_000; page++) {
      const result = (await this.send({
        method: "GET",
        url,
        query,
        schema: multiTenantOrganizationMemberPageSchema,
        operation: "list the multitenant organization members",
        getAccessToken: () => this.credentials.appToken(scopes.graph),
        rateLimit: this.limit(this.config.tenantId),
      }))!;
      members.push(...(result.value as Partial<MultiTenantOrganizationMember>[]));
      if (!result["@odata.nextLink"]) return members;
      url = result["@odata.nextLink"];
      query = undefined;
    }
    throw new Error("listing the multitenant organization members did not end");
  }

  /** The service principal of an application in a customer tenant, or undefined. */
  async getServicePrincipalByAppId(customerTenantId: string, appId: string): Promise<ServicePrincipal | undefined> {
    // The tenant also becomes part of the token endpoint's path.
    requireGuid("customerId", customerTenantId, `read the service principal of application ${appId}`);
    return this.send({
      method: "GET",
      url: `servicePrincipals(appId='${encodeURIComponent(requireGuid("applicationId", appId, `read the service principal of application ${appId}`))}')`,
      schema: servicePrincipalSchema,
      operation: `read the service principal of application ${appId}`,
      customerId: customerTenantId,
      getAccessToken: () => this.credentials.appToken(scopes.graph, customerTenantId),
      rateLimit: this.limit(customerTenantId),
      tolerate: [404],
    });
  }

  /** The delegated permission grants of a client service principal in a customer tenant. */
  async listPermissionGrants(customerTenantId: string, clientServicePrincipalId: string): Promise<OAuth2PermissionGrant[]> {
    requireGuid("customerId", customerTenantId, "list the oauth2PermissionGrants");
    const grants: OAuth2PermissionGrant[] = [];
    let url = "oauth2PermissionGrants";
    let query: Record<string, string> | undefined = { $filter: `clientId eq '${requireGuid("servicePrincipalId", clientServicePrincipalId, "list the oauth2PermissionGrants")}'` };
    for (let page = 0; page < 1000; page++) {
      const result = (await this.send({
        method: "GET",
        url,
        query,
        schema: oauth2PermissionGrantPageSchema,
        operation: "list the oauth2PermissionGrants",
        customerId: customerTenantId,
        getAccessToken: () => this.credentials.appToken(scopes.graph, customerTenantId),
        rateLimit: this.limit(customerTenantId),
      }))!;
      grants.push(...result.value);
      if (!result["@odata.nextLink"]) return grants;
      url = result["@odata.nextLink"];
      query = undefined;
    }
    throw new Error("listing the oauth2PermissionGrants did not end");
  }
}
