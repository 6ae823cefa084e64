/**
 * The create-intent journal: before any create is sent, the provider writes down what it is about
 * to make (stack, kind, the object as the program declares it, the request id, the time, and for a
 * GDAP relationship the name sent to Graph). Once the create has answered, the entry is kept, marked
 * answered with the id the service gave, until the stack's state is known to hold that id.
 *
 * Why: when the provider process alone dies mid-create (OOM, kill -9), the engine records the create
 * as failed, so the checkpoint keeps no pending operation and a recovery file (recovery.ts) names
 * nothing, while the service may hold the object. The next run of the same stack finds the entry
 * here without being told, and its create of the same object takes back exactly what that request
 * made (the same MS-RequestId sent again for Partner Center; for Graph, the object under the name
 * that was sent, created after the entry was written) instead of failing with "already exists" or
 * making a second one.
 *
 * Where: `$PULUMI_HOME/partnercenter/journal/<project>/<stack>/` (PULUMI_HOME defaults to
 * ~/.pulumi), one file per create. Pulumi keeps its own per-project workspace files there, it is on
 * every machine that runs the stack, and it is writable whatever the state backend (a cloud or
 * blob backend cannot be written by a provider). The limit: a run on another machine (a fresh CI
 * runner) does not see it; the README's recovery file covers that case when the CLI died too.
 *
 * Why answered entries are kept: the engine records an answered create only in its next checkpoint.
 * With PULUMI_SKIP_CHECKPOINTS=true there is none until the update ends, so a CLI killed after the
 * answer leaves the object in no state and no pending operation. The next run's create of the same
 * object takes it back by reading the object by that id: its request is never sent again, since
 * Partner Center takes a new MS-RequestId after any answer (CONTRACT.md). An answered entry is
 * retired once the engine shows that the state holds its id (it calls diff, read, update or delete
 * with that id: {@link retireAnswered}), or once it is stale, so entries do not pile up over clean runs.
 *
 * Every entry read may be wrong: one naming another project or stack (copied in) is never used, one
 * that a later successful update of this stack has outlived is stale (that update finished or
 * dropped the create) and is deleted. No secret is written: the entry holds no password.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { z } from "zod";
import { createRequestIdKey } from "./createRequestIdKey";
import { describeStack, knownStack, runningStack, sameStack, StackIdentity } from "./runningStack";
import { StackUpdate, stackUpdates } from "./stackHistory";
import { warn } from "./runtime";

const intentSchema = z.object({
  version: z.literal(1),
  project: z.string(),
  stack: z.string(),
  kind: z.string(),
  requestId: z.string(),
  recordedAt: z.string(),
  /** The declared object's non-secret inputs: what tells a later create it is the same object. */
  object: z.record(z.string(), z.unknown()),
  /** The name sent to the service when it differs from the program's (a GDAP relationship numbered "Name (2)"). */
  serviceName: z.string().optional(),
  /** What the create is for, when not the resource itself (a GDAP successor: the relationship it follows). */
  successorOf: z.string().optional(),
  /** The id the service gave, once the create answered: the entry stays until the state is known to hold it. */
  answeredId: z.string().optional(),
});
export type Intent = z.infer<typeof intentSchema>;

/** Inputs never written to the journal: secrets, and the per-run request id (kept as requestId). */
const unwritten = new Set(["password", createRequestIdKey, "__provider"]);

/** This stack's journal directory. */
export function journalDir(s: StackIdentity, home = process.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi")): string {
  return path.join(home, "partnercenter", "journal", encodeURIComponent(s.project), encodeURIComponent(s.stack));
}

const fileOf = (s: StackIdentity, requestId: string) => path.join(journalDir(s), `${requestId.replace(/[^\w-]/g, "_")}.json`);

/** Request ids this process wrote: its own creates are never "a prior run's". */
const ownIds = new Set<string>();

/** Writes (or rewrites) an intent durably: a whole file, fsynced, renamed into place. Undefined when the engine did not say which stack this is. */
export async function recordIntent(
  kind: string,
  inputs: object,
  requestId: string,
  extra: { serviceName?: string; successorOf?: string; recordedAt?: string; answeredId?: string } = {},
): Promise<Intent | undefined> {
  const running = await runningStack(true);
  if (!running) return undefined;
  const object = Object.fromEntries(Object.entries(inputs).filter(([k, v]) => !unwritten.has(k) && v !== undefined));
  const intent: Intent = { version: 1, ...running, kind, requestId, recordedAt: extra.recordedAt ?? new Date().toISOString(), object };
  if (extra.serviceName !== undefined) intent.serviceName = extra.serviceName;
  if (extra.successorOf !== undefined) intent.successorOf = extra.successorOf;
  if (extra.answeredId !== undefined) intent.answeredId = extra.answeredId;
  ownIds.add(requestId);
  writeEntry(fileOf(running, requestId), intent, true);
  return intent;
}

/** A whole file renamed into place; fsynced when it must survive a crash of the machine. */
function writeEntry(file: string, intent: Intent, durable: boolean): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(intent));
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * Marks an intent answered with the id the service gave. Not fsynced: if the mark is lost, the
 * unanswered entry underneath is taken back the same way, and is only retired later.
 */
export function answerIntent(intent: Intent | undefined, answeredId: string): void {
  if (!intent) return;
  writeEntry(fileOf(intent, intent.requestId), { ...intent, answeredId }, false);
}

/** Removes an intent (its create answered, or it is stale); already gone is fine. */
export function clearIntent(intent: Pick<Intent, "project" | "stack" | "requestId"> | undefined): void {
  if (!intent) return;
  fs.rmSync(fileOf(intent, intent.requestId), { force: true });
}

/** Updates that only read: they neither finish nor drop a create. */
const readOnlyKinds = new Set(["refresh", "preview"]);

/**
 * Which of the entries read may be used by this stack's run: those that name this stack and that no
 * successful update started after them has outlived. Split out to be tested without a backend.
 */
export function usableIntents(read: unknown[], running: StackIdentity, updates: StackUpdate[]): { usable: Intent[]; foreign: number; stale: Intent[] } {
  const usable: Intent[] = [];
  const stale: Intent[] = [];
  let foreign = 0;
  for (const raw of read) {
    const parsed = intentSchema.safeParse(raw);
    if (!parsed.success || !sameStack(parsed.data, running)) {
      foreign++;
      continue;
    }
    const at = Date.parse(parsed.data.recordedAt);
    const outlived = !Number.isFinite(at) || updates.some((u) => u.succeeded && !readOnlyKinds.has(u.kind) && u.startMs > at);
    (outlived ? stale : usable).push(parsed.data);
  }
  return { usable, foreign, stale };
}

let prior: Promise<Intent[]> | undefined;
let history: (stack: string) => Promise<StackUpdate[]> = stackUpdates;
/** Request ids of answered entries this process retired: never taken back after that. */
const retired = new Set<string>();

/**
 * The intents earlier runs of this stack left (creates that never answered, or answered ones the
 * state may not hold), read once per process; those retired since are left out, also those whose
 * retirement waited for the engine to say which stack this is (it has by now: loadPrior waited).
 */
export async function priorIntents(): Promise<Intent[]> {
  prior ??= loadPrior();
  const intents = await prior;
  await Promise.all(waiting);
  return intents.filter((i) => !retired.has(i.requestId));
}

let answered: Promise<Map<string, Intent>> | undefined;
const answeredKey = (kind: string, id: string) => `${kind}\n${id}`;
/** Retirements asked for before the engine said which stack this is, done once it says. */
const waiting = new Set<Promise<void>>();

/**
 * The engine called diff, read, update or delete for a resource of `kind` with this id: the stack's
 * state holds it, so an earlier run's answered entry for that id is retired. The directory is read
 * once per process (a run's first such call); an entry this process wrote is not an earlier run's.
 *
 * A run's first diffs may come before the engine knows its root resource (the SDK sets it alongside
 * the program's first resources: runningStack.ts), and in a refresh or a destroy it never learns one.
 * Then the call goes on at once, and the retirement is done once the engine says which stack this is
 * (within moments in an `up`; never in a refresh), before any create of this process looks at the
 * journal ({@link priorIntents}). Kept until then, the entry could otherwise be taken back by a create
 * of the same object in this run (a replacement of the very object the state holds).
 */
export async function retireAnswered(kind: string, id: string): Promise<void> {
  if (typeof id !== "string" || !id) return;
  answered ??= loadAnswered();
  const retire = answered.then((map) => {
    const intent = map.get(answeredKey(kind, id));
    if (!intent) return;
    map.delete(answeredKey(kind, id));
    retired.add(intent.requestId);
    clearIntent(intent);
  });
  if (knownStack()) return retire;
  // An entry left in place is retired by a later run: a failure here costs nothing now.
  const later = retire.catch(() => undefined);
  waiting.add(later);
  void later.finally(() => waiting.delete(later));
}

async function loadAnswered(): Promise<Map<string, Intent>> {
  const map = new Map<string, Intent>();
  const running = await runningStack(true);
  if (!running) return map;
  for (const raw of readEntries(journalDir(running))) {
    const parsed = intentSchema.safeParse(raw);
    if (!parsed.success || !sameStack(parsed.data, running) || parsed.data.answeredId === undefined || ownIds.has(parsed.data.requestId)) continue;
    map.set(answeredKey(parsed.data.kind, parsed.data.answeredId), parsed.data);
  }
  return map;
}

/** Every entry file's JSON in a directory (an unreadable one as `{}`, which no schema accepts). */
function readEntries(dir: string): unknown[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    try {
      return [JSON.parse(fs.readFileSync(path.join(dir, n), "utf8")) as unknown];
    } catch {
      return [{}];
    }
  });
}

async function loadPrior(): Promise<Intent[]> {
  const running = await runningStack(true);
  if (!running) return [];
  const dir = journalDir(running);
  const read = readEntries(dir);
  if (!read.length) return [];
  let updates: StackUpdate[];
  try {
    updates = await history(running.stack);
  } catch (err) {
    warn(`the create journal in ${dir} is not used this run: ${(err as Error).message}, so its entries cannot be told from stale ones`);
    return [];
  }
  const { usable, foreign, stale } = usableIntents(read, running, updates);
  // Written by this process before the read (a create that a recovery file named): not an earlier run's.
  const earlier = usable.filter((i) => !ownIds.has(i.requestId));
  if (foreign) warn(`ignored ${foreign} file(s) in the create journal ${dir} that name no create of stack ${describeStack(running)}`);
  for (const s of stale) clearIntent(s);
  return earlier;
}

/** For tests without a backend: the history and journal this process sees. */
export function resetJournalForTests(read?: (stack: string) => Promise<StackUpdate[]>): void {
  if (read) history = read;
  prior = undefined;
  answered = undefined;
  waiting.clear();
  retired.clear();
  ownIds.clear();
}
