import type { Api, ApiResponse, RequestContext } from "./context";
import type { Services } from "../services";

export type Handler = (ctx: RequestContext, svc: Services) => ApiResponse | Promise<ApiResponse>;

/** Which token a route accepts; see auth/bearer.ts. */
export type AuthKind = "none" | "partnercenter" | "delegatedadmin" | "graph";

export interface Route {
  method: string;
  segments: RegExp[];
  keys: string[];
  api: Api;
  /** Route group: the unit of limits, faults and metrics (e.g. "users", "consents"). */
  group: string;
  auth: AuthKind;
  handler: Handler;
  /** Partner Center writes honour MS-RequestId replay. */
  idempotent?: boolean;
}

/**
 * `/a/:id/b` -> one RegExp per path segment, with named parameters. Matching is per segment of the
 * path as sent, each segment decoded on its own: `%2F` and `%2E%2E` stay inside their segment and
 * never act as separators, so a client's encoding bug is a 404 instead of a call to another resource.
 * Parameters never hold quotes or parentheses.
 */
export function route(method: string, template: string, spec: { api: Api; group: string; auth: AuthKind; idempotent?: boolean }, handler: Handler): Route {
  const keys: string[] = [];
  const segments = template
    .split("/")
    .slice(1)
    .map((segment) => {
      const source = segment
        .split(/(:[A-Za-z]+)/)
        .map((part) => {
          if (part.startsWith(":")) {
            keys.push(part.slice(1));
            return "([^/'()]+)";
          }
          return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("");
      return new RegExp(`^${source}$`, "i");
    });
  return { method, segments, keys, handler, ...spec };
}

/**
 * `/a/b%2Fc/` -> `["a", "b/c", ""]`: the segments of a raw path, each decoded once. Undefined when
 * an escape is malformed, so that no route matches.
 */
export function pathSegments(rawPath: string): string[] | undefined {
  try {
    return rawPath.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

export class Router {
  constructor(private readonly routes: Route[]) {}

  match(method: string, segments: string[] | undefined): { route: Route; params: Record<string, string> } | { notFound: true } {
    if (!segments) return { notFound: true };
    // One trailing slash is the same resource.
    const path = segments.length > 1 && segments[segments.length - 1] === "" ? segments.slice(0, -1) : segments;
    for (const r of this.routes) {
      if (r.method !== method || r.segments.length !== path.length) continue;
      const values: string[] = [];
      const matched = r.segments.every((pattern, i) => {
        const m = pattern.exec(path[i]);
        if (m) values.push(...m.slice(1));
        return m !== null;
      });
      if (!matched) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => (params[k] = values[i]));
      return { route: r, params };
    }
    return { notFound: true };
  }
}

/** The API a path belongs to, known before any route matches so even a 404 has the right shape. */
export function apiOf(path: string): Api {
  if (path.startsWith("/_emulator/oidc")) return "oidc";
  if (path.startsWith("/_emulator")) return "admin";
  if (path.startsWith("/partnercenter/")) return "partnercenter";
  if (path.startsWith("/delegatedadmin/")) return "delegatedadmin";
  if (path.startsWith("/graph/")) return "graph";
  return "sts";
}
