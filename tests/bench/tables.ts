/**
 * Benchmark of a connection table over GET /tables on the full profile (the report's volumes):
 *   LOG_LEVEL=error DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx tests/bench/tables.ts
 * Boots the whole graph in this process (a fresh database, created and dropped), then downloads the
 * dossiers of the measure with the most 2020 dossiers, then every payment of VOP (BENCH_PAYMENTS_MEASURE),
 * then every 2020 dossier of every domain (all-dossiers?year=2020), as CSV, reading the body as a
 * connector does, and prints rows per second and the process's RSS (gateway, subgraphs and driver: one process)
 * before and at its peak during the download. Figures, not assertions: machines are shared.
 * BENCH_TABLES=all-dossiers (a comma-separated subset of dossiers, payments, all-dossiers) runs only
 * those downloads: the full set takes minutes on a loaded machine. BENCH_CPU_PROFILE=<file> writes a
 * V8 CPU profile (.cpuprofile, for Chrome DevTools) of the first all-dossiers download: the gateway,
 * the subgraphs and the driver share this process, so it shows which of them the time goes to.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { startTestStack } from '../support/stack.ts';

if (!process.env.DATABASE_URL) {
  console.error('Set DATABASE_URL to a PostgreSQL server; the benchmark creates and drops its own database.');
  process.exit(2);
}
const pageSize = process.env.TABLES_PAGE_SIZE ?? '1000';
const paymentsMeasure = process.env.BENCH_PAYMENTS_MEASURE ?? 'VOP';
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const graph = await startTestStack({ seedProfile: 'full', env: { TABLES_PAGE_SIZE: pageSize } });
try {
  const base = graph.url.replace(/\/graphql$/, '');
  const { measures } = await graph.data<{ measures: Array<{ code: string; dossiers: { totalCount: number } | null }> }>(
    '{ measures { code dossiers(first: 1, filter: { year: 2020 }) { totalCount } } }',
  );
  const largest = measures.sort((a, b) => (b.dossiers?.totalCount ?? 0) - (a.dossiers?.totalCount ?? 0))[0]!;
  console.log(`${largest.code} 2020: ${largest.dossiers!.totalCount} dossiers, page size ${pageSize}`);
  console.log('| table | run | rows | bytes | seconds | rows/s | RSS before (MB) | RSS peak (MB) |');
  console.log('|---|---|---|---|---|---|---|---|');
  const only = process.env.BENCH_TABLES?.split(',');
  const runs = (
    [
      ['dossiers', 1],
      ['dossiers', 2],
      ['dossiers', 3],
      ['payments', 1],
      ['payments', 2],
      ['all-dossiers', 1],
      ['all-dossiers', 2],
    ] as const
  ).filter(([table]) => !only || only.includes(table));
  for (const [table, run] of runs) {
    // Payments of a measure that pays per dossier (VOP: several instalments a dossier).
    const code = table === 'payments' ? paymentsMeasure : table === 'dossiers' ? largest.code : 'every domain';
    const query = {
      dossiers: `code=${code}&year=2020`,
      payments: `code=${code}`,
      'all-dossiers': 'year=2020',
    }[table];
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const profile = process.env.BENCH_CPU_PROFILE && table === 'all-dossiers' && run === 1 ? new Session() : null;
    if (profile) {
      profile.connect();
      await profile.post('Profiler.enable');
      await profile.post('Profiler.start');
    }
    const started = performance.now();
    const res = await fetch(`${base}/tables/${table}.csv?${query}`, {
      headers: { authorization: `Bearer ${graph.allScopesToken}` },
    });
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body!) {
      bytes += chunk.byteLength;
      for (const byte of chunk) if (byte === 10) lines++;
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (profile) {
      const { profile: taken } = await profile.post('Profiler.stop');
      fs.writeFileSync(process.env.BENCH_CPU_PROFILE!, JSON.stringify(taken));
      profile.disconnect();
    }
    const rows = lines - 1;
    console.log(
      `| ${table} ${code} | ${run} | ${rows} | ${bytes} | ${seconds.toFixed(1)} | ${Math.round(rows / seconds)} | ${mb(before)} | ${mb(peak)} |`,
    );
  }
  if (!only || only.includes('all-dossiers')) await allDossiersBreakdown(graph, pageSize);
} finally {
  await graph.stop();
}

/**
 * Where the time of all-dossiers goes: the same pages through /graphql, first with the ids only
 * (the registry merges the domains' key pages and answers alone: no entity fetch), then with the
 * table's selection (the gateway fetches each page's dossiers from their domains by reference). The
 * table's own rate beside these two says what the CSV path adds.
 */
async function allDossiersBreakdown(graph: Awaited<ReturnType<typeof startTestStack>>, first: string) {
  const selections = {
    'ids only (registry merge)': 'id',
    'the table’s fields (+ entity fetches)':
      '__typename id measureCode kind channel status receivedAt completedAt applicant { __typename ... on Organisation { kboNumber } }',
  };
  console.log('| allDossiers(year: 2020) through /graphql | rows | pages | seconds | rows/s | ms a page |');
  console.log('|---|---|---|---|---|---|');
  for (const [what, selection] of Object.entries(selections)) {
    type Page = { allDossiers: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    let after: string | null = null;
    let rows = 0;
    let pages = 0;
    const started = performance.now();
    for (;;) {
      const page: Page = await graph.data<Page>(
        `query ($first: Int!, $after: String) { allDossiers(first: $first, after: $after, filter: { year: 2020 }) {
          pageInfo { hasNextPage endCursor } nodes { ${selection} } } }`,
        { first: Number(first), after },
      );
      rows += page.allDossiers.nodes.length;
      pages++;
      if (!page.allDossiers.pageInfo.hasNextPage) break;
      after = page.allDossiers.pageInfo.endCursor;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `| ${what} | ${rows} | ${pages} | ${seconds.toFixed(1)} | ${Math.round(rows / seconds)} | ${Math.round((seconds * 1000) / pages)} |`,
    );
  }
}
