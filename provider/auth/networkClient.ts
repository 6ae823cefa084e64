import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { Agent, request } from "undici";

/**
 * MSAL's HTTP calls go through our undici agent (`system.networkClient`), so the token endpoint gets
 * the same TLS trust (the emulator's CA where configured) and connection pool as the APIs.
 */
export class UndiciNetworkClient implements INetworkModule {
  /** Token requests that went over the wire: the figure that shows MSAL's cache at work. */
  tokenRequests = 0;

  constructor(private readonly agent: Agent, private readonly timeoutInMs = 30_000) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>("GET", url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    if (/\/oauth2\/v2\.0\/token$/.test(new URL(url).pathname)) this.tokenRequests++;
    return this.send<T>("POST", url, options);
  }

  private async send<T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions, timeout?: number) {
    const res = await request(url, {
      dispatcher: this.agent,
      method,
      headers: options?.headers,
      body: options?.body,
      signal: AbortSignal.timeout(timeout ?? this.timeoutInMs),
    });
    const text = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { error: "invalid_response", error_description: `non-JSON answer (${res.statusCode}) from ${new URL(url).host}` };
    }
    return { headers, body: body as T, status: res.statusCode };
  }
}
