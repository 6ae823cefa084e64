/**
 * One HTTP pipeline for every call the provider makes, as in the Azure SDK: small named policies in a
 * fixed order, each in its own file, ending in the undici transport.
 *
 *   requestIds -> retry -> expiredToken -> rateLimit -> auth -> logging -> transport
 *
 * The order matters: ids are fixed before retries (so a retried POST keeps its MS-RequestId), every
 * attempt (retries and the one resend after an expired token included) takes a rate-limit slot, the
 * token is taken for each attempt after its wait in the rate limiter and its backoff (a long queue
 * never sends a token that expired while it waited), and logging sees each attempt as it goes on
 * the wire. A policy reads only the request's transport fields (see types.ts).
 */
import { authPolicy, expiredTokenPolicy } from "./authPolicy";
import { LogFn, loggingPolicy } from "./loggingPolicy";
import type { RateLimiter } from "./rateLimiter";
import { rateLimitPolicy } from "./rateLimitPolicy";
import { requestIdsPolicy } from "./requestIdsPolicy";
import { defaultRetryOptions, retryPolicy, RetryOptions } from "./retryPolicy";
import type { Clock, PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest, TokenSource } from "./types";

export class Pipeline {
  constructor(
    private readonly policies: PipelinePolicy[],
    private readonly transport: SendRequest,
  ) {}

  /** The policies' names, in order (for tests and diagnostics). */
  get policyNames(): string[] {
    return this.policies.map((p) => p.name);
  }

  send(request: PipelineRequest): Promise<PipelineResponse> {
    const run = (index: number, req: PipelineRequest): Promise<PipelineResponse> =>
      index === this.policies.length ? this.transport(req) : this.policies[index].sendRequest(req, (next) => run(index + 1, next));
    return run(0, request);
  }
}

export interface PipelineOptions {
  retry: Partial<RetryOptions>;
  log: LogFn;
  clock?: Clock;
}

/** The pipeline of API calls, in the order above. */
export function apiPipeline(opts: PipelineOptions & { limiter: RateLimiter; tokens: TokenSource }, transport: SendRequest): Pipeline {
  return new Pipeline(
    [
      requestIdsPolicy,
      retryPolicy({ clock: opts.clock, ...opts.retry }),
      expiredTokenPolicy(opts.tokens),
      rateLimitPolicy(opts.limiter, opts.retry.baseDelayInMs ?? defaultRetryOptions.baseDelayInMs, opts.clock),
      authPolicy(opts.tokens),
      loggingPolicy(opts.log, opts.clock),
    ],
    transport,
  );
}

/**
 * The pipeline of MSAL's token requests: the same retries (backoff, Retry-After, limits) and the same
 * log of each attempt as API calls; no Partner Center ids, no client-side rate limit, no token.
 */
export function tokenPipeline(opts: PipelineOptions, transport: SendRequest): Pipeline {
  return new Pipeline([retryPolicy({ clock: opts.clock, ...opts.retry }), loggingPolicy(opts.log, opts.clock)], transport);
}
