import type { ApiResponse, RequestContext } from "../http/context";
import { bodyText } from "../http/serializer";
import type { Services } from "../services";

/**
 * Partner Center's MS-RequestId contract: a write repeated with the same id (per partner) within
 * the window answers with the first recorded response and changes nothing. Only requests that
 * carried their own MS-RequestId take part.
 */
export function idempotencyKey(ctx: RequestContext): string | undefined {
  const id = ctx.req.headers["ms-requestid"];
  if (typeof id !== "string" || !id || !ctx.caller) return undefined;
  return `${ctx.caller.tenantId}|${id.toLowerCase()}`;
}

export function replay(key: string, svc: Services): ApiResponse | undefined {
  const recorded = svc.store.getRecordedResponse(key);
  if (!recorded) return undefined;
  return { status: recorded.status, body: recorded.body || undefined, headers: { ...recorded.headers, "X-Emulator-Replayed": "true" } };
}

export function record(key: string, response: ApiResponse, svc: Services): void {
  svc.store.recordResponse(key, { status: response.status, headers: { ...(response.headers ?? {}) }, body: bodyText(response), atMs: svc.clock.nowMs() });
}
