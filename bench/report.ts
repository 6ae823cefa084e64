/** bench/results.md from the measured figures of bench/run.ts (nothing in it is typed in by hand). */
import { floorLabel, sideBySideLayouts, waitFigures, waitTable } from "./summary";
import { checkpointShare, engineOptionsSection, type EngineVariantResult } from "./engineOptions";
import { defaultConnections } from "../provider/http/transport";
import type { CpuSeconds } from "./cli";
import type { Environment, Options, Refresh, SizeResult } from "./run";
import { runnerSection, runnerTargetRows } from "./runnerReport";

const s = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : "n/a");
const x = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : "n/a");
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(2)} %` : "n/a");
const mib = (kb: number) => (kb > 0 ? `${(kb / 1024).toFixed(0)} MiB` : "not seen");
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");

function table(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

/** ln(v2/v1)/ln(n2/n1): 0 constant, 1 linear, above 1 worse than linear. */
function exponent(n1: number, v1: number, n2: number, v2: number): number {
  if (!(v1 > 0 && v2 > 0) || n1 === n2) return NaN;
  return Math.log(v2 / v1) / Math.log(n2 / n1);
}

function growthWord(k: number): string {
  if (!Number.isFinite(k)) return "not measurable (zero at one end)";
  if (Math.abs(k) < 0.15) return "constant";
  if (k < 0) return "falling";
  if (k < 0.85) return "sublinear";
  if (k <= 1.15) return "linear";
  return "worse than linear";
}

/** The processes by CPU seconds, most first: "the Pulumi program (21 s), the provider (our client) (12 s), …". */
function cpuRanking(c: Refresh["cpuSeconds"]): string {
  const names: Record<keyof Refresh["cpuSeconds"], string> = {
    program: "the Pulumi program",
    provider: "the provider (our client)",
    emulator: "the emulator",
    engine: "the engine",
    other: "the language host and the rest",
  };
  return (Object.keys(names) as (keyof typeof names)[])
    .map((k) => [names[k], c[k]] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([name, v]) => `${name} (${v.toFixed(0)} s)`)
    .join(", ");
}

interface ReportInput {
  env: Environment;
  opts: Options;
  results: SizeResult[];
  sizes: number[];
  largest: SizeResult;
  limits: Environment["limits"];
  consentLimit: number;
}

/** The title and where the figures come from. */
function intro({ env, opts, sizes }: ReportInput): string[] {
  const out: string[] = [];
  out.push(`# Benchmarks`);
  out.push("");
  out.push(
    `Measured by \`npm run bench\` (\`node dist/bench/run.js${opts.quick ? " --quick" : ""}${opts.quick ? "" : ` --sizes ${sizes.join(",")}`}\`) on ${env.date}, ${env.mode} mode, ` +
      `for N = ${sizes.join(", ")} customers. Every figure below comes from this run: the emulator's request log and ` +
      `metrics (what the service saw), \`pulumi stack export\`, /proc and wall clocks. Nothing is typed in by hand; run it again to refresh this page.`,
  );
  out.push("");
  return out;
}

/** What a partner waits for comes first: the CLI's wall clock, not only the span of the requests. */
function waitSection({ results }: ReportInput): string[] {
  const out: string[] = [];
  out.push(`## What a partner waits for`);
  out.push("");
  out.push(
    "The wall clock of `pulumi up` (of `pulumi preview --refresh` for the refresh), start to exit, over the fastest the service's limits allow; " +
      "the span of the requests the service saw beside it. The same figures are in `results.json`.",
  );
  out.push("");
  out.push(waitTable(waitFigures(results)));
  out.push("");
  return out;
}

/** The machine, the versions and the settings the run used. */
function machine({ env, opts, limits }: ReportInput): string[] {
  const out: string[] = [];
  out.push(`## Machine and versions`);
  out.push("");
  out.push(
    table(
      ["what", "value"],
      [
        ["CPU", `${env.cpuModel}, ${env.cores} cores`],
        ["memory", `${env.memoryGiB.toFixed(1)} GiB`],
        ["OS", env.os],
        [
          "load average (1, 5, 15 min) at start / at end",
          `${env.loadAverageAtStart.map((l) => l.toFixed(2)).join(", ")} / ${(env.loadAverageAtEnd ?? []).map((l) => l.toFixed(2)).join(", ")}`,
        ],
        ["Node.js", env.node],
        ["Pulumi CLI", env.pulumiCli],
        ["@pulumi/pulumi", env.pulumiSdk],
        ["emulator latency", `\`${JSON.stringify(env.latency)}\` (added to every API call)`],
        [
          "emulator limits",
          Object.entries(limits)
            .map(([g, l]) => `${g}: ${l ? `${l.requestsPerSecond}/s per ${l.key}, Retry-After ${l.retryAfterSeconds ?? "computed"} s` : "off"}`)
            .join("; "),
        ],
        [
          "client settings",
          `consentRateLimit ${env.client.consentRateLimit}/s, userRateLimit ${env.client.userRateLimit}/s per customer, requestRateLimit ${env.client.requestRateLimit}/s, maxRetries ${env.client.maxRetries}`,
        ],
        ["state backend", `\`${env.backend}\` (README "Large rollouts" says why \`metadata=skip\`)`],
        ["engine parallelism", `${env.parallel}; the CLI's default (${env.defaultParallel}) is measured in its own row`],
        ["user rollout", `${opts.usersPerCustomer} users in each of ${opts.userCustomers} customers (fewer when N is smaller)`],
      ],
    ),
  );
  out.push("");
  const busy = Math.max(env.loadAverageAtStart[1], env.loadAverageAtEnd?.[1] ?? 0) > env.cores;
  out.push(
    (busy
      ? `**The machine was busy with other work during this run** (5-minute load average above the ${env.cores} cores): times below include that contention, so treat them as upper bounds. `
      : "") +
      `The emulator, the benchmark driver and the baselines share one Node.js process; \`pulumi\`, the language host, the program and the dynamic provider are separate processes on the same ${env.cores} cores.`,
  );
  out.push("");
  return out;
}

const mark = (ok: boolean) => (ok ? "**met**" : "**missed**");

/** A drift check's command, and the setting it runs with. */
const driftCommand = (d: { command: string; setting?: string; floor?: boolean }) =>
  `\`${d.command}\`` + (d.setting ? ` with ${d.setting}` : "") + (d.floor ? `, ${floorLabel}` : "");

/** Each target, judged at the largest size measured. */
function targets(input: ReportInput): string[] {
  const { env, results, sizes, largest, consentLimit } = input;
  const out: string[] = [];
  const sumLayouts = (r: SizeResult, f: (g: SizeResult["layouts"][number]) => number) => sideBySideLayouts(r).reduce((a, g) => a + f(g), 0);
  const failedAll = results.reduce((a, r) => a + r.consent.failedResources + r.users.failedResources + sumLayouts(r, (g) => g.failedResources), 0);
  const g = largest.grouped;
  const earlyAll = results.reduce((a, r) => a + r.consent.earlyRetries + r.users.earlyRetries + sumLayouts(r, (g) => g.earlyRetries), 0);
  const consentTokens = results.map((r) => r.consent.tokens.requests);
  const tokensConstant = consentTokens.every((t) => t === consentTokens[0]);
  const providerMax = Math.max(...results.map((r) => r.state.providerBytesMax));
  const rf = largest.refresh;
  const refreshBound = Math.max(rf.serviceBoundMs, rf.clientBoundMs);
  // Met: the refresh's service calls take about what the limits force. Partly: our client's limits are not
  // what holds it back (they allow about the service's bound, and nothing was throttled), the engine is.
  const refreshVerdict =
    rf.status === 0 && rf.readsSpanMs <= 1.2 * refreshBound
      ? "**met**"
      : rf.status === 0 && rf.clientBoundMs <= 1.25 * rf.serviceBoundMs && rf.throttled429 === 0
        ? "**partly met**"
        : "**missed**";
  out.push(`## Targets`);
  out.push("");
  out.push(`Checked at the largest size measured, N = ${largest.n}${largest.n === 1000 ? "" : " (the targets speak of 1000; this run did not go that far)"}.`);
  out.push("");
  out.push(
    table(
      ["target", "measured", ""],
      [
        g
          ? [
              `consent rollout within 1.2× the bound N/${consentLimit} s`,
              `${g.stacks} stacks of at most ${g.largestShard} customers side by side (README "Large rollouts"): ${s(g.firstToLastMs)} s for a bound of ${s(largest.consent.boundMs)} s: ${x(g.ratio)}. ` +
                `All ${largest.n} in one stack: ${s(largest.consent.firstToLastMs)} s, ${x(largest.consent.ratio)}` +
                (largest.consent.ratio > 1.2 ? " (bound by the engine's checkpoints, see below)" : ""),
              mark(g.ratio <= 1.2 && g.failedResources === 0 && g.status.every((c) => c === 0)),
            ]
          : [
              `consent rollout within 1.2× the bound N/${consentLimit} s`,
              `one stack: ${s(largest.consent.firstToLastMs)} s for a bound of ${s(largest.consent.boundMs)} s: ${x(largest.consent.ratio)}`,
              mark(largest.consent.ratio <= 1.2),
            ],
        ["zero failed resources (every size, consents and users, one stack and side by side)", `${failedAll}`, mark(failedAll === 0)],
        throttledTarget(results),
        ["no early retries (consents and users, every size)", `${earlyAll}`, mark(earlyAll === 0)],
        ["constant token requests on the create path", `${consentTokens.join(", ")} for N = ${sizes.join(", ")}`, mark(tokensConstant)],
        ["under 2 KB of `__provider` per resource", `${int(providerMax)} bytes at most`, mark(providerMax < 2048)],
        ...waitTargets(input),
        ...runnerTargetRows(results),
        [
          "refresh bounded by the service's read limits, not by our client",
          `the reads of the ${rf.consents + rf.users} resources span ${s(rf.readsSpanMs)} s, ${rf.throttled429} answered 429; the service's limits force at least ${s(rf.serviceBoundMs)} s (${rf.serviceBoundWhy}), our client's own limits ${s(rf.clientBoundMs)} s; ` +
            `the whole preview takes ${s(rf.wallMs)} s, ${s(rf.engineMs)} s of it outside service calls; CPU seconds on the ${env.cores} cores: ${cpuRanking(rf.cpuSeconds)}` +
            (refreshVerdict === "**partly met**" ? `. Neither set of limits holds it back: the ${env.cores} cores they share do` : ""),
          refreshVerdict,
        ],
      ],
    ),
  );
  out.push("");
  return out;
}

/** One engine option's run of one workload at a size, when it was measured. */
const engineRun = (e: EngineVariantResult[] | undefined, name: string, workload: EngineVariantResult["workload"]) =>
  e?.find((v) => v.name === name && v.workload === workload);

/** The engine floor's run of a workload, when it made every resource. */
const floorRun = (e: EngineVariantResult[] | undefined, workload: EngineVariantResult["workload"]) => {
  const f = engineRun(e, "floor", workload);
  return f && f.status === 0 && f.failed === 0 ? f : undefined;
};

/**
 * "missed" with the reason when the engine stands between the figure and its target: its floor alone
 * (bench/floor.ts, no service behind it) is above the target, or without checkpoints the target is met.
 */
function verdict(ok: boolean, engine: { floorRatio?: number; skipRatio?: number }, target: number): string {
  if (ok) return "**met**";
  if (engine.floorRatio !== undefined && engine.floorRatio > target) return "**missed: bound by the engine (its floor alone is above the target)**";
  if (engine.skipRatio !== undefined && engine.skipRatio <= target) return "**missed: bound by the engine's checkpoints**";
  return "**missed**";
}

/** The engine floor's figure for a target: the same work through a provider that calls no service. */
function floorText(floor: { wallMs: number; spanMs?: number } | undefined, boundMs: number): string {
  if (!floor) return "";
  const span = floor.spanMs === undefined ? "" : `, and the engine sends its calls over ${s(floor.spanMs)} s, ${x(floor.spanMs / boundMs)}`;
  return `; the engine floor (the same program and state, no service behind it: bench/floor.ts) takes ${s(floor.wallMs)} s, ${x(floor.wallMs / boundMs)}${span}`;
}

/** What the same rollout took without checkpoints (PULUMI_SKIP_CHECKPOINTS), and the engine's share of CPU in saving them. */
function engineEvidence(e: EngineVariantResult[] | undefined, workload: EngineVariantResult["workload"]): { skip?: EngineVariantResult; text: string } {
  const skip = engineRun(e, "skip-checkpoints", workload);
  const base = engineRun(e, "base", workload);
  const share = base ? checkpointShare(base) : undefined;
  const parts = [
    skip
      ? `without checkpoints (PULUMI_SKIP_CHECKPOINTS, the fast mode) the same rollout takes ${s(skip.wallMs)} s wall, ${x(skip.wallMs / skip.boundMs)}, span ${x(skip.spanMs / skip.boundMs)}`
      : "",
    share !== undefined ? `the engine's CPU profile puts ${share.toFixed(0)} % of its CPU in saving checkpoints` : "",
  ].filter(Boolean);
  return { skip, text: parts.length ? ` (${parts.join("; ")}: see "Engine options")` : "" };
}

/** Issue 17's targets: what the partner waits for, the wall clock, against the service's bound. */
function waitTargets({ results, largest }: ReportInput): string[][] {
  const rows: string[][] = [];
  const c = largest.consent;
  const consentsEngine = engineEvidence(largest.engine, "consents");
  const skipRatio = consentsEngine.skip ? consentsEngine.skip.wallMs / consentsEngine.skip.boundMs : Infinity;
  const consentsFloor = floorRun(largest.engine, "consents");
  rows.push([
    "`pulumi up` of the consents in one stack within 2× the bound, wall clock",
    `${s(c.wallMs)} s for a bound of ${s(c.boundMs)} s: ${x(c.wallMs / c.boundMs)} (requests span ${x(c.ratio)})${consentsEngine.text}${floorText(consentsFloor && { wallMs: consentsFloor.wallMs }, c.boundMs)}`,
    verdict(c.status === 0 && c.wallMs <= 2 * c.boundMs, { skipRatio, floorRatio: consentsFloor && consentsFloor.wallMs / c.boundMs }, 2),
  ]);
  const layouts = [{ name: "one stack", wallMs: c.wallMs, ok: c.status === 0 && c.failedResources === 0 }].concat(
    (largest.layouts ?? []).map((g) => ({ name: g.layout, wallMs: g.wallMs, ok: g.status.every((st) => st === 0) && g.failedResources === 0 })),
  );
  const best = layouts.filter((l) => l.ok).sort((a, b) => a.wallMs - b.wallMs)[0];
  rows.push([
    "the best layout (shards side by side) within 1.5× the bound, wall clock",
    best
      ? `${best.name}: ${s(best.wallMs)} s, ${x(best.wallMs / c.boundMs)}; measured: ${layouts.map((l) => `${l.name} ${x(l.wallMs / c.boundMs)}`).join(", ")}`
      : "no layout finished without failures",
    verdict(!!best && best.wallMs <= 1.5 * c.boundMs, { skipRatio }, 1.5),
  ]);
  const u = largest.users;
  const usersEngine = engineEvidence(largest.engine, "users");
  const ownStack = engineRun(largest.engine, "base", "users");
  const userRows = [
    { name: `in the stack of the ${largest.n} consents`, wallMs: u.wallMs, spanMs: u.firstToLastMs, ok: u.status === 0 && u.failedResources === 0 },
    ...(ownStack
      ? [{ name: "in a stack of their own", wallMs: ownStack.wallMs, spanMs: ownStack.spanMs, ok: ownStack.status === 0 && ownStack.failed === 0 }]
      : []),
    ...(largest.userLayouts ?? []).map((l) => ({
      name: `in ${l.layout}`,
      wallMs: l.wallMs,
      spanMs: l.firstToLastMs,
      ok: l.status.every((st) => st === 0) && l.failedResources === 0,
    })),
  ];
  const bestUsers = userRows.filter((r) => r.ok).sort((a, b) => a.spanMs - b.spanMs)[0];
  const perCreate = results.map((r) => (r.users.users ? r.users.userRequests / r.users.users : NaN));
  const usersSkipSpan = usersEngine.skip ? usersEngine.skip.spanMs / usersEngine.skip.boundMs : Infinity;
  const usersFloor = floorRun(largest.engine, "users");
  rows.push([
    `users within 2× their bound (${u.users} users, ${s(u.boundMs)} s), and requests per create that do not grow`,
    (bestUsers
      ? `best: ${bestUsers.name}, requests span ${x(bestUsers.spanMs / u.boundMs)}, wall ${s(bestUsers.wallMs)} s (${x(bestUsers.wallMs / u.boundMs)}); `
      : "no user rollout finished without failures; ") +
      `measured (span / wall): ${userRows.map((r) => `${r.name} ${x(r.spanMs / u.boundMs)} / ${x(r.wallMs / u.boundMs)}`).join(", ")}; ` +
      `users requests per user created: ${perCreate.map((p) => p.toFixed(2)).join(", ")} for N = ${results.map((r) => r.n).join(", ")}${usersEngine.text}` +
      floorText(usersFloor, u.boundMs),
    // The target is on the requests' span: the floor's counterpart is the span of the engine's creates.
    verdict(!!bestUsers && bestUsers.spanMs <= 2 * u.boundMs, { skipRatio: usersSkipSpan, floorRatio: usersFloor && usersFloor.spanMs / u.boundMs }, 2),
  ]);
  const rf = largest.refresh;
  const refreshFloor = rf.alternatives.find((d) => d.floor && d.status === 0);
  rows.push([
    "drift detection (`pulumi preview --refresh`) within 2× the service's read bound, wall clock",
    `${s(rf.wallMs)} s for a bound of ${s(rf.serviceBoundMs)} s (${rf.serviceBoundWhy}): ${x(rf.wallMs / rf.serviceBoundMs)}; CPU seconds: ${cpuRanking(rf.cpuSeconds)}. ` +
      `The other drift checks: ${rf.alternatives.map((d) => `${driftCommand(d)} ${s(d.wallMs)} s, ${x(d.wallMs / rf.serviceBoundMs)}`).join("; ")}`,
    verdict(rf.status === 0 && rf.wallMs <= 2 * rf.serviceBoundMs, { floorRatio: refreshFloor && refreshFloor.wallMs / rf.serviceBoundMs }, 2),
  ]);
  return rows;
}

/** The consent rollout in one stack. */
function consentRollout({ results, consentLimit }: ReportInput): string[] {
  const out: string[] = [];
  out.push(`## Consent rollout through \`pulumi up\``);
  out.push("");
  out.push(
    `The bench program (bench/program), written like examples/multi-customer-rollout: it awaits the partner's delegated-admin customers (N of them) and declares ` +
      `one \`ApplicationConsent\` per customer, all for the same applicationId; run with \`pulumi up --yes --skip-preview\` on a fresh stack. The lower bound is N / ${consentLimit} s (the service's limit per applicationId); ` +
      `"first → last" is the time between the first and the last consent request the emulator received.`,
  );
  out.push("");
  out.push(
    table(
      [
        "N",
        "bound (s)",
        "first → last (s)",
        "ratio to bound",
        "`pulumi up` wall (s)",
        "failed resources",
        "consent requests",
        "429s received",
        "early retries",
        "peak req/s seen by the service",
      ],
      results.map((r) => [
        r.n,
        s(r.consent.boundMs),
        s(r.consent.firstToLastMs),
        x(r.consent.ratio),
        s(r.consent.wallMs),
        r.consent.failedResources,
        r.consent.consentRequests,
        `${r.consent.consent429} (${pct(r.consent.consent429, r.consent.consentRequests)})`,
        r.consent.earlyRetries,
        r.consent.peakObservedPerSecond,
      ]),
    ),
  );
  out.push("");
  return out;
}

/**
 * Every consent rollout of the run, one stack and each layout side by side at every size, judged
 * against "under 1 % of consent requests answered 429"; the row names the worst of each kind.
 */
function throttledTarget(results: SizeResult[]): string[] {
  const rollouts = results.flatMap((r) => [
    { n: r.n, layout: "one stack", consent429: r.consent.consent429, consentRequests: r.consent.consentRequests },
    ...sideBySideLayouts(r).map((g) => ({
      n: r.n,
      layout: g.layout ?? `${g.stacks} stacks side by side`,
      consent429: g.consent429,
      consentRequests: g.consentRequests,
    })),
  ]);
  const share = (r: { consent429: number; consentRequests: number }) => (r.consentRequests > 0 ? r.consent429 / r.consentRequests : Infinity);
  const worst = (rs: typeof rollouts) => rs.reduce((a, b) => (share(b) > share(a) ? b : a));
  const describe = (r: (typeof rollouts)[number]) =>
    `${r.layout} at N = ${r.n}, ${r.consent429} of ${r.consentRequests} (${pct(r.consent429, r.consentRequests)})`;
  const oneStack = rollouts.filter((r) => r.layout === "one stack");
  const sideBySide = rollouts.filter((r) => r.layout !== "one stack");
  const kinds = `one stack at each of ${oneStack.length} sizes, ${sideBySide.length} layouts side by side`;
  return [
    "under 1 % of consent requests answered 429, in every rollout of the run",
    rollouts.every((r) => r.consent429 === 0)
      ? `none answered 429 (${kinds})`
      : `the most in one stack: ${describe(worst(oneStack))}` + (sideBySide.length > 0 ? `; side by side: ${describe(worst(sideBySide))}` : "") + ` (${kinds})`,
    mark(rollouts.every((r) => share(r) < 0.01)),
  ];
}

/** The same rollout in stacks side by side (README "Large rollouts"), when a size needed more than one group. */
function grouped({ env, opts, results }: ReportInput): string[] {
  const out: string[] = [];
  if (results.some((r) => r.layouts?.length)) {
    out.push(`### The same rollout in stacks side by side`);
    out.push("");
    out.push(
      `In one stack the engine, not the service, sets the pace once N reaches the hundreds: a self-managed (DIY) backend writes the whole checkpoint ` +
        `before and after every resource operation, one write at a time, so each operation costs time in proportion to the stack's size and a rollout ` +
        `of N resources costs about N² (Pulumi Cloud's journaling avoids this; it is not reachable here). Following README "Large rollouts", ` +
        `the same N customers go into ceil(N / g) stacks of the bench program (g = ${opts.layouts
          .map((l) => l.groupSize)
          .filter((g, i, a) => a.indexOf(g) === i)
          .join(
            " and ",
          )} customers per stack; each also with a compressed checkpoint, \`PULUMI_DIY_BACKEND_GZIP=true\` and \`PULUMI_DIY_BACKEND_ZSTD=true\`), each with \`shard: i/n\` (\`selectShard\`) and ` +
        `\`partnercenter:consentRateLimit\` set to \`rateLimitPerShard(n)\`, started together against a fresh emulator. "first → last" spans all stacks; ` +
        `"start skew" is how much later than the first stack the last one sent its first consent (CLI and program start-up sharing the ${env.cores} cores).`,
    );
    out.push("");
    out.push(
      table(
        [
          "N",
          "stacks",
          "engine settings",
          "largest stack",
          "limit per stack (/s)",
          "first → last (s)",
          "ratio to bound",
          "start skew (s)",
          "slowest `pulumi up` wall (s)",
          "wall / bound",
          "failed resources",
          "consent requests",
          "429s",
          "early retries",
          "peak req/s seen by the service",
        ],
        results.flatMap((r) =>
          (r.layouts ?? []).map((gr) => [
            r.n,
            gr.stacks,
            gr.engine || "none",
            gr.largestShard,
            gr.rateLimitPerStack,
            s(gr.firstToLastMs),
            x(gr.ratio),
            s(gr.startSkewMs),
            s(gr.wallMs),
            x(gr.wallMs / r.consent.boundMs),
            gr.failedResources,
            gr.consentRequests,
            `${gr.consent429} (${pct(gr.consent429, gr.consentRequests)})`,
            gr.earlyRetries,
            gr.peakObservedPerSecond,
          ]),
        ),
      ),
    );
    out.push("");
    out.push(`A size that fits in one group of g customers has no row for that g: its one-stack row above is that rollout.`);
    out.push("");
  }
  out.push(...engineOptionsSection(results));
  return out;
}

/** The engine's default parallelism against unbounded. */
function parallelism({ env, results }: ReportInput): string[] {
  const out: string[] = [];
  out.push(
    `Engine parallelism matters: Pulumi 3.x runs at most 4 × cores resource operations at once unless told otherwise (${env.defaultParallel}). ` +
      `Each consent create holds one of those slots for a whole round trip, so the default caps the rollout at about slots / latency creates per second ` +
      `whatever the service allows. The rows above use unbounded parallelism (${env.parallel.split(" (")[0]}: our rate limiter does the pacing); the same rollout with the ` +
      `CLI's default is in the next table.`,
  );
  out.push("");
  out.push(
    table(
      ["N", "`--parallel`", "first → last (s)", "ratio to bound", "`pulumi up` wall (s)", "failed resources", "429s", "early retries"],
      results.flatMap((r) => [
        [
          r.n,
          "unbounded",
          s(r.consent.firstToLastMs),
          x(r.consent.ratio),
          s(r.consent.wallMs),
          r.consent.failedResources,
          r.consent.consent429,
          r.consent.earlyRetries,
        ],
        [
          r.n,
          `CLI default (${env.defaultParallel})`,
          s(r.defaultParallel.firstToLastMs),
          x(r.defaultParallel.ratio),
          s(r.defaultParallel.wallMs),
          r.defaultParallel.failedResources,
          r.defaultParallel.consent429,
          r.defaultParallel.earlyRetries,
        ],
      ]),
    ),
  );
  out.push("");
  return out;
}

/** The provider beside a plain script, sequential and all at once. */
function sideBySide({ results, consentLimit }: ReportInput): string[] {
  const out: string[] = [];
  out.push(`## Side by side: the way people do it today`);
  out.push("");
  out.push(
    `The same N consents against a fresh emulator (\`POST /_emulator/reset\` before each), with a plain undici client and one app-only token: ` +
      `**one after another** (a script looping over customers) and **all at once** (\`Promise.all\`, no client-side limit, no retry). ` +
      `A failure is a consent that was not made (429, or an error).`,
  );
  out.push("");
  const rows: (string | number)[][] = [];
  for (const r of results) {
    // A `pulumi up` rollout's row: what it asked for, what failed, what the service pushed back.
    const upRow = (
      label: string,
      u: { firstToLastMs: number; ratio: number; wallMs: number; failedResources: number; consent429: number; earlyRetries: number },
    ) => rows.push([r.n, label, s(u.firstToLastMs), x(u.ratio), s(u.wallMs), r.n - u.failedResources, u.failedResources, u.consent429, u.earlyRetries]);
    if (r.grouped) upRow(`\`pulumi up\` (this provider), ${r.grouped.stacks} stacks side by side`, r.grouped);
    upRow("`pulumi up` (this provider), one stack", r.consent);
    upRow("`pulumi up`, the CLI's default --parallel", r.defaultParallel);
    // A baseline's row: the same columns, from what the plain script counted.
    for (const [label, b] of [
      ["one after another", r.sequential],
      ["all at once", r.allAtOnce],
    ] as const)
      rows.push([r.n, label, s(b.firstToLastMs), x(b.ratio), s(b.wallMs), b.succeeded, b.failed, b.throttled429, b.earlyRetries]);
  }
  out.push(table(["N", "approach", "first → last (s)", "ratio to bound", "wall (s)", "consents made", "failed", "429s", "early retries"], rows));
  out.push("");
  out.push(
    `"early retries" is the emulator's count of requests that arrived while a Retry-After it had given was still running. The all-at-once client never ` +
      `retries: its early retries are first attempts that landed inside that window, which a real service counts against the caller just the same.`,
  );
  out.push("");
  out.push(`![consent requests per second against the limit](rps.svg)`);
  out.push("");
  out.push(
    `rps.svg: consent requests per second since each approach's first consent request, against the ${consentLimit}/s limit (dashed red). ` +
      `Bursts far above the limit are clipped and labelled with their height.`,
  );
  out.push("");
  return out;
}

/** Drift detection over the rolled-out stack. */
function drift({ results }: ReportInput): string[] {
  const out: string[] = [];
  out.push(`## Drift detection: \`pulumi preview --refresh\``);
  out.push("");
  out.push(
    `Over the rolled-out stack (N consents and the users of the user rollout), nothing changed out of band. A consent is read back through Graph ` +
      `in its customer tenant (service principal by appId, its oauth2PermissionGrants, the resource's service principal), with an app-only token ` +
      `for that tenant; a user is one Partner Center GET.`,
  );
  out.push("");
  out.push(
    table(
      [
        "N",
        "resources",
        "preview wall (s)",
        "service calls span (s)",
        "reads span (s)",
        "engine time outside service calls (s)",
        "API requests",
        "per resource",
        "Graph per consent",
        "users per user",
        "token requests",
        "429s",
        "changes found",
        "service read-limit bound (s)",
        "client-limit bound (s)",
        "CPU s: engine / program / provider / emulator",
      ],
      results.map((r) => {
        const res = r.refresh.consents + r.refresh.users;
        return [
          r.n,
          res,
          s(r.refresh.wallMs),
          s(r.refresh.serviceSpanMs),
          s(r.refresh.readsSpanMs),
          s(r.refresh.engineMs),
          r.refresh.apiRequests,
          (r.refresh.apiRequests / res).toFixed(2),
          ((r.refresh.requestsByGroup.graph ?? 0) / Math.max(1, r.refresh.consents)).toFixed(2),
          ((r.refresh.requestsByGroup.users ?? 0) / Math.max(1, r.refresh.users)).toFixed(2),
          r.refresh.tokens.requests,
          r.refresh.throttled429,
          r.refresh.changesFound,
          s(r.refresh.serviceBoundMs),
          s(r.refresh.clientBoundMs),
          `${r.refresh.cpuSeconds.engine.toFixed(0)} / ${r.refresh.cpuSeconds.program.toFixed(0)} / ${r.refresh.cpuSeconds.provider.toFixed(0)} / ${r.refresh.cpuSeconds.emulator.toFixed(1)}`,
        ];
      }),
    ),
  );
  out.push("");
  out.push(
    table(
      [
        "N",
        "command",
        "runs the program",
        "wall (s)",
        "requests span (s)",
        "API requests",
        "exit",
        "CPU s: engine / program / provider / other",
        "TLS connections",
      ],
      results.flatMap((r) => {
        const f = r.refresh;
        const cpu = (c: CpuSeconds) => `${c.engine.toFixed(0)} / ${c.program.toFixed(0)} / ${c.provider.toFixed(0)} / ${c.other.toFixed(0)}`;
        return [
          [
            r.n,
            "`pulumi preview --refresh` (the rows above)",
            "yes",
            s(f.wallMs),
            s(f.serviceSpanMs),
            f.apiRequests,
            f.status,
            cpu(f.cpuSeconds),
            f.tlsHandshakes ?? "–",
          ],
          ...f.alternatives.map((d) => [
            r.n,
            driftCommand(d),
            d.runsProgram ? "yes" : "no",
            s(d.wallMs),
            s(d.readsSpanMs),
            d.apiRequests,
            d.status,
            cpu(d.cpuSeconds),
            d.tlsHandshakes ?? "–",
          ]),
        ];
      }),
    ),
  );
  out.push("");
  out.push(
    `The same stack, nothing changed out of band, so each must exit 0. \`pulumi refresh --preview-only\` shows drift but not what \`up\` would do about it; ` +
      `without \`--run-program\` a refresh uses the provider configuration stored in the state (README "When the endpoints or a secret change"). ` +
      `What the rows differ by is how often the program runs: Pulumi's Node.js SDK registering every resource again. ` +
      `The row with PULUMI_DEBUG_PROMISE_LEAKS=1 is the first preview again, with the stack trace @pulumi/pulumi then stamps on every promise of a resource's properties ` +
      `(our resources are declared without them otherwise, sdk/packagedProvider.ts): the program's cost of those stacks, in the same run. ` +
      `"TLS connections" are the connections the emulator accepted, each a TLS set-up our client paid for; the row with PARTNERCENTER_CONNECTIONS_PER_ORIGIN=64 is the first preview with a pool of 64 connections per host instead of the default 512.`,
  );
  out.push("");
  out.push(
    `"API requests" counts every request the emulator served during the preview, token requests included. "reads span" leaves out the program's own ` +
      `delegated-admin list, which \`preview --refresh\` runs after the reads. CPU seconds are from /proc for the CLI's processes ` +
      `(the engine is the \`pulumi\` process; the provider process is our client) and \`process.cpuUsage\` for the benchmark's own process, which hosts the emulator. ` +
      `The service read-limit bound is the ` +
      `longest any single limit or chain of calls forces: the most user reads in one customer at the users limit, or the calls for one customer ` +
      `tenant back to back at the configured latency (Graph reads have no limit in the emulator's documented set). The client-limit bound is the same with our own client's limits: its rate limits, and its pool of ${defaultConnections} connections per origin ` +
      `(without HTTP/2, a request in flight holds a connection for about the latency).`,
  );
  out.push("");
  return out;
}

/** The user rollout. */
function userRollout({ opts, results, limits }: ReportInput): string[] {
  const out: string[] = [];
  out.push(`## User rollout`);
  out.push("");
  out.push(
    `\`CustomerUser\` resources added to the same stack by a second \`pulumi up\`: ${opts.usersPerCustomer} users in each customer, with the ` +
      `emulator's per-customer users limit (${limits.users?.requestsPerSecond}/s per ${limits.users?.key}). A user needs at least its POST, ` +
      `so the bound is the users of one customer at that limit; the client adds one read of each customer's directory per run (the "most in one customer" column counts it).`,
  );
  out.push("");
  out.push(
    table(
      [
        "N (stack)",
        "customers",
        "users",
        "users requests",
        "most in one customer",
        "bound (s)",
        "first → last (s)",
        "ratio to bound",
        "`pulumi up` wall (s)",
        "failed resources",
        "429s",
        "early retries",
      ],
      results.map((r) => [
        r.n,
        r.users.customers,
        r.users.users,
        r.users.userRequests,
        r.users.maxRequestsPerCustomer,
        s(r.users.boundMs),
        s(r.users.firstToLastMs),
        x(r.users.ratio),
        s(r.users.wallMs),
        r.users.failedResources,
        r.users.throttled429,
        r.users.earlyRetries,
      ]),
    ),
  );
  out.push("");
  const largest = results[results.length - 1];
  const ownStack = engineRun(largest.engine, "base", "users");
  if (largest.userLayouts?.length) {
    out.push(`### The user rollout alone, in stacks side by side`);
    out.push("");
    out.push(
      `The same ${largest.users.users} users without the consents: in a stack of their own ("Engine options"), then sharded by customer into stacks side by side ` +
        `(the bench program's \`shard: i/n\` keeps whole customers in one stack), started together against a fresh emulator. The bound is the same: one customer's users at the users limit.`,
    );
    out.push("");
    out.push(
      table(
        [
          "N",
          "layout",
          "largest stack (users)",
          "bound (s)",
          "first → last (s)",
          "ratio to bound",
          "slowest `pulumi up` wall (s)",
          "wall / bound",
          "failed",
          "429s",
          "early retries",
        ],
        [
          ...(ownStack
            ? [
                [
                  largest.n,
                  "a stack of their own",
                  largest.users.users,
                  s(ownStack.boundMs),
                  s(ownStack.spanMs),
                  x(ownStack.spanMs / ownStack.boundMs),
                  s(ownStack.wallMs),
                  x(ownStack.wallMs / ownStack.boundMs),
                  ownStack.failed,
                  ownStack.consent429,
                  ownStack.earlyRetries,
                ],
              ]
            : []),
          ...largest.userLayouts.map((l) => [
            largest.n,
            l.layout,
            l.largestShard,
            s(l.boundMs),
            s(l.firstToLastMs),
            x(l.ratio),
            s(l.wallMs),
            x(l.wallMs / l.boundMs),
            l.failedResources,
            l.user429,
            l.earlyRetries,
          ]),
        ],
      ),
    );
    out.push("");
  }
  return out;
}

/** Token requests, state size, memory and engine time per size. */
function costs({ results }: ReportInput): string[] {
  const out: string[] = [];
  out.push(`## Costs that grow with N`);
  out.push("");
  out.push(
    table(
      [
        "N",
        "token requests: consent `up`",
        "token requests: refresh (partner / customer tenants)",
        "state bytes (whole export)",
        "state bytes per resource",
        "`__provider` bytes (max / avg)",
        "peak RSS of the provider: consent `up` / user `up` / refresh",
        "engine time outside service calls: consent `up` / user `up` / refresh (s)",
        "engine ms per resource (consent `up`)",
      ],
      results.map((r) => [
        r.n,
        `${r.consent.tokens.requests} (${r.consent.tokens.partnerTenant} partner tenant)`,
        `${r.refresh.tokens.requests} (${r.refresh.tokens.partnerTenant} / ${r.refresh.tokens.customerTenants})`,
        int(r.state.stateBytes),
        int(r.state.bytesPerResource),
        `${int(r.state.providerBytesMax)} / ${int(r.state.providerBytesAvg)}`,
        `${mib(r.consent.peakProviderRssKb)} / ${mib(r.users.peakProviderRssKb)} / ${mib(r.refresh.peakProviderRssKb)}`,
        `${s(r.consent.engineMs)} / ${s(r.users.engineMs)} / ${s(r.refresh.engineMs)}`,
        (r.consent.engineMs / r.n).toFixed(1),
      ]),
    ),
  );
  out.push("");
  out.push(
    `- **Token requests.** Creating a consent needs one Partner Center token for the partner's tenant, which MSAL caches for the whole run, and the program's ` +
      `delegated-admin customer list one App+User token, so the create path asks the token endpoint a constant number of times whatever N. Reading a consent back (refresh, or a create that finds ` +
      `an existing consent) needs a Graph token *in that customer's tenant*: one per customer tenant, so a refresh asks for N of them. Tokens last an hour; a longer run asks again.`,
  );
  out.push(
    `- **State.** From \`pulumi stack export\` without --show-secrets: the whole export, the average JSON size of one dynamic resource (inputs, outputs, ` +
      `secrets as ciphertext) and its serialized provider (\`__provider\`, the dynamic provider's code reference, which every resource carries).`,
  );
  out.push(
    `- **Peak RSS** is the highest resident set size /proc showed for the \`@pulumi/pulumi/cmd/dynamic-provider\` node process started by that CLI run (sampled every 200 ms).`,
  );
  out.push(
    `- **Engine time outside service calls** is the CLI's wall time minus the span from the first API request's arrival to the last one's answer: CLI and plugin start-up, ` +
      `running the program, registering resources, gRPC to the provider, checkpointing the state.`,
  );
  out.push("");
  return out;
}

/** How each figure grows from the smallest size to the largest. */
function growth({ results, sizes, largest }: ReportInput): string[] {
  const out: string[] = [];
  out.push(`## How the figures grow with N`);
  out.push("");
  if (results.length < 2) {
    out.push(`Only one size (N = ${sizes[0]}) was measured in this run, so growth cannot be stated; run \`npm run bench\` (N = 100, 500, 1000).`);
  } else {
    const a = results[0];
    const b = largest;
    const line = (label: string, va: number, vb: number, fmt: (v: number) => string) => {
      const k = exponent(a.n, va, b.n, vb);
      return `| ${label} | ${fmt(va)} | ${fmt(vb)} | ${Number.isFinite(k) ? k.toFixed(2) : "n/a"} | ${growthWord(k)} |`;
    };
    out.push(
      `From N = ${a.n} to N = ${b.n} (${(b.n / a.n).toFixed(0)}× the customers). Exponent k in value ∝ N^k: 0 constant, 1 linear, above 1 worse than linear (|k| < 0.15 is called constant, 0.85-1.15 linear).`,
    );
    out.push("");
    out.push(`| figure | N = ${a.n} | N = ${b.n} | k | growth |`);
    out.push(`|---|---|---|---|---|`);
    out.push(line("consent first → last (s)", a.consent.firstToLastMs, b.consent.firstToLastMs, s));
    out.push(line("consent ratio to bound", a.consent.ratio, b.consent.ratio, x));
    out.push(line("`pulumi up` wall, consents (s)", a.consent.wallMs, b.consent.wallMs, s));
    out.push(line("engine time outside service calls, consent `up` (s)", a.consent.engineMs, b.consent.engineMs, s));
    out.push(line("token requests, consent `up`", a.consent.tokens.requests, b.consent.tokens.requests, int));
    out.push(line("token requests, refresh", a.refresh.tokens.requests, b.refresh.tokens.requests, int));
    out.push(line("refresh: preview wall (s)", a.refresh.wallMs, b.refresh.wallMs, s));
    out.push(line("refresh: API requests", a.refresh.apiRequests, b.refresh.apiRequests, int));
    out.push(line("state bytes (whole export)", a.state.stateBytes, b.state.stateBytes, int));
    out.push(line("state bytes per resource", a.state.bytesPerResource, b.state.bytesPerResource, int));
    out.push(line("`__provider` bytes per resource (max)", a.state.providerBytesMax, b.state.providerBytesMax, int));
    out.push(line("peak RSS of the provider, consent `up` (KiB)", a.consent.peakProviderRssKb, b.consent.peakProviderRssKb, int));
    out.push(line("peak RSS of the provider, refresh (KiB)", a.refresh.peakProviderRssKb, b.refresh.peakProviderRssKb, int));
    out.push(line("sequential script: first → last (s)", a.sequential.firstToLastMs, b.sequential.firstToLastMs, s));
    out.push("");
    out.push(
      `Note that the refresh and state figures cover the N consents plus the same ${a.users.users} users at every size, so they grow a little slower than N.`,
    );
  }
  out.push("");
  return out;
}

export function renderReport(env: Environment, opts: Options, results: SizeResult[]): string {
  const input: ReportInput = {
    env,
    opts,
    results,
    sizes: results.map((r) => r.n),
    largest: results[results.length - 1],
    limits: env.limits,
    consentLimit: env.limits.consents?.requestsPerSecond,
  };
  const sections = [intro, waitSection, machine, targets, consentRollout, grouped, parallelism, sideBySide, drift, userRollout, runnerSection, costs, growth];
  return sections.flatMap((section) => section(input)).join("\n");
}
