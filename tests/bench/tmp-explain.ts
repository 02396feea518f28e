import { createDataSource, publishedMeasures } from '@measure-graph/db';
import { NormResultsStore } from '@measure-graph/subgraph-kit';
const ds = createDataSource({
  url: 'postgres://postgres@127.0.0.1:5432/mg_perf',
  schema: 'activation',
  migrations: [],
  poolSize: 1,
});
await ds.initialize();
const ids = publishedMeasures()
  .filter((m) => m.domain === 'activation')
  .flatMap((m) => m.norms.map((_, i) => `${m.code}-${i + 1}`));
const store = new NormResultsStore(ds, 'activation');
const orig = ds.query.bind(ds);
(ds as any).query = async (sql: string, p: unknown[]) => {
  await orig("SET work_mem = '128MB'", []);
  await orig('SET enable_sort = off', []);
  const t = Date.now();
  await orig(sql, p);
  console.log('plain ms', Date.now() - t);
  const r = await orig('EXPLAIN (ANALYZE) ' + sql, p);
  console.log(r.map((x: any) => x['QUERY PLAN']).join('\n'));
  return [];
};
await store.results(ids, [2020]);
await ds.destroy();
