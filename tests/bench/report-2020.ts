/**
 * Benchmark of the measure modules on the full profile (the report's real volumes), against the
 * PostgreSQL server in DATABASE_URL (a fresh database is created and dropped):
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench
 * Prints the seeding time per domain, then the time and statement count to compute every norm
 * result of 2020 (per domain and through the gateway). Figures, not assertions: machines are shared.
 */
import { createDataSource, openAndMigrate, publishedMeasures } from '@measure-graph/db';
import { createTestDatabase } from '@measure-graph/db/testing';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import { seedDemoData } from '@measure-graph/demo-data';
import { NormResultsStore } from '@measure-graph/measure-module';
import { ALL_SCOPES, readAuthConfig, signToken } from '@measure-graph/auth';
import { startStack } from '../../scripts/stack.ts';
import { post } from '../support/stack.ts';

if (!process.env.DATABASE_URL) {
  console.error('Set DATABASE_URL to a PostgreSQL server; the benchmark creates and drops its own database.');
  process.exit(2);
}
const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const db = await createTestDatabase();
try {
  console.log(
    '| domain | seeding (s) | dossiers | events | payments | norms | results 2020 median (ms) | statements |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  let totalSeed = 0;
  for (const def of subgraphs.filter((s) => s.name !== 'registry')) {
    let statements = 0;
    const ds = createDataSource({
      url: db.url,
      schema: def.schema,
      migrations: def.migrations,
      poolSize: 2,
      onQuery: () => statements++,
    });
    const t0 = performance.now();
    await openAndMigrate(ds, def.schema);
    await def.seedReference?.(ds);
    await seedDemoData(def.name, ds, 'full');
    const seeded = (performance.now() - t0) / 1000;
    totalSeed += seeded;
    await ds.query('ANALYZE');
    const [counts] = await ds.query(
      `SELECT (SELECT count(*) FROM "${def.schema}".dossier)::int AS d, (SELECT count(*) FROM "${def.schema}".dossier_event)::int AS e,
              (SELECT count(*) FROM "${def.schema}".payment)::int AS p`,
    );
    const ids = publishedMeasures()
      .filter((m) => m.domain === def.name)
      .flatMap((m) => m.norms.map((_, i) => `${m.code}-${i + 1}`));
    const store = new NormResultsStore(ds, def.schema);
    const times: number[] = [];
    let perRun = 0;
    for (let run = 0; run < RUNS; run++) {
      const before = statements;
      const t = performance.now();
      await store.results(ids, [2020]);
      times.push(performance.now() - t);
      perRun = statements - before;
    }
    console.log(
      `| ${def.name} | ${seeded.toFixed(1)} | ${counts.d} | ${counts.e} | ${counts.p} | ${ids.length} | ${median(times).toFixed(0)} | ${perRun} |`,
    );
    await ds.destroy();
  }
  console.log(`\nseeding all domains: ${totalSeed.toFixed(1)} s`);

  // The same through the gateway: the flat table of all 69 overview norms (registry + 4 domains).
  const statements = new Map<string, number>();
  const stack = await startStack({
    database: { urlFor: () => db.url },
    env: {},
    seedProfile: 'full',
    onQuery: (name) => statements.set(name, (statements.get(name) ?? 0) + 1),
  });
  try {
    const timed = async (label: string, query: string, headers: Record<string, string> = {}, runs = RUNS) => {
      const body = JSON.stringify({ query });
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        statements.clear();
        const t = performance.now();
        const res = await post(stack.url, body, headers);
        times.push(performance.now() - t);
        if (res.errors) throw new Error(JSON.stringify(res.errors));
      }
      console.log(
        `${label} through the gateway: median ${median(times).toFixed(1)} ms over ${runs} runs; statements per request ${JSON.stringify(Object.fromEntries(statements))}`,
      );
    };
    await timed(
      'normResultsTable(year: 2020)',
      '{ normResultsTable(year: 2020) { normId ... on NormResultRow { result counted late } } }',
    );
    await timed(
      'every card row of 2020 (measures { volumes })',
      '{ measures { code volumes(year: 2020) { id value } } }',
    );
    // What identity costs: a small query answered by the registry and one domain, without a token
    // and with one (verified by the gateway and again by each subgraph it calls).
    const auth = readAuthConfig({}, []);
    const token = await signToken(auth.dev!, {
      subject: 'bench',
      scopes: ALL_SCOPES,
      issuer: auth.issuer,
      audience: auth.audience,
      ttlSeconds: 600,
    });
    const small = '{ measure(code: "VOP") { name norms { id } } }';
    await timed('small query, no token', small, {}, 200);
    await timed('small query, with a token', small, { authorization: `Bearer ${token}` }, 200);
  } finally {
    await stack.stop();
  }
} finally {
  await db.drop();
}
