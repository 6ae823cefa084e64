/**
 * The delegated-admin customers API: the partner's customers with their DAP/GDAP state, the list a
 * rollout iterates over. Documented as short-lived (DAP deprecation), so it stays in this one file.
 */
import { scopes } from "../auth/credentials";
import type { ProviderConfig } from "../config";
import type { Pipeline } from "../http/pipeline";
import { ApiClient, odataNextPage } from "./apiClient";
import { DelegatedAdminQuery, toODataQuery } from "./odata";
import { DelegatedAdminCustomer, delegatedAdminCustomerPageSchema } from "./schemas";

export class DelegatedAdminClient extends ApiClient {
  constructor(
    private readonly config: ProviderConfig,
    pipeline: Pipeline,
  ) {
    super(config.delegatedAdminUrl, "the delegated-admin API", pipeline, config.requestTimeoutMs);
  }

  /** Every matching customer, following @odata.nextLink to the end. Options are checked before sending. */
  async listCustomers(query: DelegatedAdminQuery = {}): Promise<{ customers: Partial<DelegatedAdminCustomer>[]; count?: number }> {
    const customers: Partial<DelegatedAdminCustomer>[] = [];
    let count: number | undefined;
    const pages = this.paginate(
      {
        method: "GET",
        url: "delegatedAdminCustomers",
        query: toODataQuery(query),
        schema: delegatedAdminCustomerPageSchema,
        operation: "list the delegated-admin customers",
        auth: { scope: scopes.delegatedAdminUser, user: true },
        rateLimit: { key: "delegatedadmin", requestsPerSecond: this.config.requestRateLimit },
      },
      odataNextPage,
    );
    for await (const page of pages) {
      customers.push(...page.value);
      count ??= page["@odata.count"];
      if (query.top !== undefined && customers.length >= query.top) break;
    }
    return { customers: query.top !== undefined ? customers.slice(0, query.top) : customers, count };
  }
}
