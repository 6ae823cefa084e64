import { createHash } from "crypto";
import type { ApiResponse, RequestContext } from "../http/context";
import { bodyText } from "../http/serializer";
import type { Services } from "../services";

/**
 * Partner Center's MS-RequestId contract: a write repeated with the same id within the window
 * answers with the first recorded response and changes nothing. Only requests that carried their
 * own MS-RequestId take part.
 *
 * A repeat is the same request: the same caller (tenant, application, user), method, path and body.
 * chosen: the same id on any other request is a new request, handled on its own (the service
 * documents the header only as an idempotency key); replaying the first answer there would report
 * an object the caller did not ask for and create nothing.
 */
export function idempotencyKey(ctx: RequestContext): string | undefined {
  const id = ctx.req.headers["ms-requestid"];
  if (typeof id !== "string" || !id || !ctx.caller) return undefined;
  const { tenantId, appId, userId } = ctx.caller;
  const request = createHash("sha256")
    .update(JSON.stringify([tenantId, appId, userId ?? null, ctx.method, ctx.path]))
    .update("\n")
    .update(ctx.body)
    .digest("base64url");
  return `${tenantId}|${id.toLowerCase()}|${request}`;
}

export function replay(key: string, svc: Services): ApiResponse | undefined {
  const recorded = svc.store.getRecordedResponse(key);
  if (!recorded) return undefined;
  return { status: recorded.status, body: recorded.body || undefined, headers: { ...recorded.headers, "X-Emulator-Replayed": "true" } };
}

export function record(key: string, response: ApiResponse, svc: Services): void {
  const body = bodyText({ ...response, body: response.replayBody ?? response.body });
  svc.store.recordResponse(key, { status: response.status, headers: { ...(response.headers ?? {}) }, body, atMs: svc.clock.nowMs() });
}
