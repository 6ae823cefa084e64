/**
 * Wires one configuration to its HTTP stack, credentials and clients. One context per configuration
 * for the life of the process, so the connection pool, the rate limits and MSAL's token cache are
 * shared by every resource and data source that uses it.
 */
import { Credentials } from "./auth/credentials";
import { DelegatedAdminClient } from "./clients/delegatedAdmin";
import { DirectoryRolesClient, GdapClient } from "./clients/gdap";
import { GraphClient } from "./clients/graph";
import { PartnerCenterClient } from "./clients/partnerCenter";
import type { ProviderConfig } from "./config";
import { apiPipeline, Pipeline, tokenPipeline } from "./http/pipeline";
import { RateLimiter } from "./http/rateLimiter";
import { createAgent, undiciTransport } from "./http/transport";
import { debug } from "./log";

export class ServiceContext {
  readonly credentials: Credentials;
  readonly pipeline: Pipeline;
  readonly partnerCenter: PartnerCenterClient;
  readonly delegatedAdmin: DelegatedAdminClient;
  readonly graph: GraphClient;
  readonly gdap: GdapClient;
  readonly directoryRoles: DirectoryRolesClient;

  constructor(readonly config: ProviderConfig) {
    const agent = createAgent({ caFile: config.caFile, connections: config.connectionsPerOrigin });
    const transport = undiciTransport(agent, config.requestTimeoutMs);
    const retry = { maxRetries: config.maxRetries };
    this.credentials = new Credentials(config, tokenPipeline({ retry, log: debug }, transport));
    this.pipeline = apiPipeline({ retry, log: debug, limiter: new RateLimiter(), tokens: this.credentials }, transport);
    this.partnerCenter = new PartnerCenterClient(config, this.credentials, this.pipeline);
    this.delegatedAdmin = new DelegatedAdminClient(config, this.pipeline);
    this.graph = new GraphClient(config, this.pipeline);
    this.gdap = new GdapClient(config, this.pipeline);
    this.directoryRoles = new DirectoryRolesClient(config, this.pipeline);
  }
}

const contexts = new Map<string, ServiceContext>();

export function serviceContext(config: ProviderConfig): ServiceContext {
  const key = JSON.stringify(config);
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = new ServiceContext(config);
    contexts.set(key, ctx);
  }
  return ctx;
}
