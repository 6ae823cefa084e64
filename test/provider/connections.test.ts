/**
 * The provider's connection pool against the emulator over real HTTPS: `connectionsPerOrigin` caps the
 * connections (each a TLS set-up the emulator counts) and the pool reuses them, kept alive.
 */
import { request } from "undici";
import { startEmulator } from "../../emulator";
import { loadConfig } from "../../provider/config";
import { createAgent } from "../../provider/http/transport";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe("connections per origin", () => {
  let emu: Emulator;
  beforeAll(async () => {
    // Every answer takes 150 ms, so requests sent together are in flight together.
    emu = await startEmulator({ latencyMs: 150 });
  });
  afterAll(() => emu.stop());

  /** `count` GETs at once through a pool of `connections`; the TLS handshakes the emulator saw for them. */
  async function handshakes(connections: number | undefined, count: number): Promise<number> {
    const agent = createAgent({ caFile: emu.caFile, connections });
    try {
      // The admin client's own pooled connection is open already; it may open one more for the read below.
      await emu.admin.resetMetrics();
      const url = `${emu.url}/${emu.credentials.partnerTenantId}/v2.0/.well-known/openid-configuration`;
      const answers = await Promise.all(
        Array.from({ length: count }, () => request(url, { dispatcher: agent }).then((r) => r.body.text().then(() => r.statusCode))),
      );
      expect(answers.every((s) => s === 200)).toBe(true);
      // A second round reuses what the first opened, once the pool has them back: a body read to its
      // end resolves a moment before its connection is marked free, and a round sent in that moment
      // opens new ones (16 seen instead of 12 in CI's loaded Node 24 pass).
      await idle(agent, emu.url);
      await Promise.all(Array.from({ length: count }, () => request(url, { dispatcher: agent }).then((r) => r.body.text())));
      return (await emu.admin.metrics()).tlsHandshakes;
    } finally {
      await agent.close();
    }
  }

  /** Waits (up to 5 s) until every connection the agent holds to `origin` is free. */
  async function idle(agent: ReturnType<typeof createAgent>, origin: string): Promise<void> {
    const until = Date.now() + 5000;
    for (;;) {
      const pool = agent.stats[new URL(origin).origin];
      // A cap above 1 makes the agent hold a Pool (with `free`) per origin, not a single Client.
      if (!pool || !("free" in pool) || pool.connected === pool.free || Date.now() > until) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it("opens no more connections than the cap, and reuses them", async () => {
    // Without the cap: 12; without reuse: 24.
    const seen = await handshakes(2, 12);
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(seen).toBeLessThanOrEqual(3);
  });

  it("opens one per request in flight under the default cap, and reuses them for the next round", async () => {
    // Without reuse, the second round would open 12 more.
    const seen = await handshakes(undefined, 12);
    expect(seen).toBeGreaterThanOrEqual(12);
    expect(seen).toBeLessThanOrEqual(13);
  });

  it("reads the cap from partnercenter:connectionsPerOrigin, and refuses one that is not a whole number from 1", () => {
    const base = { clientId: "6075f0ff-a075-5ccb-9055-5f5bda429786", tenantId: "d048b1fc-0a86-56ee-89f3-bac4ce96343c", clientSecret: "x" };
    const get = (extra: Record<string, string>) => (key: string) => ({ ...base, ...extra })[key as keyof typeof base];
    expect(loadConfig(get({}), {}).connectionsPerOrigin).toBe(512);
    expect(loadConfig(get({ connectionsPerOrigin: "64" }), {}).connectionsPerOrigin).toBe(64);
    expect(loadConfig(get({}), { PARTNERCENTER_CONNECTIONS_PER_ORIGIN: "16" }).connectionsPerOrigin).toBe(16);
    expect(() => loadConfig(get({ connectionsPerOrigin: "0" }), {})).toThrow(/connectionsPerOrigin must be at least 1/);
    expect(() => loadConfig(get({ connectionsPerOrigin: "2.5" }), {})).toThrow(/connectionsPerOrigin must be a whole number/);
  });
});
