import { expect, it } from 'vitest';
import { DEFAULT_USAGE_BOUNDS, type RecordingUsageStore, type UsageBounds, type UsageRecord } from '../src/index.ts';

/** A record of operation `op` (its document and coordinates derive from it) by a client on a day. */
export function rec(day: string, op: string, client = 'web', version = '1.0', count = 1): UsageRecord {
  return {
    day,
    hash: `hash-${op}`,
    name: op,
    document: `query ${op} { ${op} }`,
    coordinates: [`Query.${op}`],
    clientName: client,
    clientVersion: version,
    count,
  };
}

/** A store kind under test: `fresh` makes an empty place to keep usage, `open` opens a store on it. */
export interface StoreKind {
  fresh(): Promise<string>;
  open(target: string, bounds: UsageBounds, now: () => Date): RecordingUsageStore;
}

/**
 * What every store must do, run against the file store and the PostgreSQL one alike: both are the
 * same contract to the gateway and to the check.
 */
export function storeContract(kind: StoreKind): void {
  const open = async (bounds: UsageBounds, now: () => Date) => kind.open(await kind.fresh(), bounds, now);
  const clock = (day: string) => () => new Date(`${day}T12:00:00Z`);

  it('aggregates counts per operation, client and day, and reads a window', async () => {
    const store = await open(DEFAULT_USAGE_BOUNDS, clock('2026-03-02'));
    try {
      await store.record({ records: [rec('2026-03-01', 'a', 'web', '1.0', 2), rec('2026-03-01', 'b', 'bi', '7')] });
      await store.record({
        records: [
          rec('2026-03-02', 'a', 'web', '1.0', 3),
          rec('2026-03-02', 'a', 'bi', '7'),
          { ...rec('2026-03-02', 'a'), coordinates: ['Query.a', 'Color.RED'] },
        ],
      });
      const all = await store.operations({ sinceDay: '2026-03-01' });
      const a = all.find((o) => o.hash === 'hash-a')!;
      expect(a).toMatchObject({
        name: 'a',
        document: 'query a { a }',
        firstSeen: '2026-03-01',
        lastSeen: '2026-03-02',
        count: 7,
      });
      // Coordinates seen with one request's variables join the operation's.
      expect([...a.coordinates].sort()).toEqual(['Color.RED', 'Query.a']);
      expect(a.clients.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
        { name: 'bi', version: '7', count: 1, lastSeen: '2026-03-02' },
        { name: 'web', version: '1.0', count: 6, lastSeen: '2026-03-02' },
      ]);
      expect(all.find((o) => o.hash === 'hash-b')).toMatchObject({ count: 1, lastSeen: '2026-03-01' });
      const lastDay = await store.operations({ sinceDay: '2026-03-02' });
      expect(lastDay.map((o) => [o.hash, o.count, o.firstSeen])).toEqual([['hash-a', 5, '2026-03-02']]);
    } finally {
      await store.close();
    }
  });

  it('caps distinct operations and clients per day and document size: the rest is counted, not stored', async () => {
    const bounds = { ...DEFAULT_USAGE_BOUNDS, maxOperationsPerDay: 2, maxClientsPerDay: 2, maxDocumentBytes: 100 };
    const store = await open(bounds, clock('2026-03-02'));
    try {
      await store.record({ records: [rec('2026-03-02', 'a'), rec('2026-03-02', 'b')] });
      // A third operation the same day (even in a later batch) is over the cap; a known one is not.
      await store.record({
        records: [
          rec('2026-03-02', 'c', 'web', '1.0', 4),
          rec('2026-03-02', 'a', 'web', '1.0', 2),
          rec('2026-03-01', 'c'),
        ],
      });
      await store.record({ records: [rec('2026-03-02', 'a', 'other', '1'), rec('2026-03-02', 'a', 'third', '1', 3)] });
      await store.record({ records: [{ ...rec('2026-03-02', 'big'), document: `query big { ${'x '.repeat(100)}}` }] });
      await store.record({ records: [], overflow: [{ day: '2026-03-02', reason: 'operations', count: 5 }] });
      const ops = await store.operations({ sinceDay: '2026-03-01' });
      expect(ops.map((o) => [o.hash, o.count]).sort()).toEqual([
        ['hash-a', 4],
        ['hash-b', 1],
        ['hash-c', 1],
      ]);
      expect(await store.overflow({ sinceDay: '2026-03-01' })).toEqual(
        [
          { day: '2026-03-02', reason: 'operations', count: 9 },
          { day: '2026-03-02', reason: 'clients', count: 3 },
          { day: '2026-03-02', reason: 'documentSize', count: 1 },
        ].sort((x, y) => x.reason.localeCompare(y.reason)),
      );
    } finally {
      await store.close();
    }
  });

  it('keeps USAGE_RETENTION_DAYS days: older days and the operations only they used are pruned on write', async () => {
    const bounds = { ...DEFAULT_USAGE_BOUNDS, retentionDays: 3 };
    let now = new Date('2026-03-01T12:00:00Z');
    const store = await open(bounds, () => now);
    try {
      await store.record({
        records: [rec('2026-03-01', 'old'), rec('2026-03-01', 'kept')],
        overflow: [{ day: '2026-03-01', reason: 'clients', count: 1 }],
      });
      now = new Date('2026-03-03T23:00:00Z');
      await store.record({ records: [rec('2026-03-03', 'kept')] });
      expect((await store.operations({ sinceDay: '2000-01-01' })).map((o) => o.hash).sort()).toEqual([
        'hash-kept',
        'hash-old',
      ]);
      now = new Date('2026-03-04T00:30:00Z');
      // A batch from a day already past the retention is dropped too.
      await store.record({ records: [rec('2026-03-04', 'kept'), rec('2026-02-28', 'late')] });
      const ops = await store.operations({ sinceDay: '2000-01-01' });
      expect(ops.map((o) => [o.hash, o.count, o.firstSeen])).toEqual([['hash-kept', 2, '2026-03-03']]);
      expect(await store.overflow({ sinceDay: '2000-01-01' })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('loses no count when two stores write at once', async () => {
    const target = await kind.fresh();
    const one = kind.open(target, DEFAULT_USAGE_BOUNDS, clock('2026-03-02'));
    const two = kind.open(target, DEFAULT_USAGE_BOUNDS, clock('2026-03-02'));
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => [
          one.record({ records: [rec('2026-03-02', 'a', 'one', String(i % 2))] }),
          two.record({ records: [rec('2026-03-02', 'a', 'two', '1'), rec('2026-03-02', `b${i}`, 'two', '1')] }),
        ]).flat(),
      );
      const ops = await one.operations({ sinceDay: '2026-03-02' });
      expect(ops.find((o) => o.hash === 'hash-a')!.count).toBe(20);
      expect(ops).toHaveLength(11);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
}
