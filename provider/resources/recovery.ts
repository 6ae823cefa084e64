/**
 * Taking back, after an interrupted run, exactly what that run made: nothing more.
 *
 * Every Partner Center create sends its POST with an MS-RequestId that `check` chose and put in the
 * resource's inputs (`__createRequestId`). The engine writes those inputs into the stack's checkpoint as
 * a pending operation before it calls `create`, so a run killed mid-create leaves the id behind. The
 * README's recovery saves that checkpoint (`pulumi stack export --file …`) before `pulumi refresh
 * --clear-pending-creates` forgets it, and names the file in `partnercenter:recoverFrom`.
 *
 * The recovery's create then sends the same POST with the same MS-RequestId: what CONTRACT.md says to
 * do after a request that got no answer. The service answers with its first answer: the object when
 * the killed run's POST made it (this stack's beyond doubt), the conflict when the object existed
 * before (another stack's or a person's: not taken), and a normal create when the POST never arrived.
 * Nothing is guessed from an object's fields, so an identical object that another stack declares is
 * never taken over (what the broad `adoptMatching` cannot tell apart).
 *
 * Graph's delegated-admin objects have no idempotency key. There the id, a UUID version 7, says when
 * the create was asked for, and an object found with the program's name is taken back only if Graph
 * created it after that (`createdDateTime`) and it matches the program exactly: one that existed
 * before is another's. Its limit: an identical object that someone else made in the same minute.
 */
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { PartnerCenterError } from "../errors";
import { outcomeUnknown, recoveryReadme } from "./adoption";
import { createRequestIdKey } from "./createRequestIdKey";
import { answerIntent, clearIntent, Intent, priorIntents, recordIntent, retireAnswered } from "./journal";
import { describeStack, runningStack, sameStack, StackIdentity, stackOfUrn } from "./runningStack";
import { context, warn } from "./runtime";
import { StackUpdate, stackUpdates } from "./stackHistory";

/** A fresh MS-RequestId for the create this check may lead to (a new one each run: see below). */
export function withCreateRequestId(inputs: Record<string, unknown>): Record<string, unknown> {
  // New on every check, never kept from the old inputs: a replacement or a re-create after a destroy
  // is a new request, and an id the service saw before would answer it with the old object.
  return { ...inputs, [createRequestIdKey]: timeOrderedUuid() };
}

/**
 * A UUID version 7 (RFC 9562): its first 48 bits are the time it was made, so the id also says when
 * the create was asked for. Graph has no idempotency key to send again; there the recovery takes an
 * object only if it was created after its create was asked for (`createdDateTime`).
 */
export function timeOrderedUuid(nowMs = Date.now()): string {
  const bytes = Buffer.from(randomUUID().replace(/-/g, ""), "hex");
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** When a version-7 id was made; undefined for any other id. */
export function uuidTimeMs(id: string): number | undefined {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-7/i.test(id) ? parseInt(id.replace(/-/g, "").slice(0, 12), 16) : undefined;
}

export interface CreateRequest {
  /** The MS-RequestId to send: the interrupted run's when it left this very create unfinished. */
  id?: string;
  /** This create is one an interrupted run of this stack left unfinished (named in partnercenter:recoverFrom). */
  recovering: boolean;
  /** When that run asked for it (from the id), for services without an idempotency key. */
  askedAtMs?: number;
  /** The journal's entry for this create, left by an earlier run of this stack whose create never answered (journal.ts). */
  prior?: Intent;
  /**
   * The journal's entry of an earlier run's create of this object that answered (it holds the id the
   * service gave) while the state never recorded it: taken back by reading that id, never by sending
   * its request again (CONTRACT.md: a new MS-RequestId after any response). `id` is then this run's own.
   */
  answered?: Intent & { answeredId: string };
}

/**
 * The request id for a create of `kind` with these inputs. When this stack's create journal holds an
 * answered entry for this very object (same kind, `sameObject`), this run's own id, with that entry
 * (`answered`: {@link journaledCreate} reads the object by its id first). Else the one the interrupted
 * run sent when the recovery file names this create unfinished (an URN of this stack), or when the
 * journal holds an unanswered entry for it (a run whose provider died mid-create: journal.ts); else
 * this run's own. A file that is not this stack's latest run's is refused (see {@link recoveryFailure}).
 */
export async function createRequestId(kind: PendingKind, inputs: object, sameObject: (pending: Record<string, unknown>) => boolean): Promise<CreateRequest> {
  const pending = (await pendingCreates()).find((p) => p.kind === kind && sameObject(p.inputs));
  const priors = (await priorIntents()).filter((i) => i.kind === kind && i.successorOf === undefined && sameObject(i.object));
  const own = (inputs as Record<string, unknown>)[createRequestIdKey];
  const ownId = typeof own === "string" ? own : timeOrderedUuid();
  return requestFor(priors, ownId, pending);
}

/**
 * The request a create sends given this stack's journal entries for the object: an answered one
 * first (the object exists, with the id the service gave: sending its request again after that
 * answer is what the contract forbids, whether a recovery file names it too or not), then the
 * recovery file's unfinished create, then an unanswered entry.
 */
export function requestFor(priors: Intent[], ownId: string, pending?: { requestId: string }): CreateRequest {
  const answered = priors.find((i): i is Intent & { answeredId: string } => i.answeredId !== undefined);
  if (answered) return { id: ownId, recovering: false, answered };
  if (pending) return { id: pending.requestId, recovering: true, askedAtMs: uuidTimeMs(pending.requestId) };
  const [prior] = priors;
  if (prior) return { id: prior.requestId, recovering: true, askedAtMs: askedAt(prior), prior };
  return { id: ownId, recovering: false };
}

/** When a journaled create was asked for. */
export const askedAt = (i: Intent) => uuidTimeMs(i.requestId) ?? Date.parse(i.recordedAt);

/** What a create tells the journal while it runs: the name it is about to send, when that is not the program's. */
export interface CreateJournal {
  sending(serviceName: string): Promise<void>;
}

/** How a create is made: `send` makes it; `takeBack` reads, by the id the service gave, what an earlier answered create made. */
export interface CreateSteps<T> {
  /** The object, as the warnings name it ("user a@b in customer …"). */
  what: string;
  send: (journal: CreateJournal) => Promise<T>;
  /** The object with this id as this create's result, or undefined when the service no longer holds it (deleted since). */
  takeBack: (answeredId: string) => Promise<T | undefined>;
  /** What the create is for, when not the resource itself (a GDAP successor: the relationship it follows). */
  successorOf?: string;
}

/**
 * Runs a create with its intent in the journal (journal.ts): written before `send` sends anything,
 * marked answered with the id `send` returns once the create answered (the engine may never record
 * it: a CLI killed before its next checkpoint, or with PULUMI_SKIP_CHECKPOINTS=true before the
 * update's end), removed when it failed in a way that made nothing, kept when the outcome stays
 * unknown (a lost answer, a dead process). The next run takes back what it made from either: an
 * unanswered entry through `send` (the request sent again, or Graph's object found by its name), an
 * answered one through `takeBack` (read by its id; nothing is sent). That entry stays, answered, until
 * the state is seen to hold the id; when the object is gone it is dropped and the create made anew.
 */
export async function journaledCreate<T extends { id: string }>(kind: PendingKind, inputs: object, request: CreateRequest, steps: CreateSteps<T>): Promise<T> {
  const { send, successorOf } = steps;
  const earlier = request.answered;
  if (earlier) {
    const back = await steps.takeBack(earlier.answeredId);
    if (back) {
      await recordIntent(kind, inputs, earlier.requestId, {
        recordedAt: earlier.recordedAt,
        serviceName: earlier.serviceName,
        successorOf,
        answeredId: back.id,
      });
      reportTakenBack(steps.what, back.id);
      return back;
    }
    reportTakenBackGone(steps.what, earlier.answeredId);
    clearIntent(earlier);
  }
  const id = request.id ?? timeOrderedUuid();
  const recordedAt = request.prior?.recordedAt;
  let intent = await recordIntent(kind, inputs, id, { recordedAt, serviceName: request.prior?.serviceName, successorOf });
  const journal: CreateJournal = {
    async sending(serviceName) {
      intent = await recordIntent(kind, inputs, id, { recordedAt: intent?.recordedAt, serviceName, successorOf });
    },
  };
  try {
    const result = await send(journal);
    answerIntent(intent, result.id);
    return result;
  } catch (err) {
    if (!outcomeUnknown(err) && !outcomeUnknown((err as Error).cause)) clearIntent(intent);
    throw err;
  }
}

/** The provider calls that show the engine's state holds a resource with this id (diff, read, update, delete). */
type StateCalls = "diff" | "read" | "update" | "delete";

/**
 * A resource's provider whose calls on a recorded id first retire the journal's answered entry for
 * that id (journal.ts `retireAnswered`): the state holds it, so no later run may take it back.
 */
export function retiringAnswered<P extends Record<StateCalls, (id: string, ...rest: never[]) => Promise<unknown>>>(kind: PendingKind, provider: P): P {
  const wrapped = { ...provider };
  for (const call of ["diff", "read", "update", "delete"] as const) {
    const inner = provider[call] as (id: string, ...rest: unknown[]) => Promise<unknown>;
    (wrapped as Record<StateCalls, unknown>)[call] = async (id: string, ...rest: unknown[]) => {
      await retireAnswered(kind, id);
      return inner.call(provider, id, ...rest);
    };
  }
  return wrapped;
}

/**
 * For Graph's objects: whether one found at create time is what the interrupted run's unfinished
 * create made. It must have been created after that create was asked for (a minute of clock skew
 * allowed) and match the program exactly; an older one existed before and is another's.
 */
export function madeByInterruptedRun(request: CreateRequest, createdDateTime: string | null | undefined, matches: boolean): boolean {
  if (!request.recovering || request.askedAtMs === undefined || !createdDateTime || !matches) return false;
  const created = Date.parse(createdDateTime);
  return Number.isFinite(created) && created >= request.askedAtMs - clockSkewMs;
}

const clockSkewMs = 60_000;

/**
 * Says that a create the interrupted run left unfinished is now done, and this stack's: only once the
 * object was read back from the service (a replayed answer alone may describe an object deleted since).
 */
export function reportRecovered(what: string, request: CreateRequest, createdDateTime?: string | null): void {
  const why =
    createdDateTime === undefined
      ? "sent again with that run's MS-RequestId, the service answered with its first answer, and it was read back"
      : `Graph has no idempotency key, so nothing was sent again: Graph created it at ${createdDateTime}, after that run asked for it at ${new Date(request.askedAtMs ?? 0).toISOString()}, and it is exactly what the program declares`;
  warn(`finished the interrupted run's create of ${what}: ${why}; this stack manages it`);
}

/** Says that an answered create of the interrupted run was taken back by reading its id (nothing sent again). */
function reportTakenBack(what: string, id: string): void {
  warn(
    `finished the interrupted run's create of ${what}: the service had answered it with id ${id}, which that run's state never recorded, so nothing was sent again (a request is never repeated after its answer): taken back by that id; this stack manages it`,
  );
}

/** Says that an answered create of the interrupted run made an object the service no longer holds, and what is done instead. */
function reportTakenBackGone(what: string, id: string): void {
  warn(`the interrupted run's create of ${what} had answered with id ${id}, but the service no longer holds it (deleted since): it is created anew`);
}

/** Says that a replayed create answered for an object the service no longer holds, and what is done instead. */
export function reportReplayedGone(what: string): void {
  warn(
    `the interrupted run's create of ${what} was sent again with that run's MS-RequestId and the service answered with its first answer, but ${what} is no longer on the service (deleted since): it is not recorded from that answer, and is created anew`,
  );
}

/** A fresh MS-RequestId, for a create made anew after a replayed answer named an object that is gone. */
export const freshRequestId = () => timeOrderedUuid();

/** The inputs without the request id: what outputs and state show. */
export function withoutCreateRequestId<T extends object>(inputs: T): T {
  const { [createRequestIdKey]: _, ...rest } = inputs as Record<string, unknown>;
  return rest as T;
}

export type PendingKind =
  "CustomerUser" | "ApplicationConsent" | "DelegatedAdminRelationship" | "DelegatedAdminAccessAssignment" | "CustomerUserRoleAssignment";

interface PendingCreate {
  kind: string;
  urn: string;
  requestId: string;
  inputs: Record<string, unknown>;
}

/** What the recovery needs of a saved checkpoint. */
export interface SavedCheckpoint {
  /** When the interrupted run last wrote it (`deployment.manifest.time`). */
  savedAtMs?: number;
  /** Every stack its URNs name (one, for a file that `pulumi stack export` wrote). */
  stacks: StackIdentity[];
  pending: PendingCreate[];
  /**
   * It names no resource and no operation: the export of a stack no run has saved state of yet (what
   * `pulumi stack init` wrote: its secrets provider, no resources), as a new stack's first run killed
   * with PULUMI_SKIP_CHECKPOINTS=true leaves it (the engine then saves state only at the end). It can
   * hand over, replay or be stale for nothing, so it is used as naming nothing, whoever's it is: the
   * create journal alone takes back what that run made.
   */
  empty?: boolean;
}

// `pulumi stack export` (version 3): only what this needs; everything else is ignored.
const resourceSchema = z.object({ urn: z.string(), type: z.string(), inputs: z.record(z.string(), z.unknown()).default({}) });
const exportSchema = z.object({
  deployment: z.object({
    manifest: z.object({ time: z.string() }).loose().nullish(),
    resources: z.array(resourceSchema.partial({ type: true, inputs: true })).nullish(),
    pending_operations: z.array(z.object({ type: z.string(), resource: resourceSchema })).nullish(),
  }),
});

const fileError = (full: string, why: string) =>
  new PartnerCenterError(
    { operation: "read partnercenter:recoverFrom" },
    `partnercenter:recoverFrom (PARTNERCENTER_RECOVER_FROM) names ${full}, which ${why}. It must be the interrupted stack's checkpoint, saved with \`pulumi stack export --file <file>\` before \`pulumi refresh --clear-pending-creates\` (${recoveryReadme}).`,
  );

/** Parses a saved checkpoint; a file that is not `pulumi stack export` output is an error naming it. */
export function parseSavedCheckpoint(full: string, text: string): SavedCheckpoint {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fileError(full, "is not JSON");
  }
  const parsed = exportSchema.safeParse(json);
  if (!parsed.success) throw fileError(full, "is not the output of `pulumi stack export` (no deployment)");
  const { manifest, resources, pending_operations } = parsed.data.deployment;
  const urns = [...(resources ?? []).map((r) => r.urn), ...(pending_operations ?? []).map((op) => op.resource.urn)];
  const stacks: StackIdentity[] = [];
  for (const urn of urns) {
    const s = stackOfUrn(urn) ?? { project: "(none)", stack: urn };
    if (!stacks.some((x) => sameStack(x, s))) stacks.push(s);
  }
  const savedAtMs = manifest ? Date.parse(manifest.time) : NaN;
  const pending = (pending_operations ?? [])
    .filter((op) => op.type === "creating")
    .flatMap((op) => {
      const requestId = op.resource.inputs[createRequestIdKey];
      const kind = op.resource.type.slice(op.resource.type.lastIndexOf(":") + 1);
      return typeof requestId === "string" ? [{ kind, urn: op.resource.urn, requestId, inputs: op.resource.inputs }] : [];
    });
  return { savedAtMs: Number.isFinite(savedAtMs) ? savedAtMs : undefined, stacks, pending, ...(urns.length ? {} : { empty: true }) };
}

/** Updates that only read (they record no create and delete nothing the program declares). */
const readOnlyKinds = new Set(["refresh", "preview"]);

/**
 * Why a saved checkpoint must not be used by this run, or undefined when it may. It may only when
 * it is this stack's (every URN names this project and stack) and still its latest run's: no
 * update, destroy or import has ended on the stack since the file was saved (a refresh, such as
 * the recovery's `--clear-pending-creates`, may have). Once one has, each create the file names
 * has been finished or dropped by that run, and sending one again would replay an old answer.
 */
export function recoveryRefusal(full: string, saved: SavedCheckpoint, running: StackIdentity | undefined, updates: StackUpdate[]): string | undefined {
  // Nothing in it to hand over, replay or be stale: whoever's it is, it is used as naming nothing.
  if (saved.empty) return undefined;
  const unset = "Unset PARTNERCENTER_RECOVER_FROM (and partnercenter:recoverFrom) and run the command again";
  if (!running) return `${full} cannot be checked against this run's stack: the engine did not say which stack this is. ${unset}.`;
  const foreign = saved.stacks.filter((s) => !sameStack(s, running));
  if (foreign.length) {
    return `${full} is the checkpoint of stack ${foreign.map(describeStack).join(", ")}, not of this stack ${describeStack(running)}: a recovery file is used only by the stack that saved it, since another stack's unfinished creates are that stack's objects. Nothing was sent to the service. ${unset}, or run the recovery in the stack that saved the file.`;
  }
  if (saved.savedAtMs === undefined) return `${full} has no deployment.manifest.time, so it cannot be told apart from an older checkpoint. ${unset}.`;
  const later = updates.filter((u) => u.ended && !readOnlyKinds.has(u.kind) && u.startMs > saved.savedAtMs!).sort((a, b) => a.startMs - b.startMs);
  if (later.length) {
    return `${full} was saved at ${new Date(saved.savedAtMs).toISOString()}, and stack ${describeStack(running)} has run \`pulumi ${later[0].kind}\` since (started ${new Date(later[0].startMs).toISOString()}): a recovery file is used only for the run right after the one it was saved from, since a later run has finished or dropped each create it names. Nothing was sent to the service. ${unset}.`;
  }
  return undefined;
}

interface Loaded {
  pending: PendingCreate[];
  refusal?: PartnerCenterError;
}
const cache = new Map<string, Promise<Loaded>>();

/** The recovery file checked against this stack and its history, once per process. */
function loadRecovery(): Promise<Loaded> | undefined {
  const file = context().config.recoverFrom;
  if (!file) return undefined;
  const full = path.resolve(file);
  let loaded = cache.get(full);
  if (!loaded) {
    loaded = (async (): Promise<Loaded> => {
      let text: string;
      try {
        text = fs.readFileSync(full, "utf8");
      } catch (err) {
        throw fileError(full, `could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      const saved = parseSavedCheckpoint(full, text);
      const running = await runningStack();
      let updates: StackUpdate[] = [];
      if (running && saved.stacks.length && saved.stacks.every((s) => sameStack(s, running))) {
        try {
          updates = await history(running.stack);
        } catch (err) {
          throw new PartnerCenterError(
            { operation: "read partnercenter:recoverFrom" },
            `${full} cannot be checked against the stack's history (${(err as Error).message}), so it is not used: a file that a later run made stale would replay old creates. Unset PARTNERCENTER_RECOVER_FROM (and partnercenter:recoverFrom), or make \`pulumi stack history\` work in the project directory.`,
          );
        }
      }
      const why = recoveryRefusal(full, saved, running, updates);
      if (!why && saved.empty)
        warn(
          `${full} names no resource and no unfinished create: no run has saved this stack's state yet (with PULUMI_SKIP_CHECKPOINTS=true the engine saves it only at the end of a run), so there is nothing in it to finish; the create journal takes back what the killed run made`,
        );
      if (why) return { pending: [], refusal: new PartnerCenterError({ operation: "read partnercenter:recoverFrom" }, `partnercenter:recoverFrom: ${why}`) };
      return { pending: saved.pending };
    })();
    cache.set(full, loaded);
  }
  return loaded;
}

let history: (stack: string) => Promise<StackUpdate[]> = stackUpdates;
/** For tests without a backend: the history this process sees. */
export function setStackHistoryForTests(read: (stack: string) => Promise<StackUpdate[]>): void {
  history = read;
  cache.clear();
}

/** The creates the saved checkpoint shows unfinished; throws when the file is refused. */
async function pendingCreates(): Promise<PendingCreate[]> {
  const loaded = await loadRecovery();
  if (!loaded) return [];
  if (loaded.refusal) throw loaded.refusal;
  return loaded.pending;
}

/** The recovery file's refusal as a check failure (so a preview, and an `up` before any call, stop on it). */
export async function recoveryFailure(): Promise<{ property: string; reason: string } | undefined> {
  try {
    await pendingCreates();
    return undefined;
  } catch (err) {
    return { property: "partnercenter:recoverFrom", reason: (err as Error).message };
  }
}
