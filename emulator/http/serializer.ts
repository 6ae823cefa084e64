import type { ApiResponse, RequestContext } from "./context";

/**
 * Writes a response with the headers every Partner Center answer carries (MS-RequestId,
 * MS-CorrelationId, MS-CV, MS-ServerId) plus Graph's request-id, on every API alike.
 */
export function serialize(ctx: RequestContext, response: ApiResponse, serverId: string): void {
  const headers: Record<string, string> = {
    "MS-RequestId": ctx.requestId,
    "MS-CorrelationId": ctx.correlationId,
    "MS-CV": `${Buffer.from(ctx.requestId).toString("base64").slice(0, 16)}.0`,
    "MS-ServerId": serverId,
    "request-id": ctx.requestId,
    "client-request-id": ctx.correlationId,
    "Cache-Control": "no-store, no-cache",
    ...response.headers,
  };
  let payload: Buffer | undefined;
  if (response.body !== undefined && response.status !== 204) {
    payload = Buffer.from(typeof response.body === "string" ? response.body : JSON.stringify(response.body));
    headers["Content-Type"] ??= "application/json; charset=utf-8";
    headers["Content-Length"] = String(payload.length);
  }
  ctx.res.writeHead(response.status, headers);
  ctx.res.end(payload);
}

/** The bytes a response would carry, for the idempotency record (replayed verbatim later). */
export function bodyText(response: ApiResponse): string {
  if (response.body === undefined) return "";
  return typeof response.body === "string" ? response.body : JSON.stringify(response.body);
}
