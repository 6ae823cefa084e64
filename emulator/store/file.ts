import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import { dirname } from "path";
import { MemoryStore, stateFromSeed } from "./memory";
import type { EmulatorState, Seed } from "./model";
import { parseSeed } from "../seed/load";
import { dict, redict } from "./dict";
import { seededGdap } from "../seed/gdap";

/** The parsed file's maps as the store builds them: without prototypes (see dict.ts). */
function revive(state: EmulatorState): EmulatorState {
  const customers = redict(state.customers);
  for (const c of Object.values(customers)) {
    c.users = redict(c.users);
    c.servicePrincipals = redict(c.servicePrincipals);
    c.grants = redict(c.grants);
    c.consents = redict(c.consents);
    if (c.roleMembers) c.roleMembers = redict(c.roleMembers);
  }
  const gdap = state.gdap && {
    relationships: redict(state.gdap.relationships),
    accessAssignments: redict(state.gdap.accessAssignments),
    operations: redict(state.gdap.operations ?? {}),
  };
  return { ...state, customers, refreshTokens: redict(state.refreshTokens), idempotency: redict(state.idempotency), ...(gdap ? { gdap } : {}) };
}

/**
 * Files written before the seed's `gdapRoles` became a relationship kept them on the customer: they
 * become the seeded relationship and access assignment, as a load of that seed would have made them.
 */
function fromLegacyRoles(state: EmulatorState): EmulatorState {
  for (const c of Object.values(state.customers)) {
    const legacy = c as typeof c & { gdapRoles?: string[] };
    const roles = legacy.gdapRoles;
    delete legacy.gdapRoles;
    const group = state.seed.partnerGroups[0]?.id;
    if (!roles?.length || !group) continue;
    state.gdap ??= { relationships: dict(), accessAssignments: dict(), operations: dict() };
    const { relationship, assignment } = seededGdap(
      { id: c.id, displayName: c.organization.displayName },
      roles,
      group,
      new Date(Date.now() + state.clockOffsetMs).toISOString(),
    );
    state.gdap.relationships[relationship.id] ??= relationship;
    state.gdap.accessAssignments[assignment.id] ??= assignment;
  }
  return state;
}

/**
 * A MemoryStore that writes the whole state to `dataFile` after each change. The write goes to a
 * temp file that is then renamed over the target, so a crash never leaves half a file behind.
 */
export class FileStore extends MemoryStore {
  constructor(
    private readonly dataFile: string,
    seed: Seed,
  ) {
    super(FileStore.read(dataFile) ?? stateFromSeed(seed, Date.now()));
    this.commit();
  }

  private static read(file: string): EmulatorState | undefined {
    if (!existsSync(file)) return undefined;
    let state: EmulatorState;
    try {
      state = JSON.parse(readFileSync(file, "utf8")) as EmulatorState;
    } catch (e) {
      throw new Error(`Cannot read emulator data file ${file}: ${(e as Error).message}`, { cause: e });
    }
    // Re-validate the embedded seed so a hand-edited file fails with a clear message.
    state.seed = { ...parseSeed(state.seed, `seed inside data file ${file}`), customers: [] };
    // Files written by earlier versions kept passwords; they are gone from the next write on.
    for (const c of Object.values(state.customers)) for (const u of Object.values(c.users)) delete (u as { password?: string }).password;
    return fromLegacyRoles(revive(state));
  }

  override commit(): void {
    mkdirSync(dirname(this.dataFile), { recursive: true });
    const tmp = `${this.dataFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.dataFile);
  }
}
