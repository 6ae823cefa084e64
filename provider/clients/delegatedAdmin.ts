/**
 * The delegated-admin customers API: the partner's customers with their DAP/GDAP state, the list a
 * rollout iterates over. Documented as short-lived (DAP deprecation), so it stays in this one file.
 */
import type { Credentials } from "../auth/credentials";
import { scopes } from "../auth/credentials";
import type { ProviderConfig } from "../config";
import type { Pipeline } from "../http/pipeline";
import { ApiClient } from "./apiClient";
import { DelegatedAdminQuery, toODataQuery } from "./odata";
import { DelegatedAdminCustomer, delegatedAdminCustomerPageSchema } from "./schemas";

export class DelegatedAdminClient extends ApiClient {
  constructor(private readonly config: ProviderConfig, private readonly credentials: Credentials, pipeline: Pipeline) {
    super(config.delegatedAdminUrl, "the delegated-admin API", pipeline, config.requestTimeoutMs);
  }

  /** Every matching customer, following @odata.nextLink to the end. Options are checked before sending. */
  async listCustomers(query: DelegatedAdminQuery = {}): Promise<{ customers: Partial<DelegatedAdminCustomer>[]; count?: number }> {
    let url = "delegatedAdminCustomers";
    let params: Record<string, string | undefined> | undefined = toODataQuery(query);
    const customers: Partial<DelegatedAdminCustomer>[] = [];
    let count: number | undefined;
    for (let page = 0; page < 10_000; page++) {
      const result = (await this.send({
        method: "GET",
        url,
        query: params,
        schema: delegatedAdminCustomerPageSchema,
        operation: "list the delegated-admin customers",
        getAccessToken: () => this.credentials.userToken(scopes.delegatedAdminUser),
        rateLimit: { key: "delegatedadmin", requestsPerSecond: this.config.requestRateLimit },
      }))!;
      customers.push(...result.value);
      count ??= result["@odata.count"];
      if (!result["@odata.nextLink"] || (query.top !== undefined && customers.length >= query.top)) {
        return { customers: query.top !== undefined ? customers.slice(0, query.top) : customers, count };
      }
      url = result["@odata.nextLink"];
      params = undefined;
    }
    throw new Error("listing the delegated-admin customers did not end after 10000 pages");
  }
}
