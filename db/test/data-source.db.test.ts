import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource, openAndMigrate } from '../src/data-source.ts';

const SCHEMA = 'widget_test';
let upCalls = 0;

class WidgetInit1763900000000 implements MigrationInterface {
  name = 'WidgetInit1763900000000';

  async up(qr: QueryRunner): Promise<void> {
    upCalls++;
    await qr.query(`CREATE TABLE "${SCHEMA}".widget (id integer PRIMARY KEY, label text NOT NULL)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "${SCHEMA}".widget`);
  }
}

let db: TestDatabase;
const sources: DataSource[] = [];

function open(): DataSource {
  const ds = createDataSource({ url: db.url, schema: SCHEMA, migrations: [WidgetInit1763900000000], poolSize: 2 });
  sources.push(ds);
  return ds;
}

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  for (const ds of sources) if (ds.isInitialized) await ds.destroy();
  await db?.drop();
});

describe('createDataSource + openAndMigrate', () => {
  it('builds a DataSource without connecting', () => {
    const ds = open();
    expect(ds.isInitialized).toBe(false);
    expect(ds.options).toMatchObject({ type: 'postgres', schema: SCHEMA, synchronize: false, migrationsRun: false });
  });

  it('runs a pending migration exactly once, even when called again', async () => {
    const ds = open();
    await openAndMigrate(ds, SCHEMA);
    expect(ds.isInitialized).toBe(true);
    expect(upCalls).toBe(1);

    await openAndMigrate(ds, SCHEMA);
    expect(upCalls).toBe(1);
    expect(await ds.showMigrations()).toBe(false);

    const rows: Array<{ name: string }> = await ds.query(`SELECT name FROM "${SCHEMA}".migrations`);
    expect(rows.map((r) => r.name)).toEqual(['WidgetInit1763900000000']);
  });

  it('does not run it again from a second, freshly opened DataSource', async () => {
    const ds = open();
    await openAndMigrate(ds, SCHEMA);
    expect(upCalls).toBe(1);
    const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM "${SCHEMA}".migrations`);
    expect(count).toBe(1);
  });

  it('keeps the migrated table and the migrations table in the given schema, not in public', async () => {
    const ds = sources.find((s) => s.isInitialized)!;
    const tables: Array<{ table_schema: string; table_name: string }> = await ds.query(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_name IN ('widget', 'migrations') ORDER BY table_name`,
    );
    expect(tables).toEqual([
      { table_schema: SCHEMA, table_name: 'migrations' },
      { table_schema: SCHEMA, table_name: 'widget' },
    ]);
    await ds.query(`INSERT INTO "${SCHEMA}".widget (id, label) VALUES (1, 'first')`);
    expect(await ds.query(`SELECT id, label FROM "${SCHEMA}".widget`)).toEqual([{ id: 1, label: 'first' }]);
  });
});
