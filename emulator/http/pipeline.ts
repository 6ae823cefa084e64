import type { IncomingMessage, ServerResponse } from "http";
import { authenticate } from "../auth/bearer";
import { newGuid } from "../ids";
import { grantTypeOf } from "../policies/faults";
import { idempotencyKey, record, replay } from "../policies/idempotency";
import type { Services } from "../services";
import type { ApiResponse, RequestContext } from "./context";
import { maxBodyBytes, readBody } from "./body";
import { notFoundRoute, reasonOf, ServiceError, statusError, throttledError } from "./errors";
import { apiOf, pathSegments, Router } from "./router";
import { serialize } from "./serializer";

const writeMethods = new Set(["POST", "PATCH", "PUT", "DELETE"]);

function context(req: IncomingMessage, res: ServerResponse, baseUrl: string): RequestContext {
  // An absolute-form target (RFC 9112 section 3.2.2) carries its path after the authority.
  const target = (req.url ?? "/").replace(/^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i, "") || "/";
  // Not URL.pathname: the URL parser resolves `%2E%2E` segments, which must reach routing as sent.
  const path = target.split(/[?#]/, 1)[0];
  let segments = pathSegments(path);
  let url: URL;
  try {
    url = new URL(target, baseUrl);
  } catch {
    // A target no URL parser takes matches no route: the answer is a 404, not a crash.
    url = new URL(baseUrl);
    segments = undefined;
  }
  const header = (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : undefined);
  return {
    req,
    res,
    method: (req.method ?? "GET").toUpperCase(),
    url,
    path,
    segments,
    query: url.searchParams,
    body: Buffer.alloc(0),
    requestId: header("ms-requestid") ?? newGuid(),
    correlationId: header("ms-correlationid") ?? header("client-request-id") ?? newGuid(),
    startedAtMs: Date.now(),
    api: apiOf(segments ? `/${segments.join("/")}` : path),
    group: "unknown",
    params: {},
  };
}

/**
 * The fixed chain every request goes through:
 * context -> body (at most 4 MiB) -> dispatch -> latency -> authentication -> throttle -> faults -> idempotency -> handler
 * -> serializer, with errors from any step rendered in the shape of the API the path belongs to.
 */
export function createPipeline(router: Router, svc: Services) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const ctx = context(req, res, svc.baseUrl);
    let status: number | "reset" = 500;
    const isApi = ctx.api !== "admin";
    try {
      // Before anything else, authenticated or not: a huge body is refused unread.
      const body = await readBody(req);
      if (!body) throw tooLarge(ctx);
      ctx.body = body;
      const match = router.match(ctx.method, ctx.segments);
      if (!("route" in match)) {
        throw notFoundRoute(ctx.api, ctx.method, ctx.path);
      }
      const { route, params } = match;
      ctx.group = route.group;
      ctx.params = params;
      if (route.api === "admin") {
        if (!isLoopback(ctx.req.socket.remoteAddress))
          throw new ServiceError(403, () => ({ error: "forbidden", message: "The admin API serves loopback callers only." }));
        status = respond(ctx, await route.handler(ctx, svc), svc);
        return;
      }
      svc.store.expire(svc.clock.nowMs());
      await svc.latency.wait();
      ctx.caller = await authenticate(route.auth, ctx, svc);

      const throttled = svc.throttle.check(route.group, ctx.caller, params.customerId);
      if (throttled?.retryAfterSeconds) throw throttledError(ctx.api, throttled.retryAfterSeconds);

      const fault = svc.faults.decide(route.group, ctx.method, ctx.path, grantTypeOf(route.group, ctx.body));
      if (fault?.action === "resetBeforeCommit") {
        status = reset(ctx, svc);
        return;
      }
      if (fault?.action === "status") throw injected(ctx, fault.status ?? 500);
      if (fault?.action === "delay" && !(await svc.faults.hold(fault.delayMs ?? 0))) {
        status = reset(ctx, svc);
        return;
      }

      const key = route.idempotent ? idempotencyKey(ctx) : undefined;
      let response = key ? replay(key, svc) : undefined;
      if (!response) {
        try {
          response = await route.handler(ctx, svc);
        } catch (e) {
          // Business errors are part of the recorded outcome of a request id, like successes.
          if (!(e instanceof ServiceError) || !key) throw e;
          response = { status: e.status, body: e.render(ctx), headers: e.headers };
        }
        if (key) record(key, response, svc);
        if (key || writeMethods.has(ctx.method) || route.group === "token") svc.store.commit();
        if (writeMethods.has(ctx.method)) await svc.latency.afterCommit();
      }
      if (fault?.action === "resetAfterCommit") {
        status = reset(ctx, svc);
        return;
      }
      status = respond(ctx, response, svc);
    } catch (e) {
      const error = e instanceof ServiceError ? e : statusError(ctx.api, 500, `Unexpected emulator error: ${(e as Error).message}`);
      if (!(e instanceof ServiceError)) console.error("[partnercenter-emulator]", e);
      status = respond(ctx, { status: error.status, body: error.render(ctx), headers: error.headers }, svc);
    } finally {
      if (isApi) {
        svc.metrics.countRequest(ctx.group, status);
        svc.requestLog.add({
          time: new Date(ctx.startedAtMs).toISOString(),
          method: ctx.method,
          path: ctx.path,
          query: ctx.url.search,
          status,
          group: ctx.group,
          requestId: ctx.requestId,
          correlationId: ctx.correlationId,
          tenantId: ctx.caller?.tenantId,
          appId: ctx.caller?.appId,
          durationMs: Date.now() - ctx.startedAtMs,
        });
      }
    }
  };
}

/** An injected failure answers like a real one of its status, marked so that a reader of logs tells them apart. */
const injected = (ctx: RequestContext, status: number): ServiceError => statusError(ctx.api, status, `${reasonOf(status)} (injected fault)`);

/**
 * 413 for a body over the limit. The unread rest of the body is never read: the socket stays paused
 * until the client, having read the answer, closes it (closing it first would reset the connection
 * under the answer), or a grace period ends.
 */
function tooLarge(ctx: RequestContext): ServiceError {
  ctx.res.once("finish", () => setTimeout(() => ctx.req.socket.destroy(), 2000).unref());
  return statusError(ctx.api, 413, `The request body is larger than ${maxBodyBytes / 1024 / 1024} MiB.`);
}

function respond(ctx: RequestContext, response: ApiResponse, svc: Services): number {
  serialize(ctx, response, svc.serverId);
  return response.status;
}

/** A connection reset: the socket is destroyed without an answer, as a dropped connection looks to a client. */
function reset(ctx: RequestContext, svc: Services): "reset" {
  svc.metrics.resets++;
  ctx.req.socket.destroy();
  return "reset";
}

const isLoopback = (addr: string | undefined): boolean => !!addr && (addr === "::1" || addr.startsWith("127.") || addr.startsWith("::ffff:127."));
