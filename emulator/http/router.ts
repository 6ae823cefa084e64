import type { Api, ApiResponse, RequestContext } from "./context";
import type { Services } from "../services";

export type Handler = (ctx: RequestContext, svc: Services) => ApiResponse | Promise<ApiResponse>;

/** Which token a route accepts; see auth/bearer.ts. */
export type AuthKind = "none" | "partnercenter" | "delegatedadmin" | "graph";

export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  api: Api;
  /** Route group: the unit of limits, faults and metrics (e.g. "users", "consents"). */
  group: string;
  auth: AuthKind;
  handler: Handler;
  /** Partner Center writes honour MS-RequestId replay. */
  idempotent?: boolean;
}

/** `/a/:id/b` -> a RegExp with named captures; parameters never span `/`, quotes or parentheses. */
export function route(
  method: string,
  template: string,
  spec: { api: Api; group: string; auth: AuthKind; idempotent?: boolean },
  handler: Handler,
): Route {
  const keys: string[] = [];
  const source = template
    .split(/(:[A-Za-z]+)/)
    .map((part) => {
      if (part.startsWith(":")) {
        keys.push(part.slice(1));
        return "([^/'()]+)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { method, pattern: new RegExp(`^${source}/?$`, "i"), keys, handler, ...spec };
}

export class Router {
  constructor(private readonly routes: Route[]) {}

  match(method: string, path: string): { route: Route; params: Record<string, string> } | { notFound: true } {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => (params[k] = m[i + 1]));
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
