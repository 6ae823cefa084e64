/**
 * Tokens through @azure/msal-node, for every credential kind the Partner Center APIs take:
 * app-only (client secret, certificate, a CI's federated OIDC token) and App+User (a partner user's
 * refresh token). One ConfidentialClientApplication per (authority, client id) for the life of the
 * process, and MSAL's own cache: a run asks the token endpoint once per (tenant, scope).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import { AccountInfo, AuthError, ConfidentialClientApplication, Configuration } from "@azure/msal-node";
import { appCredentialKinds, ProviderConfig } from "../config";
import { PartnerCenterError } from "../errors";
import { networkFailure } from "../http/networkErrors";
import type { Pipeline } from "../http/pipeline";
import type { TokenRequest, TokenSource } from "../http/types";
import { registerSecret } from "../redact";
import { tokenRequestFailure, UndiciNetworkClient } from "./networkClient";

/**
 * App-only tokens ask for `/.default`. App+User tokens ask for the delegated permission itself
 * (`user_impersonation`): Entra ID answers a delegated request with the granted scopes, and MSAL
 * caches the token under those, so asking for `/.default` again would miss the cache every time.
 */
export const scopes = {
  partnerCenter: "https://api.partnercenter.microsoft.com/.default",
  partnerCenterUser: "https://api.partnercenter.microsoft.com/user_impersonation",
  delegatedAdminUser: "https://api.partnercustomeradministration.microsoft.com/user_impersonation",
  graph: "https://graph.microsoft.com/.default",
} as const;

export class Credentials implements TokenSource {
  readonly networkClient: UndiciNetworkClient;
  private readonly apps = new Map<string, ConfidentialClientApplication>();
  private userAccount?: Promise<AccountInfo>;
  private readonly appTokensInFlight = new Map<string, Promise<string>>();
  /** Tokens a service refused as expired while MSAL still holds them as valid (clocks disagree). */
  private readonly refused = new Set<string>();
  private readonly authorityHost: string;

  /** `tokenPipeline` carries MSAL's requests: retries, TLS trust and the debug log, as for API calls. */
  constructor(
    private readonly config: ProviderConfig,
    tokenPipeline: Pipeline,
  ) {
    this.networkClient = new UndiciNetworkClient(tokenPipeline, config.requestTimeoutMs);
    this.authorityHost = config.authorityHost.replace(/\/+$/, "");
  }

  /** A service said this token expired: the next request for its (tenant, scope) gets a fresh one. */
  expired(token: string): void {
    this.refused.add(token);
  }

  /** The token a request asks for (see the auth policy). */
  getToken(request: TokenRequest): Promise<string> {
    return request.user ? this.userToken(request.scope) : this.appToken(request.scope, request.tenantId);
  }

  get hasAppCredential(): boolean {
    return appCredentialKinds(this.config).length > 0;
  }

  get hasUserCredential(): boolean {
    return Boolean(this.config.refreshToken);
  }

  /**
   * An app-only token; `tenantId` defaults to the partner's (a customer's for Graph read-back).
   * Concurrent callers for the same (tenant, scope) share one request: MSAL's cache only helps once
   * a token is in it, and a `pulumi up` starts hundreds of creates at once.
   */
  async appToken(scope: string, tenantId = this.config.tenantId): Promise<string> {
    const key = `${tenantId}|${scope}`;
    let pending = this.appTokensInFlight.get(key);
    if (!pending) {
      const app = this.app(tenantId);
      pending = this.guard(`get an app-only token for ${scope} in tenant ${tenantId}`, async () => {
        let result = await app.acquireTokenByClientCredential({ scopes: [scope] });
        if (result && this.refused.has(result.accessToken)) result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: true });
        if (!result?.accessToken) throw new Error("the token endpoint returned no access token");
        registerSecret(result.accessToken);
        return result.accessToken;
      }).finally(() => this.appTokensInFlight.delete(key));
      this.appTokensInFlight.set(key, pending);
    }
    return pending;
  }

  /** An App+User token of the partner user behind partnercenter:refreshToken. */
  async userToken(scope: string): Promise<string> {
    if (!this.config.refreshToken) {
      throw new PartnerCenterError(
        { operation: `get an App+User token for ${scope}` },
        `This call needs App+User credentials (Partner Center accepts only a partner user's token for it): set partnercenter:refreshToken (--secret) to a refresh token of a partner user with the needed GDAP roles.`,
      );
    }
    const app = this.app(this.config.tenantId);
    return this.guard(`get an App+User token for ${scope}`, async () => {
      // The first call redeems the configured refresh token; later calls (other scopes too) are served
      // from MSAL's cache, which refreshes with the rotated refresh token it holds. forceCache: MSAL
      // otherwise drops what a refresh-token redemption returns when the account is not yet cached.
      this.userAccount ??= app.acquireTokenByRefreshToken({ refreshToken: this.config.refreshToken!, scopes: [scope], forceCache: true }).then((r) => {
        if (!r?.account) throw new Error("the token endpoint returned no account for the refresh token");
        registerSecret(r.accessToken);
        return r.account;
      });
      let account: AccountInfo;
      try {
        account = await this.userAccount;
      } catch (err) {
        this.userAccount = undefined;
        throw err;
      }
      let result = await app.acquireTokenSilent({ account, scopes: [scope] });
      if (this.refused.has(result.accessToken)) result = await app.acquireTokenSilent({ account, scopes: [scope], forceRefresh: true });
      registerSecret(result.accessToken);
      return result.accessToken;
    });
  }

  private app(tenantId: string): ConfidentialClientApplication {
    const authority = `${this.authorityHost}/${tenantId}`;
    const key = `${authority}|${this.config.clientId}`;
    let app = this.apps.get(key);
    if (!app) {
      app = new ConfidentialClientApplication(this.msalConfiguration(authority, tenantId));
      this.apps.set(key, app);
    }
    return app;
  }

  private msalConfiguration(authority: string, tenantId: string): Configuration {
    const host = new URL(this.authorityHost).host;
    // Metadata that MSAL would otherwise discover over the network: with it, no call leaves for a
    // host other than the configured authority (the emulator, or Entra ID itself).
    const authorityMetadata = {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      issuer: `${this.authorityHost}/${tenantId}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    };
    const cloudDiscoveryMetadata = {
      tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
    return {
      auth: {
        clientId: this.config.clientId,
        authority,
        knownAuthorities: [host],
        authorityMetadata: JSON.stringify(authorityMetadata),
        cloudDiscoveryMetadata: JSON.stringify(cloudDiscoveryMetadata),
        ...this.appCredential(),
      },
      // MSAL hands out a cached token only while it stays valid for 5 more minutes (its fixed
      // tokenRenewalOffsetSeconds); the auth policy asks just before each attempt, so that covers it.
      system: { networkClient: this.networkClient },
    };
  }

  private appCredential(): Pick<Configuration["auth"], "clientSecret" | "clientCertificate" | "clientAssertion"> {
    const c = this.config;
    if (c.clientSecret) return { clientSecret: c.clientSecret };
    if (c.certificatePath) {
      const pem = fs.readFileSync(c.certificatePath, "utf8");
      const key = pem.match(/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/);
      if (!key) {
        throw new PartnerCenterError(
          { operation: "read the client certificate" },
          `partnercenter:certificatePath (${c.certificatePath}) holds no PEM private key: it must contain the certificate and its private key.`,
        );
      }
      const privateKey = crypto.createPrivateKey(key[0]).export({ format: "pem", type: "pkcs8" }).toString();
      const thumb = c.certificateThumbprint!.toUpperCase();
      return {
        clientCertificate: thumb.length === 64 ? { thumbprintSha256: thumb, privateKey } : { thumbprint: thumb, privateKey },
      };
    }
    // A CI's OIDC token rotates: read it again on every token request.
    return {
      clientAssertion: async () => {
        const token = c.federatedTokenFile ? fs.readFileSync(c.federatedTokenFile, "utf8").trim() : c.federatedToken!;
        registerSecret(token);
        return token;
      },
    };
  }

  private async guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof PartnerCenterError) throw err;
      const unanswered = tokenRequestFailure(err);
      if (unanswered) throw networkFailure({ operation, service: "Entra ID", url: unanswered.url, err: unanswered.failure });
      if (err instanceof AuthError) {
        // MSAL's text is "Error(s): … - Timestamp: … - Description: AADSTS…: <Entra's sentence> Trace ID: … -
        // Correlation ID: …": keep Entra's sentence; the correlation id is kept apart.
        const description = /Description: ([\s\S]*?)(?: - Correlation ID:| - Trace ID:|$)/.exec(err.errorMessage)?.[1] ?? err.errorMessage.split(/\r?\n/)[0];
        const text = description.replace(/^AADSTS\d+:\s*/, "").replace(/\s*Trace ID:[\s\S]*$/, "");
        const status = (err as { status?: unknown }).status;
        throw new PartnerCenterError({
          operation,
          service: "Entra ID",
          statusCode: typeof status === "number" ? status : undefined,
          serviceCode: /AADSTS\d+/.exec(description)?.[0] ?? err.errorCode,
          serviceMessage: `${err.errorCode}: ${text}`,
          correlationId: err.correlationId,
          cause: undefined,
        });
      }
      throw new PartnerCenterError({ operation, service: "Entra ID", serviceMessage: (err as Error).message });
    }
  }
}
