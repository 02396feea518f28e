/**
 * `node --import tsx tests/bench/generate-import.ts small|full`: times `data:generate` of a profile
 * and its `data:import` into a fresh database (migrated, reference data seeded, no demo data):
 * a new database on the PostgreSQL server of DATABASE_URL, an in-memory PGlite without it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataSource } from '@measure-graph/db';
import { createTestDatabase } from '@measure-graph/db/testing';
import { importDataset } from '@measure-graph/data-import';
import { writeDemoDataset } from '@measure-graph/demo-data';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import { openAndMigrate } from '@measure-graph/db';

const profile = process.argv[2] === 'full' ? 'full' : 'small';
const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), `measure-graph-${profile}-`));
let t = performance.now();
const { counts } = await writeDemoDataset(dir, profile);
console.log(`generate ${profile}: ${seconds(t)} s (${JSON.stringify(counts)})`);

const db = await createTestDatabase();
try {
  t = performance.now();
  for (const def of subgraphs) {
    const ds = createDataSource({ url: db.url, schema: def.schema, migrations: def.migrations, poolSize: 1 });
    await openAndMigrate(ds, def.schema);
    await def.seedReference?.(ds);
    await ds.destroy();
  }
  console.log(`migrate + reference data: ${seconds(t)} s`);
  t = performance.now();
  const report = await importDataset({ dir, urlFor: () => db.url, subgraphs });
  console.log(`import ${profile}: ${seconds(t)} s, ok=${report.ok}`);
  for (const f of report.files)
    console.log(
      `  ${f.file}: ${(f.milliseconds / 1000).toFixed(1)} s ${JSON.stringify(f.counts)}`,
      [...new Set(f.errors.map((e) => `${e.field.replace(/\d+/g, 'n')}: ${e.reason.replace(/[\d-]{4,}.*$/, '')}`))],
      f.errorCount,
    );
} finally {
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
