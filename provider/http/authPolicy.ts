import type { PipelinePolicy, PipelineResponse } from "./types";

/** Told which token a service refused as expired, so that the next request for one gets a fresh token. */
export interface TokenExpiryListener {
  expired(token: string): void;
}

/**
 * Adds the bearer token, taken for each attempt as it goes out (the policy sits after the rate limit
 * and the retry policy): a request that waited in a long queue, or through backoffs, never carries a
 * token taken before the wait. MSAL's cache makes this cheap, and hands out only tokens valid for its
 * renewal offset (5 minutes) or more. A token can still be refused as expired (the service's clock
 * ahead of ours, a token revoked early): that answer is sent again once, with a fresh token.
 */
export function authPolicy(tokens: TokenExpiryListener = { expired: () => undefined }): PipelinePolicy {
  return {
    name: "auth",
    async sendRequest(request, next) {
      const getAccessToken = request.getAccessToken;
      if (!getAccessToken) return next(request);
      const send = async () => {
        const token = await getAccessToken();
        const response = await next({ ...request, headers: { ...request.headers, Authorization: `Bearer ${token}` } });
        return { token, response };
      };
      const first = await send();
      if (!isExpiredTokenAnswer(first.response)) return first.response;
      tokens.expired(first.token);
      // The second send is a request on the wire like any other: it takes its rate-limit slot.
      await request.acquireSlot?.();
      return (await send()).response;
    },
  };
}

/**
 * A 401 that says the token expired: Partner Center and Graph put it in the body ("Lifetime
 * validation failed, the token is expired"), other Microsoft APIs in WWW-Authenticate
 * (`error="invalid_token", error_description="The access token expired"`).
 */
export function isExpiredTokenAnswer(response: PipelineResponse): boolean {
  if (response.status !== 401) return false;
  return /expired/i.test(response.headers["www-authenticate"] ?? "") || /token (is|has) expired|expired token|lifetime validation failed/i.test(response.body);
}
