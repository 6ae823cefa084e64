/**
 * The create journal's rules on what it reads (journal.ts): an entry naming another stack is never
 * used, one that a later successful update outlived is stale and removed, secrets are never written.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clearIntent, journalDir, priorIntents, recordIntent, resetJournalForTests, usableIntents } from "../../provider/resources/journal";
import { setRunningStackForTests } from "../../provider/resources/runningStack";

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
});
