/**
 * Taking back, after an interrupted run, exactly what that run made: nothing more.
 *
 * Every Partner Center create sends its POST with an MS-RequestId that `check` chose and put in the
 * resource's inputs (`createRequestId`). The engine writes those inputs into the stack's checkpoint as
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
import { context, warn } from "./runtime";

/** The input that carries a create's MS-RequestId into the checkpoint. */
export const createRequestIdKey = "createRequestId";

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
  /** This create is one the interrupted run left unfinished (named in partnercenter:recoverFrom). */
  recovering: boolean;
  /** When that run asked for it (from the id), for services without an idempotency key. */
  askedAtMs?: number;
}

export function createRequestId(kind: PendingKind, inputs: object, sameObject: (pending: Record<string, unknown>) => boolean): CreateRequest {
  const pending = pendingCreates().find((p) => p.kind === kind && sameObject(p.inputs));
  const own = (inputs as Record<string, unknown>)[createRequestIdKey];
  if (pending) return { id: pending.requestId, recovering: true, askedAtMs: uuidTimeMs(pending.requestId) };
  return { id: typeof own === "string" ? own : undefined, recovering: false };
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

/** Says that a create the interrupted run left unfinished is now done, and this stack's. */
export function reportRecovered(what: string): void {
  warn(`finished the interrupted run's create of ${what}: sent again with that run's MS-RequestId, so the service made it once; this stack manages it`);
}

/** The inputs without the request id: what outputs and state show. */
export function withoutCreateRequestId<T extends object>(inputs: T): T {
  const { [createRequestIdKey]: _, ...rest } = inputs as Record<string, unknown>;
  return rest as T;
}

export type PendingKind =
  "CustomerUser" | "ApplicationConsent" | "DelegatedAdminRelationship" | "DelegatedAdminAccessAssignment" | "CustomerUserRoleAssignment";

interface PendingCreate {
  kind: string;
  requestId: string;
  inputs: Record<string, unknown>;
}

// `pulumi stack export` (version 3): only what this needs; everything else is ignored.
const exportSchema = z.object({
  deployment: z.object({
    pending_operations: z
      .array(
        z.object({
          type: z.string(),
          resource: z.object({ type: z.string(), inputs: z.record(z.string(), z.unknown()).default({}) }),
        }),
      )
      .nullish(),
  }),
});

const cache = new Map<string, PendingCreate[]>();

/** The creates the saved checkpoint shows unfinished, read once per process. */
function pendingCreates(): PendingCreate[] {
  const file = context().config.recoverFrom;
  if (!file) return [];
  const full = path.resolve(file);
  let found = cache.get(full);
  if (found) return found;
  const fail = (why: string) =>
    new PartnerCenterError(
      { operation: "read partnercenter:recoverFrom" },
      `partnercenter:recoverFrom (PARTNERCENTER_RECOVER_FROM) names ${full}, which ${why}. It must be the interrupted stack's checkpoint, saved with \`pulumi stack export --file <file>\` before \`pulumi refresh --clear-pending-creates\` (README "Recovering after an interrupted run").`,
    );
  let text: string;
  try {
    text = fs.readFileSync(full, "utf8");
  } catch (err) {
    throw fail(`could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail("is not JSON");
  }
  const parsed = exportSchema.safeParse(json);
  if (!parsed.success) throw fail("is not the output of `pulumi stack export` (no deployment)");
  found = (parsed.data.deployment.pending_operations ?? [])
    .filter((op) => op.type === "creating")
    .flatMap((op) => {
      const requestId = op.resource.inputs[createRequestIdKey];
      const kind = op.resource.type.slice(op.resource.type.lastIndexOf(":") + 1);
      return typeof requestId === "string" ? [{ kind, requestId, inputs: op.resource.inputs }] : [];
    });
  cache.set(full, found);
  return found;
}
