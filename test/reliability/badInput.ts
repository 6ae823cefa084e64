/**
 * Bad input: for each resource (the dynamic providers' `check`, in process, configured for the running
 * emulator) and each data source (the SDK functions, in process), generated invalid inputs must each
 * give a failure that names the field, never an unhandled exception, and the emulator must see no
 * request. Then a sample through the real CLI: a preview with bad inputs fails naming the fields.
 */
import { Prng } from "../../emulator/prng";
import { isPartnerCenterError } from "../../provider/errors";
import { partnerCenterConfig } from "../support/stackConfig";
import { cli } from "./common";
import { Env, newStack, planFor } from "./rollouts";

type CheckFn = (part: string, name: string, ok: boolean, detail?: string) => void;

// ---------------------------------------------------------------- generators of invalid values

const validGuid = "0d4e389b-0ab8-5563-abe8-dd9ac0c47a80";
const injections = [
  "' or 1 eq 1 or '",
  "'; DROP TABLE users;--",
  '" OR ""="',
  "../../../etc/passwd",
  "<script>alert(1)</script>",
  "${process.env.PARTNERCENTER_CLIENT_SECRET}",
  "{{7*7}}",
  "%27%20or%201%3D1",
  "$filter=id eq 1",
  "&$top=1000",
  "?$expand=*",
  "\r\nX-Injected: 1",
  "\u0000",
  "\u202etxt.exe",
  "a\u200bb",
  "\ud83d\udca5",
  "\\u0027",
  "`rm -rf /`",
  "|| true",
  "null",
  "undefined",
];
const unicodeBits = ["é", "ß", "Ü", "Ж", "а" /* Cyrillic a */, "０" /* fullwidth 0 */, "\u200b", "\u202e", "\ufeff", "💥", "𝔘", "\u0301", "ｇ"];

function wrongTypes(rng: Prng): unknown {
  return rng.pick<() => unknown>([
    () => rng.int(100000) - 50000,
    () => rng.next() * 1e9,
    () => NaN,
    () => Infinity,
    () => true,
    () => false,
    () => null,
    () => ({}),
    () => [],
    () => [validGuid],
    () => ({ value: validGuid }),
    () => ({ toString: "x" }),
    () => [[["deep"]]],
  ])();
}

const hex = (rng: Prng, n: number) => Array.from({ length: n }, () => "0123456789abcdef"[rng.int(16)]).join("");
const randomGuid = (rng: Prng) => `${hex(rng, 8)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 12)}`;

function badGuid(rng: Prng): unknown {
  const g = randomGuid(rng);
  const at = rng.int(36);
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    () => "",
    () => " ".repeat(1 + rng.int(5)),
    () => g.slice(0, 35 - rng.int(10)),
    () => g + hex(rng, 1 + rng.int(4)),
    () => g.replace(/-/g, ""),
    () => `{${g}}`,
    () => `urn:uuid:${g}`,
    () => g.slice(0, at) + rng.pick(["g", "z", "G", " ", "_", "."]) + g.slice(at + 1),
    () => g.slice(0, at) + rng.pick(unicodeBits) + g.slice(at + 1),
    () => g + rng.pick(injections),
    () => rng.pick(injections) + g,
    () => rng.pick(injections),
    () => `${g}\n`,
    () => ` ${g}`,
    () => g.repeat(2 + rng.int(200)),
    () => "x".repeat(5_000 + rng.int(20_000)),
  ])();
}

function badUpn(rng: Prng): unknown {
  const alias = `user${rng.int(1000)}`;
  const domain = "contoso.onmicrosoft.com";
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    () => "",
    () => alias,
    () => `${alias}@`,
    () => `@${domain}`,
    () => `${alias}@@${domain}`,
    () => `${alias}@x@${domain}`,
    () => `${alias} x@${domain}`,
    () => `.${alias}@${domain}`,
    () => `${alias}.@${domain}`,
    () => `${alias}@localhost`,
    () => `${alias}@-bad.com`,
    () => `${alias}@domain.c`,
    () => `${alias}@[127.0.0.1]`,
    () => `"${alias}"@${domain}`,
    () => `${alias}${rng.pick(unicodeBits)}@${domain}`,
    () => `${alias}@${rng.pick(unicodeBits)}${domain}`,
    () => `${alias}@${domain}${rng.pick(injections)}`,
    // Only injections with a character no UPN may have ("null" or "%27" alone are valid aliases).
    () => `${rng.pick(injections.filter((i) => !/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/.test(i)))}@${domain}`,
    () => `${"a".repeat(65 + rng.int(100))}@${domain}`,
    () => `${alias}@${"sub.".repeat(30 + rng.int(30))}${domain}`,
    () => `${alias}@${domain}/../../users`,
    () => `${alias}@${domain}\r\nBcc: x@evil.com`,
    () => "x".repeat(5_000 + rng.int(20_000)),
  ])();
}

function badText(rng: Prng, max: number): unknown {
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    () => "",
    () => " ".repeat(1 + rng.int(20)),
    () => "\t\n ",
    () => "A".repeat(max + 1 + rng.int(1000)),
    () => rng.pick(unicodeBits).repeat(max + 1 + rng.int(50)),
    () => `Name${rng.pick(["\u0000", "\u0007", "\u001b[31m", "\r\nX-Injected: 1", "\u007f", "\n"])}${rng.pick(injections)}`,
    () => `${rng.pick(injections)}\u0000`,
    () => "x".repeat(5_000 + rng.int(20_000)),
  ])();
}

function badCountry(rng: Prng): unknown {
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    () => "",
    () => rng.pick(["us", "de", "Us", "uS"]),
    () => rng.pick(["USA", "DEU", "GBR", "U", "D"]),
    () => rng.pick(["ZZ", "EU", "UN", "XA", "QO", "AA", "XX"]),
    () => rng.pick(["1A", "U1", "99", "U S", " US", "US ", "US\n"]),
    () => rng.pick(["ÜS", "ＵＳ", "U\u200bS", "US'", "US;", "U$"]),
    () => rng.pick(injections),
  ])();
}

function badPassword(rng: Prng): unknown {
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    () => "",
    () => "Aa1!".slice(0, 1 + rng.int(3)) + "x".repeat(rng.int(3)),
    () => "Aa1!" + "x".repeat(253 + rng.int(1000)),
    () => "a".repeat(8 + rng.int(50)),
    () => "abcdefgh" + rng.int(1000),
    () => "ABCDEFGH" + "abc",
    () => `Pässwörd${rng.int(1000)}!`,
    () => `Passw0rd!${rng.pick(["\u0000", "\u0007", "\n", "\u001b"])}`,
    () => `Passw0rd${rng.pick(unicodeBits.filter((u) => u.charCodeAt(0) > 127))}`,
  ])();
}

function badBool(rng: Prng): unknown {
  return rng.pick<() => unknown>([
    () => rng.pick(["true", "false", "yes", "", "1", "0"]),
    () => rng.pick([0, 1, -1, NaN]),
    () => null,
    () => ({}),
    () => [],
    () => [true],
  ])();
}

function badImmutableId(rng: Prng): unknown {
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    // Only what the service certainly rejects: spaces ("Some unique ID" is the docs' own example),
    // length and non-ASCII are the service's to judge.
    () => "",
    () => `id\u0000`,
    () => `id${rng.pick(["\r\n", "\t", "\u007f"])}x`,
  ])();
}

function badScope(rng: Prng): unknown {
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    () => "",
    () => "User.Read.All,Mail.Read",
    () => "User.Read.All Mail.Read",
    () => ".User.Read",
    () => "User.Read" + rng.pick(unicodeBits),
    () => rng.pick(injections),
    () => `User.Read.All${rng.pick(injections)}`,
    () => "U".repeat(121 + rng.int(1000)),
    () => "User.Read.All\n",
    () => "*",
    () => "%2A",
  ])();
}

function badScopes(rng: Prng): unknown {
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    () => "User.Read.All",
    () => [],
    () => ["User.Read.All", "user.read.all"],
    () => ["User.Read.All", badScope(rng)],
    () => [badScope(rng)],
  ])();
}

function badGrants(rng: Prng): unknown {
  const good = { enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] };
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    () => [],
    () => good,
    () => [null],
    () => ["User.Read.All"],
    () => [{ scopes: ["User.Read.All"] }],
    () => [{ enterpriseApplicationId: good.enterpriseApplicationId }],
    () => [{ ...good, enterpriseApplicationId: badGuid(rng) }],
    () => [{ ...good, scopes: badScopes(rng) }],
    () => [good, { ...good, enterpriseApplicationId: good.enterpriseApplicationId.toUpperCase() }],
    () => [good, { ...good, scopes: badScopes(rng) }],
  ])();
}

type Gen = (rng: Prng) => unknown;
interface Target {
  name: string;
  kind: "resource" | "dataSource";
  valid: Record<string, unknown>;
  fields: Record<string, { gen: Gen; required: boolean }>;
}

function targets(env: Env): Target[] {
  const c = env.customers[0];
  return [
    {
      name: "CustomerUser",
      kind: "resource",
      valid: {
        customerId: c.id,
        userPrincipalName: `valid.user@${c.domain}`,
        displayName: "Valid User",
        firstName: "Valid",
        lastName: "User",
        usageLocation: "US",
        password: "Valid-Passw0rd!",
        forceChangePassword: true,
        immutableId: "anchor-1",
        adopt: false,
      },
      fields: {
        customerId: { gen: badGuid, required: true },
        userPrincipalName: { gen: badUpn, required: true },
        displayName: { gen: (r) => badText(r, 256), required: true },
        firstName: { gen: (r) => badText(r, 64), required: false },
        lastName: { gen: (r) => badText(r, 64), required: false },
        usageLocation: { gen: badCountry, required: true },
        password: { gen: badPassword, required: true },
        forceChangePassword: { gen: badBool, required: false },
        immutableId: { gen: badImmutableId, required: false },
        adopt: { gen: badBool, required: false },
      },
    },
    {
      name: "ApplicationConsent",
      kind: "resource",
      valid: {
        customerId: c.id,
        applicationId: env.emu.credentials.controlPanelApplicationId,
        displayName: "Valid Panel",
        grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
        replaceExisting: false,
      },
      fields: {
        customerId: { gen: badGuid, required: true },
        applicationId: { gen: badGuid, required: true },
        displayName: { gen: (r) => badText(r, 256), required: true },
        grants: { gen: badGrants, required: true },
        replaceExisting: { gen: badBool, required: false },
      },
    },
    {
      name: "getCustomerOrganization",
      kind: "dataSource",
      valid: { customerId: c.id },
      fields: { customerId: { gen: badGuid, required: true } },
    },
    {
      name: "getDelegatedAdminCustomers",
      kind: "dataSource",
      valid: {},
      fields: {
        filter: { gen: badFilter, required: false },
        orderBy: { gen: badOrderBy, required: false },
        select: { gen: (r) => badSelect(r, "delegatedAdmin"), required: false },
        top: { gen: badTop, required: false },
        skip: { gen: badSkip, required: false },
        count: { gen: badBool, required: false },
      },
    },
    {
      name: "getMultiTenantOrganizationMember",
      kind: "dataSource",
      valid: { tenantId: env.emu.credentials.partnerTenantId },
      fields: { tenantId: { gen: badGuid, required: true }, select: { gen: (r) => badSelect(r, "mto"), required: false } },
    },
    {
      name: "getMultiTenantOrganizationMembers",
      kind: "dataSource",
      valid: {},
      fields: { tenantId: { gen: badGuid, required: false }, select: { gen: (r) => badSelect(r, "mto"), required: false } },
    },
  ];
}

const daFields = ["organizationDisplayName", "dapEnabled", "startDateTime", "customerTenantId"];
function badFilter(rng: Prng): unknown {
  const f = rng.pick(daFields);
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    () => "",
    () => "   ",
    () => `${f} eq`,
    () => `${f}`,
    () => `eq 'x'`,
    () => `${f} == 'x'`,
    () => `${f} like 'x%'`,
    () => `contains(${f}, 'x')`,
    () => `${f} eq Contoso`,
    () => `${f} eq 'unterminated`,
    () => `(${f} eq 'x'`,
    () => `${f} eq 'x')`,
    () => `${f} eq 'x' and`,
    () => `${f} eq 'x' xor dapEnabled eq true`,
    () => `password eq 'x'`,
    () => `${f} eq 'x' or 1 eq 1`,
    () => `${f} eq 'x'; DROP TABLE customers`,
    () => `${f} eq 'x'&$top=1000`,
    () => `${f} eq 'x' $expand=*`,
    () => `${f} eq 'x'\r\nX-Injected: 1`,
    () => `${f} eq '${rng.pick(unicodeBits)}' ${rng.pick(["&&", "||", ";", "|"])} true`,
    () => `${f}${rng.pick(unicodeBits)} eq 'x'`,
    () => `${f} eq 'x' ${"and dapEnabled eq true ".repeat(100 + rng.int(100))}`,
    () => rng.pick(injections),
  ])();
}
function badOrderBy(rng: Prng): unknown {
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    () => "",
    () => "customerTenantId",
    () => "organizationDisplayName sideways",
    () => "organizationDisplayName,dapEnabled",
    () => `organizationDisplayName${rng.pick(injections)}`,
    () => rng.pick(injections),
    () => "organizationDisplayName desc desc",
  ])();
}
function badSelect(rng: Prng, kind: "delegatedAdmin" | "mto"): unknown {
  const ok = kind === "mto" ? "displayName" : "organizationDisplayName";
  return rng.pick<() => unknown>([
    () => wrongTypes(rng),
    () => [],
    () => ok,
    () => [ok, "password"],
    () => [`${ok},id`],
    () => [rng.pick(injections)],
    () => [ok, rng.int(10)],
    () => [`${ok}${rng.pick(unicodeBits)}`],
  ])();
}
function badTop(rng: Prng): unknown {
  return rng.pick<() => unknown>([
    () => 0,
    () => -1 - rng.int(100),
    () => 301 + rng.int(10000),
    () => 1.5,
    () => NaN,
    () => "10",
    () => null,
    () => [10],
    () => Infinity,
  ]);
}
function badSkip(rng: Prng): unknown {
  return rng.pick<() => unknown>([() => -1 - rng.int(100), () => 0.5, () => NaN, () => "5", () => null, () => ({}), () => Infinity]);
}

/** What a failure must say: the field's name. */
const names = (message: string, field: string) => message.includes(field);

function preview(v: unknown): string {
  let s: string;
  try {
    s = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 80)}…(${s.length})` : s;
}

type Resources = typeof import("../../provider/resources");
type DataSources = typeof import("../../sdk/dataSources");

/** One invalid input: "" when the failure names the field, else what went wrong. */
async function tryInput(t: Target, field: string, inputs: Record<string, unknown>, resources: Resources, sdk: DataSources, errors: string[]): Promise<string> {
  const shown = `${field}=${preview(inputs[field])}`;
  try {
    if (t.kind === "resource") {
      const provider = t.name === "CustomerUser" ? resources.user : resources.consent;
      const res = await provider.check({}, inputs);
      const msgs = res.failures.map((f) => `${f.property}: ${f.reason}`);
      errors.push(...msgs);
      if (!res.failures.length) return `${shown} was accepted`;
      // A failure names the field by its property, or (for a secret such as the password, whose
      // value the engine would print next to the property) by its reason alone.
      const named = res.failures.some((f) => f.property.split(/[.[]/)[0] === field || (f.property === "" && f.reason.startsWith(field)));
      return named ? "" : `${shown}: failures do not name the field: ${msgs.join("; ")}`;
    }
    const fn = (sdk as any)[t.name] as (args: unknown) => Promise<unknown>;
    try {
      await fn(inputs);
      return `${shown} was accepted`;
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      errors.push(message);
      if (!isPartnerCenterError(err)) return `${shown}: ${(err as Error)?.name} (not a PartnerCenterError): ${message}`;
      return names(message, field) ? "" : `${shown}: message does not name the field: ${message}`;
    }
  } catch (err) {
    return `${shown}: unhandled exception ${(err as Error)?.stack ?? err}`;
  }
}

/** Each target's `check` (resources) or call (data sources), in process: `perTarget` invalid inputs each, and no request to the emulator. */
async function inProcess(env: Env, perTarget: number, check: CheckFn, errors: string[]): Promise<Record<string, number>> {
  const config = Object.fromEntries(Object.entries(partnerCenterConfig(env.emu)).map(([k, v]) => [k, v.value]));
  // Data sources read the config the way a program does: pulumi.runtime.getConfig, from PULUMI_CONFIG.
  process.env.PULUMI_CONFIG = JSON.stringify(config);
  const resources = await import("../../provider/resources");
  const sdk = await import("../../sdk/dataSources");
  for (const p of [resources.user, resources.consent]) await p.configure({ config: { get: (k: string) => config[k] } });

  await env.admin.call("POST", "/reset");
  await env.admin.call("DELETE", "/requests");
  const counts: Record<string, number> = {};
  const rng = new Prng(20240611);
  for (const t of targets(env)) {
    const fieldNames = Object.keys(t.fields);
    const t0 = Date.now();
    const problems: string[] = [];
    for (let i = 0; i < perTarget; i++) {
      const field = fieldNames[i % fieldNames.length];
      const spec = t.fields[field];
      const inputs: Record<string, unknown> = { ...t.valid };
      // Now and then a required field is left out altogether.
      if (spec.required && rng.int(20) === 0) delete inputs[field];
      else inputs[field] = spec.gen(rng);
      const problem = await tryInput(t, field, inputs, resources, sdk, errors);
      if (problem) problems.push(problem);
    }
    counts[t.name] = perTarget;
    env.log(`bad input ${t.name}: ${perTarget} in ${Date.now() - t0} ms`);
    check(
      "badinput",
      `${t.name}: ${perTarget} invalid inputs each fail naming the field`,
      problems.length === 0,
      problems.length ? `${problems.length} problem(s): ${problems.slice(0, 5).join(" || ")}` : undefined,
    );
  }
  const { requests } = await env.admin.call("GET", "/requests");
  check(
    "badinput",
    "the emulator saw no request during the in-process bad inputs",
    requests.length === 0,
    `${requests.length} request(s): ${requests
      .slice(0, 3)
      .map((r: any) => `${r.method} ${r.path}`)
      .join(", ")}`,
  );
  return counts;
}

/** A sample through the real CLI: previews fail naming the fields, and nothing is sent. Returns the fields tried and the CLI runs. */
async function throughCli(env: Env, check: CheckFn, errors: string[]): Promise<{ tried: number; cliRuns: number }> {
  let tried = 0;
  let cliRuns = 0;
  const c = env.customers[0];
  // The engine stops a preview at the first resource that fails its check: one bad resource per preview.
  const leakyPassword = "leakcheck-onlylowercase-password"; // invalid (2 character classes), and must not be echoed
  env.passwords.push(leakyPassword);
  const cases: { name: string; plan: Record<string, unknown>; expect: string[] }[] = [
    {
      name: "user",
      plan: {
        badUsers: [
          {
            customerId: "not-a-guid",
            userPrincipalName: "no spaces allowed@x.com",
            displayName: "X\r\nX-Injected: 1",
            usageLocation: "usa",
            password: leakyPassword,
          },
        ],
      },
      expect: ["customerId", "userPrincipalName", "displayName", "usageLocation", "password"],
    },
    {
      name: "consent",
      plan: {
        badConsents: [
          {
            customerId: c.id,
            applicationId: "' or 1 eq 1 or '",
            displayName: "X",
            grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All,Mail.Read"] }],
          },
        ],
      },
      expect: ["applicationId", "grants[0].scopes[0]"],
    },
    { name: "filter", plan: { badFilter: "organizationDisplayName eq 'x' or 1 eq 1; DROP TABLE customers" }, expect: ["filter"] },
    // (One data-source case only: a program failing in a data source takes the engine ~40-70 s to end.)
  ];
  for (const cs of cases) {
    await env.admin.call("DELETE", "/requests");
    const plan = { ...planFor(env, 0), ...cs.plan };
    await newStack(env, `badinput-${cs.name}`, plan as any, "Valid-Passw0rd!");
    const r = await cli(env.sandbox, ["preview", "--stack", `badinput-${cs.name}`], env.program, { PARTNERCENTER_LOG: "debug" });
    cliRuns++;
    env.log(`bad input through the CLI (${cs.name}): preview exit ${r.status} in ${r.ms} ms`);
    env.transcripts.push(r.stdout, r.stderr);
    const out = r.stdout + r.stderr;
    errors.push(out);
    const missing = cs.expect.filter((f) => !out.includes(f));
    const { requests: seen } = await env.admin.call("GET", "/requests");
    check(
      "badinput",
      `CLI preview with bad ${cs.name} fails naming ${cs.expect.join(", ")}`,
      r.status !== 0 && missing.length === 0,
      `status ${r.status}, not named: ${missing.join(", ")}\n${out.slice(-1500)}`,
    );
    check(
      "badinput",
      `CLI preview with bad ${cs.name}: the emulator saw no request`,
      seen.length === 0,
      seen.map((x: any) => `${x.method} ${x.path}`).join(", "),
    );
    tried += cs.expect.length;
  }
  return { tried, cliRuns };
}

export async function runBadInput(env: Env, perTarget: number, check: CheckFn, errors: string[]) {
  const perTargetCounts = await inProcess(env, perTarget, check, errors);
  const viaCli = await throughCli(env, check, errors);
  const inProcessTried = Object.values(perTargetCounts).reduce((a, b) => a + b, 0);
  return { tried: inProcessTried + viaCli.tried, cliRuns: viaCli.cliRuns, perTarget: perTargetCounts };
}
