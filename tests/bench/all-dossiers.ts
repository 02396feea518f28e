/**
 * Every dossier received in 2020 (full profile) through the gateway, two ways: the cross-domain
 * list `allDossiers(filter: { year: 2020 })` at first=1000, and what a client did before it, a
 * cursor loop over each of the 42 measures' `dossiers(first: 1000, filter: { year: 2020 })`.
 *   LOG_LEVEL=error DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx tests/bench/all-dossiers.ts [runs]
 * A fresh database is created on that server, seeded with the full profile and dropped. Prints
 * rows, requests, seconds and rows/s (median of the runs) per way. Figures, not assertions: machines
 * are shared.
 */
import { createTestDatabase } from '@measure-graph/db/testing';
import { ALL_SCOPES, readAuthConfig, signToken } from '@measure-graph/auth';
import { startStack } from '../../scripts/stack.ts';
import { post } from '../support/stack.ts';

if (!process.env.DATABASE_URL) {
  console.error('Set DATABASE_URL to a PostgreSQL server; the benchmark creates and drops its own database.');
  process.exit(2);
}
const RUNS = Number(process.argv[2] ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const FIELDS = 'id measureCode status receivedAt';

const db = await createTestDatabase();
try {
  const t0 = performance.now();
  const stack = await startStack({ database: { urlFor: () => db.url }, env: {}, seedProfile: 'full' });
  console.log(`stack with the full profile up in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  try {
    const auth = readAuthConfig({}, []);
    const token = await signToken(auth.dev!, {
      subject: 'bench',
      scopes: ALL_SCOPES,
      issuer: auth.issuer,
      audience: auth.audience,
      ttlSeconds: 3600,
    });
    const ask = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
      const res = await post(stack.url, JSON.stringify({ query, variables }), { authorization: `Bearer ${token}` });
      if (res.errors || !res.data) throw new Error(JSON.stringify(res.errors ?? res.text.slice(0, 300)));
      return res.data as T;
    };
    interface Connection {
      nodes: unknown[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    }

    const allDossiers = async () => {
      let rows = 0;
      let requests = 0;
      let after: string | null = null;
      for (;;) {
        const { allDossiers: page }: { allDossiers: Connection } = await ask<{ allDossiers: Connection }>(
          `query ($after: String) { allDossiers(first: 1000, after: $after, filter: { year: 2020 }) {
            nodes { ${FIELDS} } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        rows += page.nodes.length;
        requests++;
        if (!page.pageInfo.hasNextPage) return { rows, requests };
        after = page.pageInfo.endCursor;
      }
    };

    const perMeasure = async () => {
      const { measures } = await ask<{ measures: Array<{ code: string }> }>('{ measures { code } }', {});
      let rows = 0;
      let requests = 1;
      for (const { code } of measures) {
        let after: string | null = null;
        for (;;) {
          const { measure }: { measure: { dossiers: Connection } } = await ask<{ measure: { dossiers: Connection } }>(
            `query ($code: ID!, $after: String) { measure(code: $code) {
              dossiers(first: 1000, after: $after, filter: { year: 2020 }) { nodes { ${FIELDS} } pageInfo { hasNextPage endCursor } } } }`,
            { code, after },
          );
          rows += measure.dossiers.nodes.length;
          requests++;
          if (!measure.dossiers.pageInfo.hasNextPage) break;
          after = measure.dossiers.pageInfo.endCursor;
        }
      }
      return { rows, requests };
    };

    console.log('| way | rows | requests | median seconds | rows/s |');
    console.log('|---|---|---|---|---|');
    for (const [label, run] of [
      ['allDossiers(first: 1000, filter: { year: 2020 })', allDossiers],
      ['a cursor loop over every measure, dossiers(first: 1000)', perMeasure],
    ] as const) {
      const times: number[] = [];
      let result = { rows: 0, requests: 0 };
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        result = await run();
        times.push((performance.now() - t) / 1000);
      }
      const seconds = median(times);
      console.log(
        `| ${label} | ${result.rows} | ${result.requests} | ${seconds.toFixed(1)} | ${Math.round(result.rows / seconds)} |`,
      );
    }
  } finally {
    await stack.stop();
  }
} finally {
  await db.drop();
}
