import { Pipeline } from "../../provider/http/pipeline";
import { RateLimiter } from "../../provider/http/rateLimiter";
import { rateLimitPolicy } from "../../provider/http/rateLimitPolicy";
import { requestIdsPolicy } from "../../provider/http/requestIdsPolicy";
import { retryAfterInMs, retryPolicy } from "../../provider/http/retryPolicy";
import { authPolicy } from "../../provider/http/authPolicy";
import { loggingPolicy } from "../../provider/http/loggingPolicy";
import type { Clock, PipelineRequest, PipelineResponse } from "../../provider/http/types";

/** A clock that only moves when something sleeps: delays are observed, not waited for. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

type Answer = number | { status: number; headers?: Record<string, string> } | Error;

/** A transport that plays a script of answers and records every request it sees. */
function scripted(answers: Answer[]) {
  const log: PipelineRequest[] = [];
  const transport = async (req: PipelineRequest): Promise<PipelineResponse> => {
    log.push(req);
    const next = answers.shift();
    if (next === undefined) throw new Error("script exhausted");
    if (next instanceof Error) throw next;
    const a = typeof next === "number" ? { status: next } : next;
    return { status: a.status, headers: a.headers ?? {}, body: "{}", request: req };
  };
  return { log, transport };
}

function pipelineFor(answers: Answer[], clock = fakeClock()) {
  const { log, transport } = scripted(answers);
  const lines: string[] = [];
  const pipeline = new Pipeline(
    [requestIdsPolicy, authPolicy, rateLimitPolicy(new RateLimiter(clock)), retryPolicy({ clock, random: () => 0.5, maxRetries: 4 }), loggingPolicy((l) => lines.push(l), clock)],
    transport,
  );
  return { pipeline, log, clock, lines };
}

const post = (extra: Partial<PipelineRequest> = {}): PipelineRequest => ({
  method: "POST",
  url: "https://pc.test/v1/customers/c/users",
  headers: {},
  operation: "create user",
  service: "Partner Center",
  getAccessToken: async () => "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
  ...extra,
});

describe("the HTTP pipeline", () => {
  it("runs its policies in the documented order", () => {
    expect(pipelineFor([]).pipeline.policyNames).toEqual(["requestIds", "auth", "rateLimit", "retry", "logging"]);
  });

  it("retries [429, 503, 200] honouring Retry-After, with one MS-RequestId for all attempts", async () => {
    const { pipeline, log, clock } = pipelineFor([{ status: 429, headers: { "retry-after": "3" } }, 503, 200]);
    const res = await pipeline.send(post());
    expect(res.status).toBe(200);
    expect(log).toHaveLength(3);
    const ids = new Set(log.map((r) => r.headers["MS-RequestId"]));
    expect(ids.size).toBe(1);
    expect(log.map((r) => r.attempt)).toEqual([1, 2, 3]);
    // 3 s from Retry-After; then the 503 backoff: base 500ms * 2^(2-1) = 1000, jitter 0.5 -> 750.
    expect(clock.sleeps.filter((ms) => ms >= 500)).toEqual([3000, 750]);
  });

  it("gives a new MS-RequestId to the next logical call", async () => {
    const { pipeline, log } = pipelineFor([200, 200]);
    await pipeline.send(post());
    await pipeline.send(post());
    expect(log[0].headers["MS-RequestId"]).not.toBe(log[1].headers["MS-RequestId"]);
    expect(log[0].headers["MS-CorrelationId"]).toBeDefined();
  });

  it.each([400, 401, 403, 404, 409])("never retries %i", async (status) => {
    const { pipeline, log } = pipelineFor([status, 200]);
    expect((await pipeline.send(post())).status).toBe(status);
    expect(log).toHaveLength(1);
  });

  it("retries a connection reset, and gives up after maxRetries", async () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const { pipeline, log } = pipelineFor([reset, reset, reset, reset, reset, 200]);
    await expect(pipeline.send(post())).rejects.toThrow("socket hang up");
    expect(log).toHaveLength(5);
  });

  it("reads Retry-After as an HTTP date", () => {
    const now = Date.parse("2026-11-23T10:00:00Z");
    expect(retryAfterInMs({ "retry-after": "Mon, 23 Nov 2026 10:00:07 GMT" }, now)).toBe(7000);
    expect(retryAfterInMs({ "retry-after-ms": "250" }, now)).toBe(250);
    expect(retryAfterInMs({}, now)).toBeUndefined();
  });

  it("stops waiting when the call is cancelled", async () => {
    const controller = new AbortController();
    const clock: Clock = { now: () => Date.now(), sleep: async () => controller.abort(new Error("cancelled by user")) };
    const { transport, log } = scripted([503, 503, 200]);
    const pipeline = new Pipeline([requestIdsPolicy, retryPolicy({ clock })], transport);
    await expect(pipeline.send(post({ abortSignal: controller.signal }))).rejects.toThrow("cancelled by user");
    expect(log).toHaveLength(1);
  });

  it("keeps the bearer token out of the log", async () => {
    const { pipeline, lines } = pipelineFor([200]);
    await pipeline.send(post());
    expect(lines.join("\n")).not.toContain("eyJhbGciOiJSUzI1NiJ9");
    expect(lines[0]).toContain("Authorization: [REDACTED]");
  });
});

describe("the client-side rate limiter", () => {
  it("spaces 100 requests at 50/s over two seconds, and waits out a 429 for everyone", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    const start = clock.now();
    for (let i = 0; i < 100; i++) await limiter.acquire("consents:app", 50);
    expect(clock.now() - start).toBeCloseTo(99 * 20, 0);
    limiter.throttled("consents:app", 5000);
    const before = clock.now();
    await limiter.acquire("consents:app", 50);
    expect(clock.now() - before).toBeGreaterThanOrEqual(5000);
  });
});

/** A clock whose timers fire only when the test moves time: `stall` moves it at once, as a starved event loop does. */
function manualClock() {
  let now = 1_000_000;
  let timers: { due: number; resolve: () => void }[] = [];
  const flush = async () => {
    for (let i = 0; i < 50; i++) await Promise.resolve();
  };
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ due: now + ms, resolve })),
    /** Moves time by `ms` in one jump, then fires every due timer together (and lets their continuations run). */
    async stall(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.due <= now);
      timers = timers.filter((t) => t.due > now);
      due.forEach((t) => t.resolve());
      await flush();
    },
    /** Moves time in small steps, firing timers on time. */
    async run(ms: number, step = 5) {
      for (let t = 0; t < ms; t += step) await this.stall(step);
    },
    flush,
  };
}

describe("the client-side rate limiter under a busy event loop", () => {
  it("never sends more than a second's worth in any second, even when the timers of many slots fire together", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter(clock);
    const sentAt: number[] = [];
    const waiters = Array.from({ length: 60 }, () => limiter.acquire("consents:app", 12).then(() => sentAt.push(clock.now())));
    await clock.flush();
    await clock.run(500); // a good start: about 6 sends, spaced
    await clock.stall(2000); // then the process gets no CPU for two seconds
    await clock.run(6000);
    await Promise.all(waiters);
    expect(sentAt).toHaveLength(60);
    for (const t of sentAt) {
      // At most 12 sends in the second that ends with each send.
      expect(sentAt.filter((u) => u > t - 1000 && u <= t).length).toBeLessThanOrEqual(12);
    }
  });
});
