import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { SEEDED_ORGANISATIONS } from '@measure-graph/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/stack.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe('a second start on the same database', () => {
  it('reuses the data: migrations are not re-applied and seeds add no duplicates', async () => {
    const first = await startTestStack({ database });
    const before = await first.query<{ measures: unknown[] }>('{ measures { code norms { id } } }');
    const count = (stack: typeof first, sql: string) =>
      stack.stack.subgraphs
        .find((s) => s.name === 'registry')!
        .dataSource.query(sql)
        .then((r) => r[0].n as number);
    const migrationsBefore = await count(first, 'SELECT count(*)::int AS n FROM registry.migrations');
    const dossiersBefore = await first.stack.subgraphs
      .find((s) => s.name === 'activation')!
      .dataSource.query('SELECT count(*)::int AS n FROM activation.dossier');
    await first.stop();

    const second = await startTestStack({ database });
    try {
      const after = await second.query<{ measures: unknown[] }>('{ measures { code norms { id } } }');
      expect(after.data).toEqual(before.data);
      const registry = second.stack.subgraphs.find((s) => s.name === 'registry')!.dataSource;
      const [{ migrations }] = await registry.query('SELECT count(*)::int AS migrations FROM registry.migrations');
      expect(migrations).toBe(migrationsBefore);
      expect(migrationsBefore).toBeGreaterThan(0);
      const activation = second.stack.subgraphs.find((s) => s.name === 'activation')!.dataSource;
      expect(await activation.query('SELECT count(*)::int AS n FROM activation.dossier')).toEqual(dossiersBefore);
      const [{ organisations }] = await registry.query(
        'SELECT count(*)::int AS organisations FROM registry.organisation',
      );
      expect(organisations).toBe(SEEDED_ORGANISATIONS);
    } finally {
      await second.stop();
    }
  });
});
