import { z } from "zod";
import { errorFromResponse, isPartnerCenterError, PartnerCenterError, responseMismatch, ServiceName } from "../errors";
import type { Pipeline } from "../http/pipeline";
import { isNetworkError, networkFailure } from "../http/networkErrors";
import { retryAfterInMs } from "../http/retryPolicy";
import type { PipelineRequest, PipelineResponse, TokenRequest } from "../http/types";

export interface CallOptions {
  method: PipelineRequest["method"];
  /** Absolute URL, or a path below the client's base URL. */
  url: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** For error messages: "create user alice@contoso.com". */
  operation: string;
  customerId?: string;
  auth: TokenRequest;
  rateLimit?: PipelineRequest["rateLimit"];
  abortSignal?: AbortSignal;
}

/** Where the next page of a list is: a URL (absolute, or below the base URL) and the headers it needs. */
export interface NextPage {
  url: string;
  headers?: Record<string, string>;
}

/** A Graph (OData) list's next page: `@odata.nextLink`. */
export function odataNextPage(page: { "@odata.nextLink"?: string }): NextPage | undefined {
  const link = page["@odata.nextLink"];
  return link ? { url: link } : undefined;
}

/**
 * A Partner Center list's next page: `links.next`, with its continuation headers (MS-ContinuationToken).
 * Its uri comes absolute, or relative to the API with or without the /v1 prefix.
 */
export function continuationNextPage(page: { links?: { next?: { uri: string; headers?: { key: string; value: string }[] } } }): NextPage | undefined {
  const next = page.links?.next;
  if (!next) return undefined;
  return {
    url: /^https?:\/\//i.test(next.uri) ? next.uri : next.uri.replace(/^\/*(v1\/)?/, ""),
    headers: Object.fromEntries((next.headers ?? []).map((h) => [h.key, h.value])),
  };
}

/** Lists longer than this are taken for a service that keeps answering the same page. */
const maxPages = 10_000;

type Parsed<S> = S extends z.ZodTypeAny ? z.output<S> : void;

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

  /** Sends; a 2xx answer is parsed with `schema` (without one, it is only checked), anything else is the service's error. */
  async send<S extends z.ZodTypeAny | undefined = undefined>(opts: CallOptions & { schema?: S }): Promise<Parsed<S>> {
    return this.parse(opts, await this.exchange(opts));
  }

  /** As {@link send}, but a 404 is an answer: undefined (a read of something gone, or a delete of something already gone). */
  async sendOrNotFound<S extends z.ZodTypeAny | undefined = undefined>(opts: CallOptions & { schema?: S }): Promise<Parsed<S> | undefined> {
    const response = await this.exchange(opts, 404);
    return response.status === 404 ? undefined : this.parse(opts, response);
  }

  /** The pages of a list, first to last, following the link `nextPage` finds in each. */
  async *paginate<S extends z.ZodTypeAny>(
    opts: CallOptions & { schema: S },
    nextPage: (page: z.output<S>) => NextPage | undefined,
  ): AsyncGenerator<z.output<S>> {
    let call = opts;
    for (let n = 0; n < maxPages; n++) {
      const page = (await this.send(call)) as z.output<S>;
      yield page;
      const next = nextPage(page);
      if (!next) return;
      call = { ...call, url: next.url, query: undefined, headers: next.headers };
    }
    throw new PartnerCenterError(
      { operation: opts.operation, service: this.service, customerId: opts.customerId },
      `Could not ${opts.operation}: ${this.service} still answered with a next page after ${maxPages} pages.`,
    );
  }

  /** Sends and returns the 2xx answer itself, for calls whose status says what comes next (202 + Location). */
  protected async sendForResponse(opts: CallOptions): Promise<PipelineResponse> {
    return this.exchange(opts);
  }

  protected parse<S extends z.ZodTypeAny | undefined>(opts: CallOptions & { schema?: S }, response: PipelineResponse): Parsed<S> {
    if (!opts.schema) return undefined as Parsed<S>;
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      throw new PartnerCenterError(
        {
          operation: opts.operation,
          service: this.service,
          customerId: opts.customerId,
          statusCode: response.status,
          requestId: response.request.headers["MS-RequestId"],
        },
        `Could not ${opts.operation}: ${this.service} answered ${response.status} with a body that is not JSON.`,
      );
    }
    const parsed = opts.schema.safeParse(json);
    if (!parsed.success) throw responseMismatch(opts.operation, this.service, parsed.error, response.request.headers["MS-RequestId"]);
    return parsed.data as Parsed<S>;
  }

  /** Sends and returns the answer when it is 2xx or `tolerated`; otherwise throws the service's error. */
  private async exchange(opts: CallOptions, tolerated?: number): Promise<PipelineResponse> {
    const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    let response: PipelineResponse;
    try {
      response = await this.pipeline.send({
        method: opts.method,
        url: this.url(opts.url, opts.query),
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        auth: opts.auth,
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
    if ((response.status >= 200 && response.status < 300) || response.status === tolerated) return response;
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

  protected url(pathOrUrl: string, query?: CallOptions["query"]): string {
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
