import { apiPipeline, Pipeline, tokenPipeline } from "../../provider/http/pipeline";
import { RateLimiter } from "../../provider/http/rateLimiter";
import { requestIdsPolicy } from "../../provider/http/requestIdsPolicy";
import { networkFailure, wasNeverSent } from "../../provider/http/networkErrors";
import { RefusedOrigins, retryAfterInMs, retryPolicy } from "../../provider/http/retryPolicy";
import { outcomeUnknown } from "../../provider/resources/adoption";
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
  const retry = { random: () => 0.5, maxRetries: 4 };
  const pipeline = apiPipeline(
    { clock, retry, log: (l) => lines.push(l), limiter: new RateLimiter(clock), tokens: { getToken: async () => bearer, expired: () => undefined } },
    transport,
  );
  return { pipeline, log, clock, lines };
}

const bearer = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

const post = (extra: Partial<PipelineRequest> = {}): PipelineRequest => ({
  method: "POST",
  url: "https://pc.test/v1/customers/c/users",
  headers: {},
  auth: { scope: "https://api.partnercenter.microsoft.com/user_impersonation", user: true },
  ...extra,
});

describe("the HTTP pipeline", () => {
  it("runs its policies in the documented order", () => {
    expect(pipelineFor([]).pipeline.policyNames).toEqual(["requestIds", "retry", "expiredToken", "rateLimit", "auth", "logging"]);
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

  it("retries a token request (a POST without MS-RequestId) with the same backoff and Retry-After", async () => {
    const clock = fakeClock();
    const reset = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
    const { log, transport } = scripted([{ status: 429, headers: { "retry-after": "2" } }, reset, 503, 200]);
    const tokens = tokenPipeline({ clock, retry: { random: () => 0.5, maxRetries: 4 }, log: () => undefined }, transport);
    const res = await tokens.send({
      method: "POST",
      url: "https://login.test/t/oauth2/v2.0/token",
      headers: {},
      body: "grant_type=client_credentials",
      idempotent: true,
    });
    expect(res.status).toBe(200);
    expect(log).toHaveLength(4);
    expect(log.every((r) => r.headers["MS-RequestId"] === undefined)).toBe(true);
    // Retry-After 2 s, then backoff 500 * 2^(n-1) with jitter 0.5: 750 ms, 1500 ms.
    expect(clock.sleeps).toEqual([2000, 750, 1500]);
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

/** What undici's fetch throws when nothing listens on the port. */
const refusedError = () =>
  Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8443"), { code: "ECONNREFUSED" }) });

describe("a refused connection", () => {
  function refusing(answers: Answer[]) {
    const clock = fakeClock();
    const { log, transport } = scripted(answers);
    // The defaults (6 retries, 180 s in all, 8 s for a refusing origin), with its own table of refusing origins.
    const pipeline = new Pipeline([requestIdsPolicy, retryPolicy({ clock, random: () => 0.5, refused: new RefusedOrigins() })], transport);
    return { pipeline, log, clock };
  }
  const get = (url = "https://127.0.0.1:8443/v1/customers/c/users/u"): PipelineRequest => ({ method: "GET", url, headers: {} });

  it("is given up within 8 s of the first refusal, not after the whole backoff, and a later call to that origin tries once", async () => {
    const { pipeline, log, clock } = refusing(Array.from({ length: 20 }, refusedError));
    const first = clock.now();
    const err = await pipeline.send(get()).catch((e) => e);
    expect(err.message).toBe("fetch failed");
    // Backoff 375, 750, 1500, 3000 ms; the next (6000 ms) would end 11.6 s after the first refusal.
    expect(clock.sleeps).toEqual([375, 750, 1500, 3000]);
    expect(clock.now() - first).toBeLessThanOrEqual(8000);
    expect(log).toHaveLength(5);
    expect(wasNeverSent(err)).toBe(true);

    // 8 s after the first refusal (another resource's call, say), the origin gets one attempt.
    await clock.sleep(3000);
    await expect(pipeline.send(get())).rejects.toThrow("fetch failed");
    expect(log).toHaveLength(6);
    expect(clock.sleeps).toEqual([375, 750, 1500, 3000, 3000]);

    // Another origin has its own budget.
    await expect(pipeline.send(get("https://127.0.0.1:9443/v1/customers"))).rejects.toThrow("fetch failed");
    expect(log).toHaveLength(11);
  });

  it("starts a fresh budget once the origin answers again, and retries a POST without MS-RequestId (nothing was sent)", async () => {
    const { pipeline, log } = refusing([refusedError(), 200, refusedError(), refusedError(), 201]);
    expect((await pipeline.send(get())).status).toBe(200);
    const tokenRequest: PipelineRequest = { method: "POST", url: "https://127.0.0.1:8443/t/oauth2/v2.0/token", headers: {} };
    expect(
      (await new Pipeline([retryPolicy({ clock: fakeClock(), refused: new RefusedOrigins() })], scripted([refusedError(), 200]).transport).send(tokenRequest))
        .status,
    ).toBe(200);
    expect((await pipeline.send(get())).status).toBe(201);
    expect(log).toHaveLength(5);
  });

  it("is an outcome known (not applied) only when every attempt was refused", async () => {
    const allRefused = await refusing(Array.from({ length: 10 }, refusedError))
      .pipeline.send({ ...get(), method: "PATCH" })
      .catch((e) => e);
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const { pipeline } = refusing([reset, ...Array.from({ length: 10 }, refusedError)]);
    const resetThenRefused = await pipeline.send({ ...get(), method: "PATCH" }).catch((e) => e);
    expect(wasNeverSent(resetThenRefused)).toBe(false);

    const failure = (err: unknown) =>
      networkFailure({
        operation: "update user u",
        service: "Partner Center",
        url: "https://127.0.0.1:8443/v1/customers/c/users/u",
        err,
        afterward: "It may or may not have been applied.",
      });
    const known = failure(allRefused);
    expect(known.message).toContain("failed on every attempt: connection refused (ECONNREFUSED). To fix: check that the service at 127.0.0.1:8443 is running");
    expect(known.message).toContain("--run-program");
    expect(known.message).not.toContain("may or may not");
    expect(outcomeUnknown(known)).toBe(false);
    expect(outcomeUnknown(allRefused)).toBe(false);
    const open = failure(resetThenRefused);
    expect(open.message).toContain("may or may not");
    expect(outcomeUnknown(open)).toBe(true);
  });
});

describe("the rate limit in the pipeline", () => {
  it("takes a slot for every attempt, and tells the limiter of a 429 for everyone on the key", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    const acquired: string[] = [];
    const throttled: number[] = [];
    const acquire = limiter.acquire.bind(limiter);
    limiter.acquire = (key, rps, signal) => (acquired.push(key), acquire(key, rps, signal));
    limiter.throttled = (_key, ms) => void throttled.push(ms);
    const { transport } = scripted([{ status: 429, headers: { "retry-after": "2" } }, 503, 200]);
    const pipeline = apiPipeline(
      { clock, retry: { random: () => 0.5 }, log: () => undefined, limiter, tokens: { getToken: async () => bearer, expired: () => undefined } },
      transport,
    );
    expect((await pipeline.send(post({ rateLimit: { key: "consents:app", requestsPerSecond: 50 } }))).status).toBe(200);
    expect(acquired).toEqual(["consents:app", "consents:app", "consents:app"]);
    expect(throttled).toEqual([2000]);
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

describe("the client-side rate limiter after 429s", () => {
  // Found by `npm run bench`: 4 stacks side by side, each at rateLimitPerShard(4) = 12/s. A few 429s
  // early on (another stack's burst keeps the application's key blocked) widened the spacing to 4x,
  // and every request already queued kept a slot on that wide schedule: the rollout ran at a quarter
  // of its rate to the end (80 s for a 20 s bound), long after the service had stopped refusing.
  it("slows down for a while after a burst of 429s, then goes back to its rate for the requests still queued", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter(clock);
    const sentAt: number[] = [];
    const start = clock.now();
    const waiters = Array.from({ length: 240 }, () => limiter.acquire("consents:app", 12).then(() => sentAt.push(clock.now())));
    await clock.flush();
    await clock.run(1000);
    for (let i = 0; i < 8; i++) {
      limiter.throttled("consents:app", 1000); // eight 429s, a quarter second apart
      await clock.run(250);
    }
    while (sentAt.length < 240) await clock.run(1000);
    await Promise.all(waiters);
    // The 429s paused it and slowed it; the quiet spell (5 s) brought back 12/s for the rest.
    const last = sentAt[sentAt.length - 1] - start;
    expect(last).toBeLessThan((240 / 12) * 1000 + 12_000);
    // And it never went faster than its rate meanwhile.
    for (const t of sentAt) expect(sentAt.filter((u) => u > t - 1000 && u <= t).length).toBeLessThanOrEqual(12);
    // The last 60 go out at about 12/s.
    const tail = sentAt.slice(-60);
    expect((tail[tail.length - 1] - tail[0]) / 59).toBeLessThan(1000 / 12 + 10);
  });

  it("waits out each Retry-After, and sends nothing during it", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter(clock);
    const sentAt: number[] = [];
    const waiters = Array.from({ length: 40 }, () => limiter.acquire("consents:app", 20).then(() => sentAt.push(clock.now())));
    await clock.flush();
    await clock.run(500);
    const throttledAt = clock.now();
    limiter.throttled("consents:app", 2000);
    while (sentAt.length < 40) await clock.run(500);
    await Promise.all(waiters);
    expect(sentAt.filter((t) => t > throttledAt && t < throttledAt + 2000)).toEqual([]);
  });
});

/**
 * A token source that behaves like MSAL's cache: one token at a time, renewed when it has less than
 * `renewBeforeMs` left, or when a service refused it as expired. Tokens say when they expire.
 */
function tokenSource(clock: { now(): number }, lifetimeMs: number, renewBeforeMs: number) {
  let current: { value: string; expiresAt: number } | undefined;
  const refused = new Set<string>();
  const issued: string[] = [];
  return {
    issued,
    refused,
    source: {
      expired: (token: string) => void refused.add(token),
      getToken: async () => {
        if (!current || current.expiresAt - clock.now() < renewBeforeMs || refused.has(current.value)) {
          current = { value: `token-${issued.length + 1}-expires-${clock.now() + lifetimeMs}`, expiresAt: clock.now() + lifetimeMs };
          issued.push(current.value);
        }
        return current.value;
      },
    },
  };
}

/** A service that answers 401 "token is expired" (Partner Center's body) to a token past its expiry, 200 otherwise. */
function checkingService(clock: { now(): number }, answers: Answer[] = []) {
  const sent: { at: number; token: string; status: number }[] = [];
  const transport = async (req: PipelineRequest): Promise<PipelineResponse> => {
    const token = (req.headers.Authorization ?? "").replace(/^Bearer /, "");
    const expiresAt = Number(/expires-(\d+)$/.exec(token)?.[1] ?? 0);
    const scripted = answers.shift();
    const status = clock.now() >= expiresAt ? 401 : typeof scripted === "number" ? scripted : 200;
    sent.push({ at: clock.now(), token, status });
    const body =
      status === 401
        ? JSON.stringify({
            code: "401",
            description: "Unauthorized: Lifetime validation failed, the token is expired.",
            data: [],
            source: "PartnerApiServiceControllers",
          })
        : "{}";
    return { status, headers: {}, body, request: req };
  };
  return { sent, transport };
}

describe("the token in the pipeline", () => {
  it("takes the token after the rate-limit wait: 80 consents queued 80 s behind a 60 s token all go out with a live one", async () => {
    const clock = manualClock();
    const tokens = tokenSource(clock, 60_000, 5_000);
    const service = checkingService(clock);
    const pipeline = apiPipeline(
      { clock, retry: { random: () => 0.5 }, log: () => undefined, limiter: new RateLimiter(clock), tokens: tokens.source },
      service.transport,
    );
    const calls = Array.from({ length: 80 }, () => pipeline.send(post({ rateLimit: { key: "consents:app", requestsPerSecond: 1 } })));
    await clock.flush();
    await clock.run(85_000, 100);
    const statuses = (await Promise.all(calls)).map((r) => r.status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // No request was refused and sent again: each took a token that was live when it left.
    expect(service.sent).toHaveLength(80);
    expect(service.sent[79].at - service.sent[0].at).toBeGreaterThanOrEqual(79_000);
    expect(tokens.issued.length).toBeGreaterThanOrEqual(2);
  }, 20_000);

  it("takes a token for each attempt, after the backoff", async () => {
    const clock = fakeClock();
    const tokens = tokenSource(clock, 60_000, 5_000);
    // 503, then the retry after a 90 s Retry-After: the first token (60 s) is dead by then.
    const service = checkingService(clock, [503, 200]);
    const transport = async (req: PipelineRequest) => {
      const res = await service.transport(req);
      return res.status === 503 ? { ...res, headers: { "retry-after": "90" } } : res;
    };
    const pipeline = apiPipeline(
      { clock, retry: { random: () => 0.5 }, log: () => undefined, limiter: new RateLimiter(clock), tokens: tokens.source },
      transport,
    );
    const res = await pipeline.send(post());
    expect(res.status).toBe(200);
    expect(service.sent.map((s) => s.status)).toEqual([503, 200]);
    expect(service.sent[0].token).not.toBe(service.sent[1].token);
  });

  it("sends a request refused for an expired token once more, with a fresh token, and only once", async () => {
    const clock = fakeClock();
    let skew = 0;
    // The service's clock runs ahead of ours: a token MSAL's cache holds as live, the service calls expired.
    const service = checkingService({ now: () => clock.now() + skew });
    const tokens = tokenSource(clock, 3_600_000, 300_000);
    const pipeline = apiPipeline(
      { clock, retry: { random: () => 0.5 }, log: () => undefined, limiter: new RateLimiter(clock), tokens: tokens.source },
      service.transport,
    );
    expect((await pipeline.send(post())).status).toBe(200);
    const [cached] = tokens.issued;

    await clock.sleep(60_000);
    skew = 3_600_000 - 60_000; // expired by the service's clock, 59 minutes left by ours
    expect((await pipeline.send(post())).status).toBe(200);
    expect(service.sent.map((s) => s.status)).toEqual([200, 401, 200]);
    expect(tokens.refused.has(cached)).toBe(true);
    expect(service.sent[2].token).not.toBe(cached);

    skew = 10 * 3_600_000; // every token is expired to the service: one more try, then the 401 is the answer
    expect((await pipeline.send(post())).status).toBe(401);
    expect(service.sent.slice(3).map((s) => s.status)).toEqual([401, 401]);
  });
});
