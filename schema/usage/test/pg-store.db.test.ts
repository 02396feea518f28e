import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { createUsageStore, DEFAULT_USAGE_BOUNDS, openUsageStore } from '../src/index.ts';
import { rec, storeContract } from './contract.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function sql(text: string) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL usage store', () => {
  storeContract({
    // Every case starts without the schema: the store creates it.
    fresh: async () => {
      await sql('DROP SCHEMA IF EXISTS usage CASCADE');
      return db.url;
    },
    open: (url, bounds, now) => createUsageStore({ ...bounds, kind: 'postgresql', url, now }),
  });

  it('creates its schema idempotently, also when several stores start at once', async () => {
    await sql('DROP SCHEMA IF EXISTS usage CASCADE');
    const stores = Array.from({ length: 4 }, () => openUsageStore({ USAGE_DATABASE_URL: db.url }));
    const day = new Date().toISOString().slice(0, 10);
    try {
      await Promise.all(stores.map((s, i) => s.record({ records: [rec(day, `op${i}`)] })));
      expect(await stores[0]!.operations({ sinceDay: day })).toHaveLength(4);
      const tables = await sql(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'usage' ORDER BY 1`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(['daily_count', 'operation', 'overflow']);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('reports an unreachable database as USAGE_STORE_UNAVAILABLE', async () => {
    const store = createUsageStore({
      ...DEFAULT_USAGE_BOUNDS,
      kind: 'postgresql',
      url: 'postgres://nobody@127.0.0.1:1/none',
    });
    await expect(store.record({ records: [rec('2026-03-02', 'a')] })).rejects.toMatchObject({
      code: 'USAGE_STORE_UNAVAILABLE',
    });
    await store.close();
  });
});
