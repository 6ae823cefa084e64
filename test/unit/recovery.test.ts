/**
 * The recovery's reading of a saved checkpoint (provider/resources/recovery.ts), without a service:
 * which unfinished create a recovery sends again with its MS-RequestId, and the errors a wrong file
 * gets. The end-to-end proof (a killed run, another stack's consent) is in test/e2e/trust.test.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { customerUserProvider } from "../../provider/resources/customerUser";
import {
  createRequestId,
  madeByInterruptedRun,
  parseSavedCheckpoint,
  recoveryFailure,
  recoveryRefusal,
  setStackHistoryForTests,
  timeOrderedUuid,
  uuidTimeMs,
} from "../../provider/resources/recovery";
import { createRequestIdKey } from "../../provider/resources/createRequestIdKey";
import { setRunningStackForTests, stackOfUrn } from "../../provider/resources/runningStack";
import { configure } from "../../provider/resources/runtime";
import type { StackUpdate } from "../../provider/resources/stackHistory";

const customerId = "0d4e389b-0ab8-5563-abe8-dd9ac0c47a80";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcenter-recovery-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function useConfig(recoverFrom?: string) {
  const values: Record<string, string | undefined> = {
    "partnercenter:clientId": "3c9b2b0e-0c1f-4a0e-9f4b-2f5f1d7a1b11",
    "partnercenter:tenantId": "5c5a59ec-def0-539c-8986-36777985a6ae",
    "partnercenter:clientSecret": "unit-test-secret",
    "partnercenter:refreshToken": "unit-test-refresh-token",
    "partnercenter:recoverFrom": recoverFrom,
  };
  configure({ get: (k) => values[k] });
}

function saved(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

const pendingUser = (upn: string, requestId: string, type = "creating") => ({
  type,
  resource: {
    urn: `urn:pulumi:s::p::pulumi-nodejs:dynamic/partnercenter:CustomerUser::${upn}`,
    type: "pulumi-nodejs:dynamic/partnercenter:CustomerUser",
    inputs: {
      customerId,
      userPrincipalName: upn,
      [createRequestIdKey]: requestId,
      password: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:x" },
    },
  },
});
const savedAt = "2026-11-24T00:30:00.000Z";
const exported = (pending: unknown[], stack = "s", project = "p") => ({
  version: 3,
  deployment: {
    manifest: { time: savedAt, magic: "x", version: "v3.248.0" },
    resources: [{ urn: `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`, type: "pulumi:pulumi:Stack" }],
    pending_operations: pending,
  },
});
let updates: StackUpdate[] = [];
beforeEach(() => {
  updates = [];
  setRunningStackForTests({ project: "p", stack: "s" });
  setStackHistoryForTests(async () => updates);
});
const sameUpn = (upn: string) => (p: Record<string, unknown>) => p.customerId === customerId && p.userPrincipalName === upn;

describe("the recovery's saved checkpoint", () => {
  afterEach(() => useConfig());

  it("sends an unfinished create again with its own MS-RequestId, and only that create", async () => {
    useConfig(
      saved(
        "export.json",
        exported([
          pendingUser("ann@contoso.com", "11111111-1111-4111-8111-111111111111"),
          pendingUser("bob@contoso.com", "22222222-2222-4222-8222-222222222222", "deleting"),
        ]),
      ),
    );
    // The recovery's own `pulumi refresh --clear-pending-creates` ran since the file was saved: still this run's file.
    updates = [{ kind: "refresh", startMs: Date.parse(savedAt) + 5_000, ended: true }];
    const own = { [createRequestIdKey]: "33333333-3333-4333-8333-333333333333" };
    await expect(createRequestId("CustomerUser", own, sameUpn("ann@contoso.com"))).resolves.toEqual({
      id: "11111111-1111-4111-8111-111111111111",
      recovering: true,
    });
    // A pending delete is not a create; another UPN or another kind is not this create.
    await expect(createRequestId("CustomerUser", own, sameUpn("bob@contoso.com"))).resolves.toEqual({ id: own[createRequestIdKey], recovering: false });
    await expect(createRequestId("CustomerUser", own, sameUpn("cyd@contoso.com"))).resolves.toEqual({ id: own[createRequestIdKey], recovering: false });
    await expect(createRequestId("ApplicationConsent", own, () => true)).resolves.toEqual({ id: own[createRequestIdKey], recovering: false });
  });

  it("takes the export of a stack no run has saved state of (a first run killed with PULUMI_SKIP_CHECKPOINTS=true) as naming nothing", async () => {
    // What `pulumi stack export` writes then (the engine saves state only at the end of a run): what
    // `pulumi stack init` wrote, the secrets provider and no resources. Refused before as "no stack at all".
    const initOnly = {
      version: 3,
      deployment: { manifest: { time: savedAt, magic: "x", version: "v3.248.0" }, secrets_providers: { type: "passphrase", state: {} }, metadata: {} },
    };
    useConfig(saved("never-saved.json", initOnly));
    // Nothing in it can be stale either.
    updates = [{ kind: "update", startMs: Date.parse(savedAt) + 60_000, ended: true }];
    const warned = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const own = { [createRequestIdKey]: "33333333-3333-4333-8333-333333333333" };
      await expect(createRequestId("CustomerUser", own, () => true)).resolves.toEqual({ id: own[createRequestIdKey], recovering: false });
      // And check (which a preview and an `up` stop on) finds nothing wrong with it.
      await expect(recoveryFailure()).resolves.toBeUndefined();
      expect(warned.mock.calls.join("\n")).toMatch(/never-saved\.json names no resource and no unfinished create: no run has saved this stack's state yet/);
    } finally {
      warned.mockRestore();
    }
  });

  it("uses this run's own id when no file is named", async () => {
    await expect(createRequestId("CustomerUser", { [createRequestIdKey]: "abc" }, () => true)).resolves.toEqual({ id: "abc", recovering: false });
  });

  it("refuses another stack's file before any call, naming both stacks", async () => {
    useConfig(saved("foreign.json", exported([pendingUser("ann@contoso.com", "11111111-1111-4111-8111-111111111111")], "owner")));
    const call = createRequestId("CustomerUser", {}, () => true);
    await expect(call).rejects.toThrow(/is the checkpoint of stack p\/owner, not of this stack p\/s: a recovery file is used only by the stack that saved it/);
    await expect(call).rejects.toThrow(/Nothing was sent to the service\. Unset PARTNERCENTER_RECOVER_FROM/);
    // And check says the same, so that a preview and an `up` stop before any create.
    const checked = await customerUserProvider.check(
      {},
      { customerId, userPrincipalName: "ann@contoso.com", displayName: "Ann", usageLocation: "US", password: "Decide-Passw0rd!" },
    );
    expect(checked.failures).toContainEqual({ property: "partnercenter:recoverFrom", reason: expect.stringContaining("not of this stack p/s") });
  });

  it("refuses a file once an update has run on the stack since it was saved (it was that run's)", async () => {
    useConfig(saved("stale.json", exported([pendingUser("ann@contoso.com", "11111111-1111-4111-8111-111111111111")])));
    updates = [
      { kind: "update", startMs: Date.parse(savedAt) + 60_000, ended: true },
      { kind: "refresh", startMs: Date.parse(savedAt) + 5_000, ended: true },
    ];
    await expect(createRequestId("CustomerUser", {}, sameUpn("ann@contoso.com"))).rejects.toThrow(
      /was saved at 2026-11-24T00:30:00\.000Z, and stack p\/s has run `pulumi update` since \(started 2026-11-24T00:31:00\.000Z\): a recovery file is used only for the run right after/,
    );
  });

  it("refuses a file when the engine does not say which stack this is", async () => {
    setRunningStackForTests(undefined);
    useConfig(saved("unknown.json", exported([])));
    await expect(createRequestId("CustomerUser", {}, () => true)).rejects.toThrow(/the engine did not say which stack this is/);
  });

  it.each([
    ["a file that does not exist", path.join(dir, "missing.json"), /could not be read \(ENOENT\)/],
    ["a file that is not JSON", saved("text.json", "not json"), /is not JSON/],
    ["JSON that is not a stack export", saved("other.json", { resources: [] }), /is not the output of `pulumi stack export`/],
  ])("names the setting and the fix for %s", async (_what, file, reason) => {
    useConfig(file);
    const call = createRequestId("CustomerUser", {}, () => true);
    await expect(call).rejects.toThrow(reason);
    await expect(call).rejects.toThrow(
      /partnercenter:recoverFrom \(PARTNERCENTER_RECOVER_FROM\).*pulumi stack export --file <file>.*before `pulumi refresh --clear-pending-creates`/,
    );
  });

  it("gives every check a new request id, never the old inputs' one (a replacement is a new request)", async () => {
    useConfig();
    const news = { customerId, userPrincipalName: "ann@contoso.com", displayName: "Ann", usageLocation: "US", password: "Decide-Passw0rd!" };
    // The user as an earlier run recorded it (same customer and name), so check asks the service no
    // facts: a new user's check would look its customer up, here on no reachable service (no emulator),
    // and wait out every retry (40-60 s) for a lookup this test does not need.
    const old = { ...news, [createRequestIdKey]: "0190f0a0-0000-7000-8000-000000000000" };
    const first = await customerUserProvider.check(old, news);
    const second = await customerUserProvider.check(first.inputs, news);
    expect(first.inputs[createRequestIdKey]).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.inputs[createRequestIdKey]).not.toBe(old[createRequestIdKey]);
    expect(second.inputs[createRequestIdKey]).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.inputs[createRequestIdKey]).not.toBe(first.inputs[createRequestIdKey]);
    // And diff does not see it as a change.
    const d = await customerUserProvider.diff(
      "u-1",
      { ...(first.inputs as any), userId: "u-1", state: "active", forceChangePassword: true, adopt: false },
      second.inputs as any,
    );
    expect(d.changes).toBe(false);
  });
});

describe("the rules a saved checkpoint must meet", () => {
  const running = { project: "p", stack: "s" };
  const parse = (content: unknown) => parseSavedCheckpoint("f.json", JSON.stringify(content));

  it("reads the stacks of every URN, the time it was saved and the unfinished creates", () => {
    const file = parse(exported([pendingUser("ann@contoso.com", "11111111-1111-4111-8111-111111111111")]));
    expect(file).toMatchObject({
      savedAtMs: Date.parse(savedAt),
      stacks: [running],
      pending: [{ kind: "CustomerUser", urn: expect.stringMatching(/^urn:pulumi:s::p::/) }],
    });
    expect(stackOfUrn("urn:pulumi:dev::proj::pulumi-nodejs:dynamic/partnercenter:CustomerUser::u")).toEqual({ stack: "dev", project: "proj" });
    expect(stackOfUrn("not-an-urn")).toBeUndefined();
  });

  it("accepts this stack's file with only refreshes since, and refuses any other", () => {
    const file = parse(exported([]));
    const at = Date.parse(savedAt);
    expect(recoveryRefusal("f.json", file, running, [{ kind: "refresh", startMs: at + 1, ended: true }])).toBeUndefined();
    // The running update itself (a backend that lists it) is not a later run.
    expect(recoveryRefusal("f.json", file, running, [{ kind: "update", startMs: at + 1, ended: false }])).toBeUndefined();
    // The interrupted run, and anything before it, is not later.
    expect(recoveryRefusal("f.json", file, running, [{ kind: "update", startMs: at - 1, ended: true }])).toBeUndefined();
    expect(recoveryRefusal("f.json", file, { project: "p", stack: "other" }, [])).toMatch(/checkpoint of stack p\/s, not of this stack p\/other/);
    expect(recoveryRefusal("f.json", file, { project: "q", stack: "s" }, [])).toMatch(/checkpoint of stack p\/s, not of this stack q\/s/);
    for (const kind of ["update", "destroy", "import"]) {
      expect(recoveryRefusal("f.json", file, running, [{ kind, startMs: at + 1000, ended: true }])).toMatch(new RegExp(`has run \`pulumi ${kind}\` since`));
    }
    // A file that mixes stacks or has no time is refused; one that names nothing has nothing to refuse.
    const mixed = parse({
      ...exported([pendingUser("ann@contoso.com", "1")]),
      deployment: {
        ...exported([]).deployment,
        pending_operations: [{ ...pendingUser("x", "1"), resource: { ...pendingUser("x", "1").resource, urn: "urn:pulumi:t::p::T::x" } }],
      },
    });
    expect(recoveryRefusal("f.json", mixed, running, [])).toMatch(/checkpoint of stack p\/t, not of this stack p\/s/);
    expect(recoveryRefusal("f.json", parse({ deployment: {} }), running, [{ kind: "update", startMs: Date.now(), ended: true }])).toBeUndefined();
    expect(recoveryRefusal("f.json", parse({ deployment: { resources: exported([]).deployment.resources } }), running, [])).toMatch(
      /no deployment\.manifest\.time/,
    );
  });
});

describe("the create's request id", () => {
  it("is a version-7 UUID that says when the create was asked for", () => {
    const at = Date.parse("2026-11-24T00:30:00.123Z");
    const id = timeOrderedUuid(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidTimeMs(id)).toBe(at);
    expect(timeOrderedUuid(at)).not.toBe(id);
    expect(uuidTimeMs("11111111-1111-4111-8111-111111111111")).toBeUndefined();
  });

  it("lets the recovery take a Graph object only when it was created after its create was asked for, and matches", () => {
    const askedAtMs = Date.parse("2026-11-24T00:30:00Z");
    const recovering = { id: timeOrderedUuid(askedAtMs), recovering: true, askedAtMs };
    expect(madeByInterruptedRun(recovering, "2026-11-24T00:30:02Z", true)).toBe(true);
    expect(madeByInterruptedRun(recovering, "2026-11-24T00:29:30Z", true)).toBe(true); // within the clock skew
    expect(madeByInterruptedRun(recovering, "2026-11-24T00:20:00Z", true)).toBe(false); // it existed before: another's
    expect(madeByInterruptedRun(recovering, "2026-11-24T00:30:02Z", false)).toBe(false); // not what the program declares
    expect(madeByInterruptedRun(recovering, null, true)).toBe(false);
    expect(madeByInterruptedRun({ id: "x", recovering: false }, "2026-11-24T00:30:02Z", true)).toBe(false);
  });
});
