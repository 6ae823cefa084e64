import { createHash } from "crypto";

/**
 * Splits a customer list into `count` shards and returns shard `index` (1-based), so separate CI jobs
 * can roll out in parallel. The split hashes each customer's id: a customer stays in its shard when
 * others are added or removed, so a job never takes over another job's resources.
 *
 *   selectShard(customerIds, "2/4")   // the second of four shards
 */
export function selectShard<T>(items: T[], shard: string, idOf: (item: T) => string = (x) => String(x)): T[] {
  const { index, count } = parseShard(shard);
  return items.filter((item) => {
    const digest = createHash("sha256").update(idOf(item).toLowerCase()).digest();
    return (digest.readUInt32BE(0) % count) + 1 === index;
  });
}

/** Shard `index` of `count` (1-based). */
export interface Shard {
  index: number;
  count: number;
}

/** "2/4" as shard 2 of 4; anything else is an error that says what a shard looks like. */
export function parseShard(shard: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(shard);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) {
    throw new Error(`shard must look like "2/4" (shard 2 of 4, 1-based), got "${shard}"`);
  }
  return { index: Number(m[1]), count: Number(m[2]) };
}

/**
 * The client-side rate limit each of `shards` parallel jobs should use so that together they stay
 * under the service's limit (consents: 50 requests/s per applicationId), with a small margin.
 */
export function rateLimitPerShard(shards: number, serviceLimitPerSecond = 50, margin = 0.96): number {
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`shards must be a whole number of at least 1, got ${shards}`);
  return Math.floor(((serviceLimitPerSecond * margin) / shards) * 100) / 100;
}
