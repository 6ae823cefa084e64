/**
 * The store's maps: objects without a prototype, so that an id such as `constructor`, `toString` or
 * `__proto__` is a key like any other (absent until stored) instead of Object.prototype's member.
 */
export function dict<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const d = Object.create(null) as Record<string, T>;
  for (const [k, v] of entries) d[k] = v;
  return d;
}

/** A map read back from JSON (a data file), made prototype-free like the ones the store builds. */
export const redict = <T>(parsed: Record<string, T> | undefined): Record<string, T> => dict(Object.entries(parsed ?? {}));
