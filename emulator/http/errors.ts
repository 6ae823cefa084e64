import type { Api, RequestContext } from "./context";

/**
 * The one error type of the emulator. `render` builds the body at answer time because some
 * services put request ids and timestamps in their error bodies.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly render: (ctx: RequestContext) => unknown,
    readonly headers: Record<string, string> = {},
    message = `HTTP ${status}`,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

/** Partner Center (and the delegated-admin API, which this emulator answers in the same shape). */
export function partnerCenterError(
  status: number,
  code: string,
  description: string,
  opts: { customerId?: string; source?: string; headers?: Record<string, string> } = {},
): ServiceError {
  const headers = { ...opts.headers };
  if (status === 401) headers["WWW-Authenticate"] = `OAuth realm=urn:cpsvc:cpid:${opts.customerId ?? ""}`;
  return new ServiceError(
    status,
    () => ({ code, description: description.slice(0, 1024), data: [], source: opts.source ?? "PartnerApiServiceControllers" }),
    headers,
    `${code}: ${description}`,
  );
}

export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): ServiceError {
  return new ServiceError(
    status,
    (ctx) => ({
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ""), "request-id": ctx.requestId, "client-request-id": ctx.correlationId },
      },
    }),
    headers,
    `${code}: ${message}`,
  );
}

/** Entra ID's token endpoint errors: `AADSTSnnnn: text` plus trace and correlation ids. */
export function stsError(status: number, error: string, aadsts: number, text: string): ServiceError {
  return new ServiceError(
    status,
    (ctx) => {
      const timestamp = new Date()
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z");
      return {
        error,
        error_description: `AADSTS${aadsts}: ${text} Trace ID: ${ctx.requestId} Correlation ID: ${ctx.correlationId} Timestamp: ${timestamp}`,
        error_codes: [aadsts],
        timestamp,
        trace_id: ctx.requestId,
        correlation_id: ctx.correlationId,
        error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
      };
    },
    {},
    `AADSTS${aadsts}: ${text}`,
  );
}

/** 429: Partner Center documents a body unlike its other errors; Graph keeps its own shape. */
export function throttledError(api: Api, retryAfterSeconds: number): ServiceError {
  const headers = { "Retry-After": String(retryAfterSeconds) };
  if (api === "graph") {
    return graphError(429, "TooManyRequests", "Too many requests. Please try again later.", headers);
  }
  if (api === "sts") {
    return new ServiceError(429, () => ({ error: "temporarily_unavailable", error_description: "Too many requests." }), headers);
  }
  return new ServiceError(429, () => ({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.` }), headers);
}

/** The descriptions the Partner Center reference pages give each documented status (spec: cpv-application-consents). */
const documentedReasons: Record<number, string> = {
  400: "There was missing or invalid input.",
  401: "The request wasn't authenticated. The client needs to pass a valid access token for valid audience.",
  403: "The request was authenticated but was refused because the caller doesn't have the rights to invoke it.",
  404: "The resource isn't found or not available with the given input parameters.",
  500: "The partner API service or one of its dependencies failed to fulfill the request. Callers can retry the request.",
};

export const reasonOf = (status: number): string => documentedReasons[status] ?? `HTTP ${status}.`;

// chosen: Graph's error page lists these statuses but no one code for each; the directory's own codes
// where the emulator's Graph routes use them, the status's name otherwise.
const graphCodes: Record<number, string> = {
  400: "BadRequest",
  401: "InvalidAuthenticationToken",
  403: "Authorization_RequestDenied",
  404: "Request_ResourceNotFound",
  409: "Conflict",
  413: "RequestEntityTooLarge",
  503: "serviceNotAvailable",
};

// chosen: Entra documents no body per status for the token endpoint; the error names follow
// RFC 6749 section 5.2 (4xx) and the temporary-failure name Entra uses for its own outages (5xx), each
// with an AADSTS code Entra sends with that name (the 5xx codes as before).
function stsErrorFor(status: number, detail: string): ServiceError {
  if (status >= 500) return stsError(status, "temporarily_unavailable", 50058 + (status === 503 ? 0 : 1), detail);
  if (status === 401) return stsError(status, "invalid_client", 7000215, detail);
  if (status === 403) return stsError(status, "unauthorized_client", 700016, detail);
  return stsError(status, "invalid_request", 90100, detail);
}

/**
 * An error of any status in the shape of the API it happened on, for answers no handler chose:
 * injected faults, the body limit and unexpected failures. A 429 is the throttling answer.
 */
export function statusError(api: Api, status: number, detail = reasonOf(status)): ServiceError {
  if (status === 429) return throttledError(api, 1);
  if (api === "graph") return graphError(status, graphCodes[status] ?? (status >= 500 ? "generalException" : "BadRequest"), detail);
  if (api === "sts") return stsErrorFor(status, detail);
  if (api === "admin" || api === "oidc") return new ServiceError(status, () => ({ error: status >= 500 ? "internal_error" : "bad_request", message: detail }));
  // Partner Center's own bad-input code is 2000; its other errors carry the status as the code.
  return partnerCenterError(status, status === 400 ? "2000" : String(status), detail, { source: sourceFor(api) });
}

export const sourceFor = (api: Api): string => (api === "delegatedadmin" ? "CustomerServiceAdminApi" : "PartnerApiServiceControllers");

/** An error for a request that matched no route, in the shape of the API its prefix names. */
export function notFoundRoute(api: Api, method: string, path: string): ServiceError {
  const text = `No HTTP resource was found that matches the request URI '${method} ${path}'.`;
  if (api === "graph") return graphError(400, "BadRequest", `Resource not found for the segment in '${path}'.`);
  if (api === "sts") return stsError(404, "invalid_request", 90002, text);
  if (api === "admin" || api === "oidc") return new ServiceError(404, () => ({ error: "not_found", message: text }));
  return partnerCenterError(404, "404", text, { source: sourceFor(api) });
}
