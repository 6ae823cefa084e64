/** Counters the admin API reports; tests and benchmarks read them to prove what the client did. */
export class Metrics {
  requests = new Map<string, number>();
  tokensIssued = new Map<string, number>();
  resets = 0;
  /** TLS connections the server accepted: each one a handshake the client paid for. */
  tlsHandshakes = 0;

  countRequest(group: string, status: number | "reset"): void {
    const key = `${group}|${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  countToken(tenantId: string, clientId: string, resource: string, grant: string): void {
    const key = `${tenantId}|${clientId}|${resource}|${grant}`;
    this.tokensIssued.set(key, (this.tokensIssued.get(key) ?? 0) + 1);
  }

  clear(): void {
    this.requests.clear();
    this.tokensIssued.clear();
    this.resets = 0;
    this.tlsHandshakes = 0;
  }
}

/** `{"a|b": n}` -> `{a: {b: n}}`, which reads better in JSON. */
export function nest(map: Map<string, number>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [k, v] of map) {
    const i = k.indexOf("|");
    const [outer, inner] = i < 0 ? [k, ""] : [k.slice(0, i), k.slice(i + 1)];
    (out[outer] ??= {})[inner] = v;
  }
  return out;
}
