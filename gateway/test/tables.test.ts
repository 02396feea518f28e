import fs from 'node:fs';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_API_SCHEMA,
  DEFAULT_TABLES_DIR,
  defineTable,
  loadTableCatalogue,
  type TableDefinition,
} from '../src/tables/catalogue.ts';
import { csvField, tableWriter } from '../src/tables/format.ts';
import { fileName, rowsOf, tableVariables, TableError } from '../src/tables/handler.ts';

const apiSdl = fs.readFileSync(DEFAULT_API_SCHEMA, 'utf8');
const schema = buildSchema(apiSdl);

describe('the committed tables against schema/api-schema.graphql', () => {
  it('all load without a problem: no table has drifted from the schema', () => {
    const problems: string[] = [];
    const tables = loadTableCatalogue(DEFAULT_TABLES_DIR, apiSdl, problems);
    expect(problems).toEqual([]);
    const files = fs.readdirSync(DEFAULT_TABLES_DIR).filter((f) => f.endsWith('.graphql'));
    expect(tables.size).toBe(files.length);
    for (const table of tables.values()) expect(table.columns.length, table.name).toBeGreaterThan(0);
  });

  it('types columns from the schema: Int integer, Float decimal, Boolean boolean, enums string', () => {
    const tables = loadTableCatalogue(DEFAULT_TABLES_DIR, apiSdl, []);
    const types = (name: string) => Object.fromEntries(tables.get(name)!.columns.map((c) => [c.name, c.type]));
    expect(types('norm-results')).toMatchObject({ counted: 'integer', result: 'decimal', met: 'boolean' });
    expect(types('card-volumes')).toMatchObject({ unit: 'string', value: 'decimal', 'measure.code': 'string' });
    expect(tables.get('dossiers')!.connection).toEqual({ fields: ['measure', 'dossiers'] });
    expect(tables.get('norm-results')!.connection).toBeNull();
  });
});

const define = (operation: string, sidecar: Record<string, unknown>) => {
  const problems: string[] = [];
  const table = defineTable('t', operation, sidecar, schema, problems);
  return { table, problems };
};
const VOLUMES = 'query T($year: Int!) { measures { code volumes(year: $year) { label value } } }';
const volumesSidecar = {
  description: 'd',
  rowPath: 'measures[].volumes[]',
  columns: [{ path: 'measures[].code' }, { path: 'measures[].volumes[].value' }],
  parameters: { year: 'y' },
};

describe('a table that does not fit the schema is refused at start, with every problem', () => {
  it('accepts the well-formed one', () => {
    expect(define(VOLUMES, volumesSidecar).problems).toEqual([]);
  });

  it.each([
    ['a column the operation does not select', { columns: [{ path: 'measures[].volumes[].metric' }] }, /selects no/],
    ['a list without []', { rowPath: 'measures.volumes[]' }, /is a list: write \[\]/],
    [
      'a declared type the schema contradicts',
      { columns: [{ path: 'measures[].volumes[].value', type: 'integer' }] },
      /declared integer/,
    ],
    ['an object as a column', { columns: [{ path: 'measures[].volumes[]' }] }, /path must be/],
    ['a column off the row path', { rowPath: 'measures[]' }, /not on the row path/],
    ['a parameter without description', { parameters: {} }, /parameters.year: a description is required/],
    ['a description of no variable', { parameters: { year: 'y', yaer: 'typo' } }, /no such variable/],
  ])('%s', (_, change, message) => {
    const { table, problems } = define(VOLUMES, { ...volumesSidecar, ...change });
    expect(table).toBeNull();
    expect(problems.join('\n')).toMatch(message);
  });

  it('refuses a file with two operations, and an operation that does not validate', () => {
    expect(define(`${VOLUMES} query U { provinces { code } }`, volumesSidecar).problems.join()).toMatch(
      /exactly one query/,
    );
    expect(define('query T { measures { nope } }', volumesSidecar).problems.join()).toMatch(/does not validate/);
  });

  it('refuses a connection table whose pages the gateway could not follow', () => {
    const { problems } = define(
      'query T($code: ID!) { measure(code: $code) { dossiers(first: 10) { pageInfo { hasNextPage } nodes { id } } } }',
      {
        description: 'd',
        rowPath: 'measure.dossiers.nodes[]',
        columns: [{ path: 'measure.dossiers.nodes[].id' }],
        parameters: { code: 'c' },
      },
    );
    expect(problems.join('\n')).toMatch(/must take first: \$first/);
    expect(problems.join('\n')).toMatch(/must take after: \$after/);
    expect(problems.join('\n')).toMatch(/must select pageInfo.endCursor/);
  });
});

describe('rows, cells and parameters', () => {
  const table = define(VOLUMES, volumesSidecar).table as TableDefinition;

  it('repeats the parent’s columns on every row of a child list, and skips a null list', () => {
    const data = {
      measures: [
        { code: 'A', volumes: [{ value: 1 }, { value: 2.5 }] },
        { code: 'B', volumes: null },
        { code: 'C', volumes: [{ value: null }] },
      ],
    };
    expect([...rowsOf(table, data)]).toEqual([
      ['A', 1],
      ['A', 2.5],
      ['C', null],
    ]);
  });

  it('writes RFC 4180 CSV: quotes doubled, fields with comma, quote or line break quoted, CRLF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    const writer = tableWriter('csv', table.columns, true);
    expect(writer.header()).toBe('\uFEFFcode,value\r\n');
    expect(writer.row(['x', 3], true)).toBe('x,3\r\n');
  });

  it('writes decimal strings as JSON numbers with their own digits', () => {
    const columns = [{ name: 'amount', type: 'decimal' as const, level: 1, fields: ['amount'] }];
    expect(tableWriter('jsonl', columns, false).row(['1234.50'], true)).toBe('{"amount":1234.50}\n');
    expect(tableWriter('json', columns, false).row([null], false)).toBe(',\n{"amount":null}');
  });

  it('parses parameters by their type and names the bad one', () => {
    expect(tableVariables(table, new URLSearchParams('year=2020&bom=1'))).toEqual({ year: 2020 });
    for (const query of ['year=2020.5', 'year=', 'year=99999999999', '', 'yr=2020']) {
      let error: unknown;
      try {
        tableVariables(table, new URLSearchParams(query));
      } catch (err) {
        error = err;
      }
      expect(error, query).toBeInstanceOf(TableError);
      expect((error as TableError).code).toBe('BAD_TABLE_PARAMETER');
    }
    expect(fileName(table, { year: 2020 }, 'csv')).toBe('t-2020.csv');
  });
});
