/**
 * The create journal's rules on what it reads (journal.ts): an entry naming another stack is never
 * used, one that a later successful update outlived is stale and removed, secrets are never written;
 * an answered create's entry is kept (with the service's id) until the state is shown to hold it, and
 * the next create of its object reads that id instead of sending its request again.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clearIntent, Intent, journalDir, priorIntents, recordIntent, resetJournalForTests, usableIntents } from "../../provider/resources/journal";
import { createRequestId, journaledCreate, requestFor, retiringAnswered } from "../../provider/resources/recovery";
import { setRunningStackForTests } from "../../provider/resources/runningStack";
import { configure } from "../../provider/resources/runtime";

const running = { project: "proj", stack: "dev" };
const at = Date.parse("2026-12-01T10:00:00Z");
const entry = (over: Record<string, unknown> = {}) => ({
  version: 1,
  ...running,
  kind: "CustomerUser",
  requestId: "r1",
  recordedAt: new Date(at).toISOString(),
  object: { customerId: "c", userPrincipalName: "a@b" },
  ...over,
});

describe("the create journal", () => {
  let home: string;
  const saved = process.env.PULUMI_HOME;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "pc-journal-"));
    process.env.PULUMI_HOME = home;
    setRunningStackForTests(running);
  });
  afterEach(() => {
    process.env.PULUMI_HOME = saved;
    if (saved === undefined) delete process.env.PULUMI_HOME;
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("uses only entries that name this project and stack, and not after a later successful update", () => {
    const read = [entry(), entry({ stack: "prod", requestId: "r2" }), entry({ project: "other", requestId: "r3" }), { not: "an entry" }];
    expect(usableIntents(read, running, []).usable.map((i) => i.requestId)).toEqual(["r1"]);
    expect(usableIntents(read, running, []).foreign).toBe(3);
    // A failed update (the run whose provider died) or a refresh since leaves it usable; a successful update does not.
    const failed = [{ kind: "update", startMs: at + 1000, ended: true, succeeded: false }];
    const refreshed = [{ kind: "refresh", startMs: at + 1000, ended: true, succeeded: true }];
    const before = [{ kind: "update", startMs: at - 1000, ended: true, succeeded: true }];
    for (const updates of [failed, refreshed, before]) expect(usableIntents([entry()], running, updates).usable).toHaveLength(1);
    const later = usableIntents([entry()], running, [{ kind: "update", startMs: at + 1000, ended: true, succeeded: true }]);
    expect([later.usable.length, later.stale.map((i) => i.requestId)]).toEqual([0, ["r1"]]);
  });

  it("writes no password, reads an earlier run's entries but not its own, and removes stale ones", async () => {
    resetJournalForTests(async () => [{ kind: "destroy", startMs: at + 5000, ended: true, succeeded: true }]);
    const dir = journalDir(running);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "stale.json"), JSON.stringify(entry({ requestId: "stale" })));
    fs.writeFileSync(path.join(dir, "fresh.json"), JSON.stringify(entry({ requestId: "fresh", recordedAt: new Date(at + 9000).toISOString() })));
    const own = await recordIntent("CustomerUser", { customerId: "c", userPrincipalName: "x@b", password: "S3cret-Passw0rd!" }, "own");
    expect(fs.readFileSync(path.join(dir, "own.json"), "utf8")).not.toContain("S3cret");
    expect((await priorIntents()).map((i) => i.requestId)).toEqual(["fresh"]);
    expect(fs.existsSync(path.join(dir, "stale.json"))).toBe(false);
    clearIntent(own);
    expect(fs.readdirSync(dir).sort()).toEqual(["fresh.json"]);
  });

  describe("an answered create (the CLI may die before the engine records it: PULUMI_SKIP_CHECKPOINTS=true)", () => {
    const object = { customerId: "c", userPrincipalName: "a@b" };
    const same = (p: Record<string, unknown>) => p.customerId === "c" && p.userPrincipalName === "a@b";
    const entries = () => fs.readdirSync(journalDir(running)).map((n) => JSON.parse(fs.readFileSync(path.join(journalDir(running), n), "utf8")));
    /** A create answered by an earlier provider process (then gone, with the state never written). */
    async function answeredEarlier(): Promise<string> {
      resetJournalForTests(async () => []);
      const request = await createRequestId("CustomerUser", object, same);
      await journaledCreate("CustomerUser", object, request, { what: "user a@b", send: async () => ({ id: "user-1" }), takeBack: async () => undefined });
      resetJournalForTests(async () => []);
      return request.id!;
    }
    const config: Record<string, string> = {
      "partnercenter:clientId": "3c9b2b0e-0c1f-4a0e-9f4b-2f5f1d7a1b11",
      "partnercenter:tenantId": "5c5a59ec-def0-539c-8986-36777985a6ae",
      "partnercenter:clientSecret": "unit-test-secret",
    };
    beforeEach(() => configure({ get: (k) => config[k] }));

    it("is kept, marked with the service's id, and the next run's create of the same object reads that id instead of sending its request again", async () => {
      const id = await answeredEarlier();
      expect(entries()).toEqual([expect.objectContaining({ requestId: id, answeredId: "user-1", kind: "CustomerUser", ...running })]);
      const again = await createRequestId("CustomerUser", object, same);
      // Its request is never sent again (CONTRACT.md: a new MS-RequestId after any response): this run's own id, with the entry.
      expect(again).toMatchObject({ recovering: false, answered: { requestId: id, answeredId: "user-1" } });
      expect(again.id).not.toBe(id);
      const read: string[] = [];
      const made = await journaledCreate("CustomerUser", object, again, {
        what: "user a@b",
        send: async () => Promise.reject(new Error("sent")),
        takeBack: async (answeredId) => (read.push(answeredId), { id: answeredId }),
      });
      expect([made, read]).toEqual([{ id: "user-1" }, ["user-1"]]);
      // The same entry stays, answered, until a later run's engine shows that the state holds the id.
      expect(entries()).toEqual([expect.objectContaining({ requestId: id, answeredId: "user-1" })]);
      // Another object of the same kind is not this entry's.
      expect(await createRequestId("CustomerUser", { customerId: "c", userPrincipalName: "z@b" }, (p) => p.userPrincipalName === "z@b")).toMatchObject({
        recovering: false,
      });
      expect(
        (await createRequestId("CustomerUser", { customerId: "c", userPrincipalName: "z@b" }, (p) => p.userPrincipalName === "z@b")).answered,
      ).toBeUndefined();
    });

    it("whose object is gone (deleted since) is dropped, and the create is made anew with this run's own id", async () => {
      const id = await answeredEarlier();
      resetJournalForTests(async () => []);
      const again = await createRequestId("CustomerUser", object, same);
      const sent: string[] = [];
      const made = await journaledCreate("CustomerUser", object, again, {
        what: "user a@b",
        send: async () => (sent.push(again.id!), { id: "user-2" }),
        takeBack: async () => undefined,
      });
      expect([made, sent]).toEqual([{ id: "user-2" }, [again.id]]);
      expect(entries()).toEqual([expect.objectContaining({ requestId: again.id, answeredId: "user-2" })]);
      expect(entries()[0].requestId).not.toBe(id);
    });

    it("comes before a recovery file's unfinished create of the same object: that request answered, so it is not sent again", () => {
      const answered = { ...entry({ requestId: "r-answered" }), answeredId: "user-1" } as Intent;
      const unanswered = entry({ requestId: "r-unanswered" }) as Intent;
      expect(requestFor([unanswered, answered], "own", { requestId: "r-answered" })).toEqual({ id: "own", recovering: false, answered });
      expect(requestFor([unanswered], "own", { requestId: "r-file" })).toMatchObject({ id: "r-file", recovering: true });
      expect(requestFor([unanswered], "own")).toMatchObject({ id: "r-unanswered", recovering: true, prior: unanswered });
      expect(requestFor([], "own")).toEqual({ id: "own", recovering: false });
    });

    it("is retired once the engine calls diff, read, update or delete with its id (the state holds it), and is then never taken back", async () => {
      for (const call of ["diff", "read", "update", "delete"] as const) {
        fs.rmSync(home, { recursive: true, force: true });
        const calls: string[] = [];
        const provider = retiringAnswered("CustomerUser", {
          diff: async (id: string) => void calls.push(`diff ${id}`),
          read: async (id: string) => void calls.push(`read ${id}`),
          update: async (id: string) => void calls.push(`update ${id}`),
          delete: async (id: string) => void calls.push(`delete ${id}`),
        });
        await answeredEarlier();
        await provider[call]("another-id");
        expect(entries()).toHaveLength(1);
        await provider[call]("user-1");
        expect(calls).toEqual([`${call} another-id`, `${call} user-1`]);
        expect(fs.readdirSync(journalDir(running))).toEqual([]);
        expect(await createRequestId("CustomerUser", object, same)).toMatchObject({ recovering: false });
      }
    });

    it("of another stack, or of another kind with the same id, is neither retired nor taken back; a stale one is removed", async () => {
      await answeredEarlier();
      const provider = retiringAnswered("ApplicationConsent", {
        diff: async (_id: string) => {},
        read: async (_id: string) => {},
        update: async (_id: string) => {},
        delete: async (_id: string) => {},
      });
      await provider.diff("user-1");
      expect(entries()).toHaveLength(1);
      // Read by stack prod: the entry names dev, so it is not prod's to retire or take back.
      setRunningStackForTests({ project: "proj", stack: "prod" });
      fs.cpSync(journalDir(running), journalDir({ project: "proj", stack: "prod" }), { recursive: true });
      resetJournalForTests(async () => []);
      await retiringAnswered("CustomerUser", provider).diff("user-1");
      expect(fs.readdirSync(journalDir({ project: "proj", stack: "prod" }))).toHaveLength(1);
      expect(await createRequestId("CustomerUser", object, same)).toMatchObject({ recovering: false });
      // Back in dev, a successful update since the answer outlived it: stale, removed, not taken back.
      setRunningStackForTests(running);
      resetJournalForTests(async () => [{ kind: "update", startMs: Date.now() + 60_000, ended: true, succeeded: true }]);
      expect(await createRequestId("CustomerUser", object, same)).toMatchObject({ recovering: false });
      expect(fs.readdirSync(journalDir(running))).toEqual([]);
    });
  });
});
