import type { PipelinePolicy, PipelineResponse, TokenSource } from "./types";

/**
 * Adds the bearer token the request asks for (`request.auth`), taken for each attempt as it goes out:
 * the policy sits after the rate limit, so a request that waited in a long queue, or through backoffs,
 * never carries a token taken before the wait. MSAL's cache makes this cheap, and hands out only
 * tokens valid for its renewal offset (5 minutes) or more.
 */
export function authPolicy(tokens: TokenSource): PipelinePolicy {
  return {
    name: "auth",
    async sendRequest(request, next) {
      if (!request.auth) return next(request);
      const token = await tokens.getToken(request.auth);
      return next({ ...request, headers: { ...request.headers, Authorization: `Bearer ${token}` } });
    },
  };
}

/**
 * A token can still be refused as expired (the service's clock ahead of ours, a token revoked early):
 * that answer is sent again once, through the rate limit and the auth policy again (a slot of its own,
 * and a fresh token: the source is told which token was refused).
 */
export function expiredTokenPolicy(tokens: TokenSource): PipelinePolicy {
  return {
    name: "expiredToken",
    async sendRequest(request, next) {
      const first = await next(request);
      if (!request.auth || !isExpiredTokenAnswer(first)) return first;
      tokens.expired((first.request.headers.Authorization ?? "").replace(/^Bearer /, ""));
      return next(request);
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
