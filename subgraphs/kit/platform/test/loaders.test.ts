import { describe, expect, it } from 'vitest';
import { groupedLoader, keyedLoader, loaderKey, rowsPerKey, shapedLoader } from '../src/batching.ts';

/** The batching idiom: typed object keys, told apart by loaderKey (DataLoader's cacheKeyFn). */
describe('loader keys', () => {
  it('are strings as they are, objects by their fields whatever their order, nested ones too', () => {
    expect(loaderKey('VOP')).toBe('VOP');
    expect(loaderKey({ year: 2020, code: 'VOP' })).toBe(loaderKey({ code: 'VOP', year: 2020 }));
    expect(loaderKey({ kbo: '1', after: { id: '2', on: '2020-01-01' } })).toBe(
      loaderKey({ after: { on: '2020-01-01', id: '2' }, kbo: '1' }),
    );
    expect(loaderKey({ code: 'VOP', year: 2020 })).not.toBe(loaderKey({ code: 'VOP', year: 2019 }));
    expect(loaderKey({ a: 'x|y', b: '' })).not.toBe(loaderKey({ a: 'x', b: 'y|' }));
  });

  it('map rows back to object keys', () => {
    const keys = [
      { code: 'A', year: 2020 },
      { code: 'B', year: 2020 },
    ];
    const rows = [
      { measureCode: 'B', n: 1 },
      { measureCode: 'B', n: 2 },
    ];
    expect(rowsPerKey(keys, rows, (r) => ({ year: 2020, code: r.measureCode }))).toEqual([[], rows]);
  });
});

describe('loaders over object keys', () => {
  it('shapedLoader: one call per shape with its keys, values back in key order, equal keys loaded once', async () => {
    const calls: Array<Array<{ code: string; year: number }>> = [];
    const loader = shapedLoader(
      (k: { code: string; year: number }) => k.year,
      async (keys) => {
        calls.push(keys);
        return keys.map((k) => `${k.code}:${k.year}`);
      },
    );
    const values = await Promise.all([
      loader.load({ code: 'A', year: 2020 }),
      loader.load({ code: 'B', year: 2019 }),
      loader.load({ year: 2020, code: 'B' }),
      loader.load({ year: 2020, code: 'A' }),
    ]);
    expect(values).toEqual(['A:2020', 'B:2019', 'B:2020', 'A:2020']);
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.length).sort()).toEqual([1, 2]);
  });

  it('groupedLoader and keyedLoader accept object keys', async () => {
    const rows = [
      { party: 'PERSON', id: 'p1', v: 1 },
      { party: 'PERSON', id: 'p1', v: 2 },
      { party: 'ORGANISATION', id: 'o1', v: 3 },
    ];
    const grouped = groupedLoader(
      async (keys: readonly { party: string; id: string }[]) =>
        rows.filter((r) => keys.some((k) => k.party === r.party && k.id === r.id)),
      (r) => ({ party: r.party, id: r.id }),
    );
    expect(await grouped.load({ id: 'p1', party: 'PERSON' })).toHaveLength(2);
    expect(await grouped.load({ party: 'PERSON', id: 'o1' })).toEqual([]);
    const keyed = keyedLoader(
      async () => rows.slice(2),
      (r) => ({ party: r.party, id: r.id }),
    );
    expect(await keyed.load({ party: 'ORGANISATION', id: 'o1' })).toMatchObject({ v: 3 });
    expect(await keyed.load({ party: 'PERSON', id: 'p1' })).toBeNull();
  });
});
