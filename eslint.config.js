// @ts-check
import fs from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import graphqlPlugin from '@graphql-eslint/eslint-plugin';

/** The final SDL of each subgraph, written by `npm run compose` (no list here to keep up to date). */
const SUBGRAPH_SDL_FILES = fs
  .readdirSync(new URL('./schema/subgraphs/', import.meta.url))
  .filter((file) => file.endsWith('.graphql'))
  .map((file) => `schema/subgraphs/${file}`);

/**
 * One graphql-config project per generated subgraph SDL, whose schema is that file (built with
 * @apollo/subgraph's buildSubgraphSchema, so the federation directives are known), and a project
 * without a schema for the SDL sources: each is a fragment of a subgraph (the kit's files are shared
 * by four), so only rules that need no schema run on them. graphql-eslint keeps the first
 * graphql-config it loads for the whole run: one object for every block.
 */
const graphQLConfig = {
  projects: {
    ...Object.fromEntries(SUBGRAPH_SDL_FILES.map((file) => [file, { schema: file, include: file }])),
    sources: { schema: '' },
  },
};

/** The public schema's conventions, for rules that read one file at a time. */
const sdlRules = {
  // Every element a client sees says what it means: units, periods, what null means, the Dutch term.
  '@graphql-eslint/require-description': [
    'error',
    {
      types: true,
      FieldDefinition: true,
      InputValueDefinition: true,
      EnumValueDefinition: true,
      DirectiveDefinition: true,
      // A root operation type is a list of entry points; its fields carry the descriptions.
      ignoredSelectors: ['[type=ObjectTypeDefinition][name.value=/^(Query|Mutation|Subscription)$/]'],
    },
  ],
  '@graphql-eslint/naming-convention': [
    'error',
    {
      types: 'PascalCase',
      FieldDefinition: 'camelCase',
      InputValueDefinition: 'camelCase',
      EnumValueDefinition: 'UPPER_CASE',
      DirectiveDefinition: 'camelCase',
      // Federation's reserved names (_entities, _service) and the registry's internal fields for
      // the domain subgraphs (_knownParties, _resolveInsz, @inaccessible) start with an underscore.
      allowLeadingUnderscore: true,
    },
  ],
  '@graphql-eslint/require-deprecation-reason': 'error',
  '@graphql-eslint/no-hashtag-description': 'error',
  '@graphql-eslint/no-typename-prefix': 'error',
  '@graphql-eslint/unique-enum-value-names': 'error',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '.data/**',
      '**/.turbo/**',
      'schema/supergraph.graphql',
      // Generated resolver types (npm run codegen) are checked for staleness, not style.
      'subgraphs/**/src/generated/**',
      // The dashboard's typed operations (its npm run codegen), checked for staleness too.
      'examples/dashboard/src/gql/**',
      'examples/dashboard/dist/**',
    ],
  },
  {
    // JavaScript and TypeScript (and the dashboard's TSX) only: the SDL files have their own parser and rules (below).
    files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
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
  {
    // The SDL sources a team edits, and the final SDL of each subgraph (schema/subgraphs/*.graphql,
    // written by `npm run compose`): the parts generated in TypeScript (per-domain types from the
    // kit's template and list of domains) are only there.
    files: ['subgraphs/**/src/**/*.graphql', 'schema/subgraphs/*.graphql', '**/test/fixtures/**/*.graphql'],
    languageOptions: { parser: graphqlPlugin.parser, parserOptions: { graphQLConfig } },
    plugins: { '@graphql-eslint': graphqlPlugin },
    rules: sdlRules,
  },
  {
    // Rules that need the whole subgraph schema, on the files that hold one.
    files: ['schema/subgraphs/*.graphql'],
    rules: {
      '@graphql-eslint/no-unreachable-types': 'error',
      '@graphql-eslint/known-type-names': 'error',
      '@graphql-eslint/known-directives': 'error',
      '@graphql-eslint/unique-field-definition-names': 'error',
      '@graphql-eslint/unique-type-names': 'error',
      '@graphql-eslint/possible-type-extension': 'error',
      '@graphql-eslint/require-nullable-result-in-root': 'error',
    },
  },
);
