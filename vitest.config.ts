import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Four tiers chosen by file suffix, all run by `npm test`: `*.test.ts` need no database (seconds),
// `*.tool.test.ts` drive the repository's tools (tsc, schema:check) as a reviewer would, without a
// database but in seconds each, `*.db.test.ts` test a package against a real database, `*.e2e.ts`
// boot the whole graph (every subgraph and the gateway) against a fresh database.
// `npx vitest run --project fast` runs one tier.
const PACKAGES = '{db,db/import,db/generate,gateway,schema,schema/usage,subgraphs/*,subgraphs/kit/*,examples/*}';
export default defineConfig({
  // One graphql module: Node resolves `graphql` to its CommonJS build (graphql 16 has no "exports"),
  // which @apollo/* load too; Vite would pick the ".mjs" build for our sources, and schema objects
  // made by one would fail the other's instanceof checks ("from another module or realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          // Rules, limits, parsing, validation, composition: no database. DATABASE_URL points at a
          // closed port, so a test that reaches for one fails here instead of slowing the tier down.
          name: 'fast',
          include: [`${PACKAGES}/test/**/*.test.ts`],
          exclude: ['**/*.db.test.ts', '**/*.tool.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
          env: { LOG_LEVEL: 'error', DATABASE_URL: 'postgres://no-database@127.0.0.1:1/fast-tier' },
        },
      },
      {
        extends: true,
        test: {
          // The repository's tools run on the real tree: tsc on resolver fixtures, the schema check
          // (composition, graphql-inspector, the CLI as a process). No database either.
          name: 'tools',
          include: [`${PACKAGES}/test/**/*.tool.test.ts`],
          testTimeout: 60_000,
          env: { LOG_LEVEL: 'error', DATABASE_URL: 'postgres://no-database@127.0.0.1:1/tools-tier' },
        },
      },
      {
        extends: true,
        test: {
          // Subgraphs, stores and tools against a real database of their own (PostgreSQL with
          // DATABASE_URL, an in-memory PGlite otherwise).
          name: 'db',
          include: [`${PACKAGES}/test/**/*.db.test.ts`],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { LOG_LEVEL: 'error' },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/**/*.e2e.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          env: { LOG_LEVEL: 'error' },
        },
      },
    ],
  },
});
