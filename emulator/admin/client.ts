import { Agent, request } from "undici";
import type { FaultsConfig } from "../policies/faults";
import type { LatencyConfig } from "../policies/latency";
import type { LimitsConfig } from "../policies/throttle";
import type { SeedInput } from "../seed/schema";
import type { CustomerPatch } from "./bodies";
import type { LoggedRequest } from "../observability/requestLog";

/** A small typed client of the admin API (`/_emulator`), trusting only the emulator's CA. */
export class AdminClient {
  private readonly agent: Agent;
  private closed?: Promise<void>;

  constructor(
    private readonly adminUrl: string,
    caPem: string,
  ) {
    this.agent = new Agent({ connect: { ca: caPem } });
  }

  /**
   * Any admin route. Untyped by default: tests and benchmarks read routes that have no typed method
   * here as the JSON comes.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async call<T = any>(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
    const res = await request(`${this.adminUrl}${path}`, {
      method,
      dispatcher: this.agent,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new Error(`admin ${method} ${path} -> ${res.statusCode}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  reset = () => this.call("POST", "/reset");
  loadSeed = (seed: SeedInput) => this.call("POST", "/seed", seed);
  inventory = () => this.call<Inventory>("GET", "/inventory");
  advanceClock = (advanceSeconds: number) => this.call<{ now: string }>("POST", "/clock", { advanceSeconds });
  setFaults = (faults: FaultsConfig) => this.call("PUT", "/faults", faults);
  getLimits = () => this.call<LimitsConfig>("GET", "/limits");
  setLimits = (limits: LimitsConfig) => this.call("PUT", "/limits", limits);
  setLatency = (latency: LatencyConfig) => this.call("PUT", "/latency", latency);
  metrics = () => this.call<Metrics>("GET", "/metrics");
  resetMetrics = () => this.call("POST", "/metrics/reset");
  requests = () => this.call<{ requests: LoggedRequest[] }>("GET", "/requests").then((r) => r.requests);
  clearRequests = () => this.call("DELETE", "/requests");
  revokeRefreshToken = (filter: { refreshToken?: string; userId?: string } = {}) => this.call<{ revoked: number }>("POST", "/revoke-refresh-token", filter);
  /** Rotates an app registration's client secret (the old one is refused from then on). */
  setClientSecret = (clientId: string, clientSecret: string) => this.call("PUT", `/applications/${clientId}/secret`, { clientSecret });
  federatedToken = (subject: string, audience?: string) => this.call<{ token: string }>("POST", "/oidc/token", { subject, audience }).then((r) => r.token);
  /** Seed facts mid-run, e.g. `{ gdapRoles: ["Global Reader"] }`; the rest of the state stays. */
  patchCustomer = (customerId: string, facts: CustomerPatch) => this.call("PATCH", `/customers/${customerId}`, facts);
  patchUser = (customerId: string, userId: string, patch: Record<string, unknown>) => this.call("PATCH", `/customers/${customerId}/users/${userId}`, patch);
  deleteUser = (customerId: string, userId: string, mode: "soft" | "hard" = "hard") =>
    this.call("DELETE", `/customers/${customerId}/users/${userId}?mode=${mode}`);
  deleteGrant = (customerId: string, grantId: string) => this.call("DELETE", `/customers/${customerId}/oauth2PermissionGrants/${grantId}`);
  removeGrantScope = (customerId: string, grantId: string, scope: string) =>
    this.call("DELETE", `/customers/${customerId}/oauth2PermissionGrants/${grantId}/scopes/${encodeURIComponent(scope)}`);
  deleteServicePrincipal = (customerId: string, appId: string) => this.call("DELETE", `/customers/${customerId}/servicePrincipals/${appId}`);

  /** Closes its connections; the emulator's stop() closes the handle's own client, so a second close is a no-op. */
  close(): Promise<void> {
    return (this.closed ??= this.agent.close());
  }
}

export interface Inventory {
  now: string;
  partner: { tenantId: string; displayName: string; domain: string };
  /** The seed's further partner tenants and the customers each serves. */
  partners: { tenantId: string; displayName: string; domain: string; customers: string[] }[];
  customers: {
    id: string;
    /** The partner tenant that serves this customer. */
    partnerTenantId: string;
    displayName: string;
    domains: { name: string; federated: boolean }[];
    gdapRoles: string[];
    dapEnabled: boolean;
    users: Record<string, unknown>[];
    servicePrincipals: { id: string; appId: string; displayName: string }[];
    grants: { id: string; clientId: string; resourceId: string; scope: string; consentType: string }[];
    consents: Record<string, unknown>[];
  }[];
}

export interface Metrics {
  requests: Record<string, Record<string, number>>;
  tokensIssued: Record<string, number>;
  throttled: Record<string, number>;
  earlyRetries: Record<string, number>;
  maxRequestsPerSecond: Record<string, number>;
  connectionResets: number;
  /** TLS connections the server accepted. */
  tlsHandshakes: number;
  faultsInjected: number;
}
