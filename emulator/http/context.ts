import type { IncomingMessage, ServerResponse } from "http";
import type { JWTPayload } from "jose";

/** Which service a route belongs to; decides the error shape and the response headers. */
export type Api = "partnercenter" | "delegatedadmin" | "graph" | "sts" | "oidc" | "admin";

export interface Caller {
  claims: JWTPayload & Record<string, unknown>;
  tenantId: string;
  appId: string;
  /** App+User tokens carry `scp`; app-only tokens carry `roles`. */
  appOnly: boolean;
  userId?: string;
  scopes: string[];
  roles: string[];
}

/** Everything known about one request while it moves through the chain. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  /** The path as sent (still encoded): what logs, fault rules and assertion audiences see. */
  path: string;
  /** The path's segments, each decoded on its own (see router.ts): what routing sees. */
  segments: string[] | undefined;
  query: URLSearchParams;
  body: Buffer;
  requestId: string;
  correlationId: string;
  startedAtMs: number;
  api: Api;
  group: string;
  params: Record<string, string>;
  caller?: Caller;
}

/** What a handler returns; the serializer turns it into bytes and headers. */
export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** What an MS-RequestId replay answers instead of `body`, when `body` holds a secret the emulator does not keep. */
  replayBody?: unknown;
}

export function readJsonBody<T = unknown>(ctx: RequestContext): { ok: true; value: T } | { ok: false; reason: string } {
  const text = ctx.body.toString("utf8").trim();
  if (!text) return { ok: false, reason: "The request body is empty." };
  try {
    return { ok: true, value: JSON.parse(text) as T };
  } catch (e) {
    return { ok: false, reason: `The request body is not valid JSON: ${(e as Error).message}` };
  }
}
