/**
 * Microsoft Graph: the partner's multitenant organization, and, in a customer tenant, what a CPV
 * consent made there (the application's service principal and its oauth2PermissionGrants).
 */
import { scopes } from "../auth/credentials";
import type { ProviderConfig } from "../config";
import type { Pipeline } from "../http/pipeline";
import { ApiClient, odataNextPage } from "./apiClient";
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
  constructor(
    private readonly config: ProviderConfig,
    pipeline: Pipeline,
  ) {
    super(config.graphUrl, "Microsoft Graph", pipeline, config.requestTimeoutMs);
  }

  private limit(tenantId: string) {
    return { key: `graph:${tenantId}`, requestsPerSecond: this.config.requestRateLimit };
  }

  /** A member of the partner's multitenant organization, or undefined when the tenant is not one (404). */
  async getMultiTenantOrganizationMember(tenantId: string, select?: string[]): Promise<Partial<MultiTenantOrganizationMember> | undefined> {
    return this.sendOrNotFound({
      method: "GET",
      url: guidPath`tenantRelationships/multiTenantOrganization/tenants/${{ tenantId }}`,
      query: { $select: select?.join(",") },
      schema: select ? multiTenantOrganizationMemberSchema.partial() : multiTenantOrganizationMemberSchema,
      operation: `read the multitenant organization member ${tenantId}`,
      auth: { scope: scopes.graph },
      rateLimit: this.limit(this.config.tenantId),
    });
  }

  async listMultiTenantOrganizationMembers(options: { select?: string[]; tenantId?: string } = {}): Promise<Partial<MultiTenantOrganizationMember>[]> {
    if (options.tenantId !== undefined) requireGuid("tenantId", options.tenantId, "list the multitenant organization members");
    const members: Partial<MultiTenantOrganizationMember>[] = [];
    const pages = this.paginate(
      {
        method: "GET",
        url: "tenantRelationships/multiTenantOrganization/tenants",
        query: {
          $select: options.select?.join(","),
          $filter: options.tenantId ? `tenantId eq '${options.tenantId}'` : undefined,
        },
        schema: multiTenantOrganizationMemberPageSchema,
        operation: "list the multitenant organization members",
        auth: { scope: scopes.graph },
        rateLimit: this.limit(this.config.tenantId),
      },
      odataNextPage,
    );
    for await (const page of pages) members.push(...(page.value as Partial<MultiTenantOrganizationMember>[]));
    return members;
  }

  /** The service principal of an application in a customer tenant, or undefined. */
  async getServicePrincipalByAppId(customerTenantId: string, appId: string): Promise<ServicePrincipal | undefined> {
    // The tenant also becomes part of the token endpoint's path.
    requireGuid("customerId", customerTenantId, `read the service principal of application ${appId}`);
    return this.sendOrNotFound({
      method: "GET",
      url: `servicePrincipals(appId='${encodeURIComponent(requireGuid("applicationId", appId, `read the service principal of application ${appId}`))}')`,
      schema: servicePrincipalSchema,
      operation: `read the service principal of application ${appId}`,
      customerId: customerTenantId,
      auth: { scope: scopes.graph, tenantId: customerTenantId },
      rateLimit: this.limit(customerTenantId),
    });
  }

  /** A service principal of a customer tenant by its object id (what a grant's resourceId names), or undefined. */
  async getServicePrincipal(customerTenantId: string, servicePrincipalId: string): Promise<ServicePrincipal | undefined> {
    const operation = `read the service principal ${servicePrincipalId}`;
    requireGuid("customerId", customerTenantId, operation);
    return this.sendOrNotFound({
      method: "GET",
      url: `servicePrincipals/${requireGuid("servicePrincipalId", servicePrincipalId, operation)}`,
      schema: servicePrincipalSchema,
      operation,
      customerId: customerTenantId,
      auth: { scope: scopes.graph, tenantId: customerTenantId },
      rateLimit: this.limit(customerTenantId),
    });
  }

  /** The delegated permission grants of a client service principal in a customer tenant. */
  async listPermissionGrants(customerTenantId: string, clientServicePrincipalId: string): Promise<OAuth2PermissionGrant[]> {
    requireGuid("customerId", customerTenantId, "list the oauth2PermissionGrants");
    const grants: OAuth2PermissionGrant[] = [];
    const pages = this.paginate(
      {
        method: "GET",
        url: "oauth2PermissionGrants",
        query: { $filter: `clientId eq '${requireGuid("servicePrincipalId", clientServicePrincipalId, "list the oauth2PermissionGrants")}'` },
        schema: oauth2PermissionGrantPageSchema,
        operation: "list the oauth2PermissionGrants",
        customerId: customerTenantId,
        auth: { scope: scopes.graph, tenantId: customerTenantId },
        rateLimit: this.limit(customerTenantId),
      },
      odataNextPage,
    );
    for await (const page of pages) grants.push(...page.value);
    return grants;
  }
}
