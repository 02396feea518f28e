import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Projects chosen by file suffix: `*.test.ts` are unit and subgraph tests next to each package,
// `*.e2e.ts` boot the whole graph (every subgraph and the gateway) against a fresh database.
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
          name: 'unit',
          include: ['{db,gateway,schema,subgraphs/*}/test/**/*.test.ts'],
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
