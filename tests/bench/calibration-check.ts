/**
 * Seeds every domain on a fresh database and prints each computed norm result next to the
 * published one: `node --import tsx tests/bench/calibration-check.ts` (DATABASE_URL for a server).
 */
import { createDataSource, openAndMigrate, publishedMeasures } from '@measure-graph/db';
import { createTestDatabase } from '@measure-graph/db/testing';
import { NormResultsStore, normTargetsOf, showsAs } from '@measure-graph/subgraph-kit';
import { subgraphs } from '@measure-graph/schema/subgraphs';

const db = await createTestDatabase();
try {
  let bad = 0;
  for (const def of subgraphs.filter((s) => s.name !== 'registry')) {
    const ds = createDataSource({ url: db.url, schema: def.schema, migrations: def.migrations, poolSize: 2 });
    const t0 = Date.now();
    await openAndMigrate(ds, def.schema);
    await def.seed!(ds, { profile: 'full' });
    const counts = await ds.query(
      `SELECT (SELECT count(*) FROM "${def.schema}".dossier) d, (SELECT count(*) FROM "${def.schema}".dossier_event) e, (SELECT count(*) FROM "${def.schema}".payment) p`,
    );
    console.log(`${def.name}: seeded in ${Date.now() - t0} ms`, counts[0]);
    const store = new NormResultsStore(ds, def.schema);
    const measures = publishedMeasures().filter((m) => m.domain === def.name);
    const ids = measures.flatMap((m) => m.norms.map((_, i) => `${m.code}-${i + 1}`));
    const t1 = Date.now();
    const results = await store.results(ids, [2019, 2020]);
    console.log(`  results in ${Date.now() - t1} ms`);
    for (const m of measures) {
      for (const target of normTargetsOf(m)) {
        for (const year of [2019, 2020]) {
          const t = target.results[year];
          const r = results.find((x) => x.normId === target.normId && x.year === year);
          const ok = t ? r !== undefined && showsAs(r.met, r.total, t) : true;
          if (!ok) bad++;
          if (!ok)
            console.log(
              `  MISMATCH ${target.normId} ${year}: published ${t?.value} computed ${r ? `${r.met}/${r.total}` : 'none'}`,
            );
        }
      }
    }
    await ds.destroy();
  }
  console.log(`mismatches: ${bad}`);
} finally {
  await db.drop();
}
