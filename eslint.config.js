// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated resolver types (npm run codegen) are checked for staleness, not style.
    ignores: [
      '**/node_modules/**',
      '.data/**',
      '**/.turbo/**',
      'schema/supergraph.graphql',
      'subgraphs/**/src/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // Libraries through their public entry points only: a file under a package's dist/ or src/
      // is an internal that may change in any release (e.g. @apollo/subgraph/dist/...). Ajv's
      // draft-2019/2020 classes are documented as `ajv/dist/2019` and `ajv/dist/2020`.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!ajv/dist/20(19|20)(\\.js)?$)(@[^/]+/)?[^@./][^/]*/(dist|src|lib|build)(/|$)',
              message: "Import a library's public exports, not its internals.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read loosely typed GraphQL responses.
    files: ['**/test/**/*.ts', 'tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Benchmarks and checks print their figures.
    files: ['tests/bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
