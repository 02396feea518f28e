import DataLoader from 'dataloader';

/*
 * The batching idiom of every subgraph: a loader key is a string id or a typed object (never a
 * string joined from parts and split again); DataLoader tells object keys apart by `loaderKey`
 * (its cacheKeyFn), and the helpers below map rows back to keys the same way.
 */

/** Plain data with its object fields in name order, so that field order never tells keys apart. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * The cache key of a loader key: a string as it is, anything else (a typed object key) as JSON of
 * its fields in name order. Every kit loader uses it as DataLoader's `cacheKeyFn`.
 */
export function loaderKey(key: unknown): string {
  return typeof key === 'string' ? key : JSON.stringify(canonical(key));
}

/** Rows per key, in key order (empty where there are none); `keyOf` gives a row's key. */
export function rowsPerKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<string, V[]>(keys.map((k) => [loaderKey(k), []]));
  for (const row of rows) groups.get(loaderKey(keyOf(row)))?.push(row);
  return keys.map((k) => groups.get(loaderKey(k)) ?? []);
}

/** One row per key, in key order (null where there is none); `keyOf` gives a row's key. */
export function rowPerKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): Array<V | null> {
  const byKey = new Map(rows.map((r) => [loaderKey(keyOf(r)), r]));
  return keys.map((k) => byKey.get(loaderKey(k)) ?? null);
}

/**
 * Groups rows by a key, returning the groups in key order (empty where there are none): one
 * statement per batch for any number of parents. Every domain's one-to-many loaders use it.
 */
export function groupedLoader<V, K = string>(
  load: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (v: V) => K,
): DataLoader<K, V[], string> {
  return new DataLoader<K, V[], string>(async (keys) => rowsPerKey(keys, await load(keys), keyOf), {
    cacheKeyFn: loaderKey,
  });
}

/** Loads one row per key, returning them in key order (null where there is none). */
export function keyedLoader<V, K = string>(
  load: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (v: V) => K,
): DataLoader<K, V | null, string> {
  return new DataLoader<K, V | null, string>(async (keys) => rowPerKey(keys, await load(keys), keyOf), {
    cacheKeyFn: loaderKey,
  });
}

/** Loads rows by their id (keyedLoader on `id`). */
export const byIdLoader = <V extends { id: string }>(load: (keys: readonly string[]) => Promise<V[]>) =>
  keyedLoader<V>(load, (r) => r.id);

/**
 * Typed object keys that one statement answers together when they share a shape: everything but
 * the parent they are about (a year for many measures; a page size and cursor for many
 * organisations). Each distinct shape of a batch is one call of `load` with its keys, which
 * returns one value per key in the keys' order (rowsPerKey, rowPerKey).
 */
export function shapedLoader<K, V>(
  shapeOf: (key: K) => unknown,
  load: (keys: K[]) => Promise<V[]>,
): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    async (keys) => {
      const groups = new Map<string, number[]>();
      keys.forEach((key, i) => {
        const shape = loaderKey(shapeOf(key));
        const group = groups.get(shape);
        if (group) group.push(i);
        else groups.set(shape, [i]);
      });
      const values = new Array<V>(keys.length);
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          const loaded = await load(indexes.map((i) => keys[i]!));
          indexes.forEach((i, n) => (values[i] = loaded[n]!));
        }),
      );
      return values;
    },
    { cacheKeyFn: loaderKey },
  );
}
