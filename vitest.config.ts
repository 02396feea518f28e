import { defineConfig } from 'vitest/config';

// Projects chosen by file suffix: `*.test.ts` are unit and subgraph tests next to each package,
// `*.e2e.ts` boot the whole graph (every subgraph and the gateway) against a fresh database.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{db,gateway,schema,subgraphs/*}/test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { LOG_LEVEL: 'error' },
        },
      },
      {
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
