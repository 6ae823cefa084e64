import { z } from "zod";
import { errorFromResponse, isPartnerCenterError, PartnerCenterError, responseMismatch, ServiceName } from "../errors";
import type { Pipeline } from "../http/pipeline";
import { isNetworkError, networkFailure } from "../http/networkErrors";
import { retryAfterInMs } from "../http/retryPolicy";
import type { PipelineRequest, PipelineResponse } from "../http/types";

export interface CallOptions<S extends z.ZodTypeAny | undefined> {
  method: PipelineRequest["method"];
  /** Absolute URL, or a path below the client's base URL. */
  url: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  schema: S;
  operation: string;
  customerId?: string;
  getAccessToken: () => Promise<string>;
  rateLimit?: PipelineRequest["rateLimit"];
  /** Statuses that are an answer, not an error (e.g. 404 for "gone"): `send` returns undefined for them. */
  tolerate?: number[];
  abortSignal?: AbortSignal;
}

/** What the three clients share: build the URL, send through the pipeline, turn answers into data or errors. */
export class ApiClient {
  constructor(
    protected readonly baseUrl: string,
    protected readonly service: ServiceName,
    protected readonly pipeline: Pipeline,
    private readonly timeoutInMs: number,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  async send<S extends z.ZodTypeAny | undefined>(
    opts: CallOptions<S>,
  ): Promise<(S extends z.ZodTypeAny ? z.output<S> : undefined) | undefined> {
    const response = await this.raw(opts);
    if (opts.tolerate?.includes(response.status)) return undefined;
    if (!opts.schema || response.status === 204 || !response.body) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      throw new PartnerCenterError(
        { operation: opts.operation, service: this.service, customerId: opts.customerId, statusCode: response.status, requestId: response.request.headers["MS-RequestId"] },
        `Could not ${opts.operation}: ${this.service} answered ${response.status} with a body that is not JSON.`,
      );
    }
    const parsed = opts.schema.safeParse(json);
    if (!parsed.success) throw responseMismatch(opts.operation, this.service, parsed.error, response.request.headers["MS-RequestId"]);
    return parsed.data as S extends z.ZodTypeAny ? z.output<S> : undefined;
  }

  /** Sends and returns the raw answer when it is 2xx or tolerated; otherwise throws the service's error. */
  async raw<S extends z.ZodTypeAny | undefined>(opts: CallOptions<S>): Promise<PipelineResponse> {
    const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    let response: PipelineResponse;
    try {
      response = await this.pipeline.send({
        method: opts.method,
        url: this.url(opts.url, opts.query),
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        operation: opts.operation,
        service: this.service,
        customerId: opts.customerId,
        getAccessToken: opts.getAccessToken,
        rateLimit: opts.rateLimit,
        abortSignal: opts.abortSignal,
        timeoutInMs: this.timeoutInMs,
      });
    } catch (err) {
      // No answer (retries ran out on a lost connection, or TLS refused the service's certificate): say
      // what failed, for which customer, at which host and why, like any other error, and keep the cause.
      if (isPartnerCenterError(err) || opts.abortSignal?.aborted || !isNetworkError(err)) throw err;
      throw networkFailure({
        operation: opts.operation,
        service: this.service,
        url: this.url(opts.url),
        customerId: opts.customerId,
        err,
        afterward: nextRunAdvice(opts.method),
      });
    }
    if ((response.status >= 200 && response.status < 300) || opts.tolerate?.includes(response.status)) return response;
    throw errorFromResponse({
      operation: opts.operation,
      service: this.service,
      customerId: opts.customerId,
      statusCode: response.status,
      body: response.body,
      requestId: response.headers["ms-requestid"] ?? response.request.headers["MS-RequestId"] ?? response.headers["request-id"],
      correlationId: response.headers["ms-correlationid"] ?? response.request.headers["MS-CorrelationId"],
      retryAfterSeconds: (() => {
        const ms = retryAfterInMs(response.headers, Date.now());
        return ms === undefined ? undefined : Math.ceil(ms / 1000);
      })(),
    });
  }

  protected url(pathOrUrl: string, query?: CallOptions<undefined>["query"]): string {
    const absolute = /^https?:\/\//i.test(pathOrUrl);
    const url = new URL(absolute ? pathOrUrl : `${this.baseUrl}/${pathOrUrl.replace(/^\/+/, "")}`);
    // Absolute URLs come from the service (next-page links): they must stay on the API's own origin
    // and base path, or a token would be sent wherever a page link points.
    const base = new URL(this.baseUrl);
    const basePath = base.pathname.replace(/\/+$/, "");
    if (url.origin !== base.origin || (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`))) {
      throw new PartnerCenterError(
        { operation: "build a request URL", service: this.service },
        `Could not follow ${absolute ? "a link from" : "a path for"} ${this.service}: ${url.origin}${url.pathname} is outside ${this.baseUrl}. Nothing was sent.`,
      );
    }
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }
}

/**
 * What the next run will need after a call whose outcome is unknown, by what the call does. A create
 * (POST) gets its advice from the resource that made it, which knows what the next run will find.
 */
function nextRunAdvice(method: PipelineRequest["method"]): string | undefined {
  if (method === "GET") return "Run the command again.";
  if (method === "POST") return undefined;
  return "The request may or may not have been applied; repeating it is safe: run the command again.";
}
