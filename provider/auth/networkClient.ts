import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from "@azure/msal-node";
import type { Pipeline } from "../http/pipeline";

const failureKey = Symbol("tokenRequestFailure");

/**
 * A token request that got no answer after every retry. It must be an AuthError for MSAL to pass it
 * through (MSAL turns any other error into a bare "network_error: Network request failed"), and
 * AuthError cannot be subclassed (it resets its prototype), so the failure rides on a symbol.
 */
function tokenRequestError(url: string, failure: unknown): AuthError {
  return Object.assign(new AuthError("network_error", `no answer from ${new URL(url).host}`), { [failureKey]: { url, failure } });
}

/** The URL and the cause of a token request that got no answer, if `err` is one. */
export function tokenRequestFailure(err: unknown): { url: string; failure: unknown } | undefined {
  return (err as { [failureKey]?: { url: string; failure: unknown } } | undefined)?.[failureKey];
}

/**
 * MSAL's HTTP calls go through a pipeline of our own (`system.networkClient`): the same undici agent
 * (TLS trust, connection pool) as the APIs, the same retry policy (5xx, 429 with Retry-After, lost
 * connections, timeouts; same backoff and limits) and the same debug log of each attempt. Retrying
 * here, below MSAL, keeps MSAL's one-request-per-(tenant, scope) caching and its error handling of
 * the final answer (an AADSTS error is never retried: it is a 400/401).
 */
export class UndiciNetworkClient implements INetworkModule {
  /** Token requests MSAL made (a retried one counts once): the figure that shows MSAL's cache at work. */
  tokenRequests = 0;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly timeoutInMs = 30_000,
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>("GET", url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    if (/\/oauth2\/v2\.0\/token$/.test(new URL(url).pathname)) this.tokenRequests++;
    return this.send<T>("POST", url, options);
  }

  private async send<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions, timeout?: number) {
    let res;
    try {
      res = await this.pipeline.send({
        method,
        url,
        headers: options?.headers ?? {},
        body: options?.body,
        idempotent: true,
        timeoutInMs: timeout ?? this.timeoutInMs,
      });
    } catch (err) {
      throw tokenRequestError(url, err);
    }
    let body: unknown;
    try {
      body = res.body ? JSON.parse(res.body) : {};
    } catch {
      body = { error: "invalid_response", error_description: `non-JSON answer (${res.status}) from ${new URL(url).host}` };
    }
    return { headers: res.headers, body: body as T, status: res.status };
  }
}
