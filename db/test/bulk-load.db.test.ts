import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withIndexesBuiltAfter } from '../src/bulk-load.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let db: TestDatabase;
let client: pg.Client;
const run = async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows;
/** The index definitions of the test table, as the catalogue has them. */
const indexes = async () =>
  (
    await run(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'bulk' AND tablename = 'item' ORDER BY indexname`)
  ).map((r) => r.indexdef as string);

beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
}, 60_000);
afterAll(async () => {
  await client?.end();
  await db?.drop();
});
beforeEach(async () => {
  await run(`DROP SCHEMA IF EXISTS bulk CASCADE`);
  await run(`CREATE SCHEMA bulk`);
  await run(`CREATE TABLE bulk.item (id bigint PRIMARY KEY, ref text UNIQUE, kind text, at timestamp)`);
  await run(`CREATE INDEX item_kind_at ON bulk.item (kind, at)`);
  await run(`CREATE INDEX item_at_partial ON bulk.item (at) WHERE kind IS NOT NULL`);
});

const load = (from: number, to: number) =>
  run(
    `INSERT INTO bulk.item SELECT g, 'r' || g, 'k' || (g % 3), timestamp '2020-01-01' + g * interval '1 hour'
       FROM generate_series($1::int, $2::int) g`,
    [from, to],
  );

describe('withIndexesBuiltAfter', () => {
  it('loads an empty table without its secondary indexes and builds the same ones after', async () => {
    const before = await indexes();
    let during: string[] = [];
    await run('BEGIN');
    await withIndexesBuiltAfter(run, 'bulk', ['item'], async () => {
      await load(1, 5000);
      during = await indexes();
    });
    await run('COMMIT');
    // Only the primary key and the unique index stay while loading (ON CONFLICT needs them).
    expect(during).toEqual(before.filter((d) => d.includes('UNIQUE')));
    expect(await indexes()).toEqual(before);
    // The rebuilt index is used and complete.
    const [row] = await run(`SELECT count(*)::int AS n FROM bulk.item WHERE kind = 'k1'`);
    expect(row!.n).toBe(1667);
  });

  it('keeps the indexes of a table that already holds rows', async () => {
    await load(1, 10);
    const before = await indexes();
    let during: string[] = [];
    await withIndexesBuiltAfter(run, 'bulk', ['item'], async () => {
      await load(11, 20);
      during = await indexes();
    });
    expect(during).toEqual(before);
  });

  it('leaves the indexes as they were when the load fails in its transaction', async () => {
    const before = await indexes();
    await run('BEGIN');
    await expect(
      withIndexesBuiltAfter(run, 'bulk', ['item'], async () => {
        await load(1, 10);
        await load(5, 6); // duplicate keys
      }),
    ).rejects.toThrow(/duplicate key/);
    await run('ROLLBACK');
    expect(await indexes()).toEqual(before);
    expect((await run(`SELECT count(*)::int AS n FROM bulk.item`))[0]!.n).toBe(0);
  });
});
