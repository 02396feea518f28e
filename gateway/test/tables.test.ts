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
import { fileName, listTables, MAX_LIST_ITEMS, rowsOf, tableVariables, TableError } from '../src/tables/handler.ts';

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

describe('list parameters: comma-separated items, each checked like a scalar', () => {
  const LIST =
    'query T($codes: [ID!], $statuses: [DossierStatus!], $year: Int, $first: Int!, $after: String) { allDossiers(first: $first, after: $after, filter: { measureCodes: $codes, statuses: $statuses, year: $year }) { pageInfo { hasNextPage endCursor } nodes { id } } }';
  const listSidecar = {
    description: 'd',
    rowPath: 'allDossiers.nodes[]',
    columns: [{ path: 'allDossiers.nodes[].id' }],
    parameters: { codes: 'c', statuses: 's', year: 'y' },
  };
  const { table, problems } = define(LIST, listSidecar);
  const refused = (query: string) => {
    try {
      tableVariables(table!, new URLSearchParams(query));
    } catch (err) {
      return err as TableError;
    }
    return null;
  };

  it('derives a list parameter with its item type and enum values', () => {
    expect(problems).toEqual([]);
    expect(table!.parameters.find((p) => p.name === 'codes')).toMatchObject({ type: 'string', list: true });
    const statuses = table!.parameters.find((p) => p.name === 'statuses')!;
    expect(statuses).toMatchObject({ list: true, required: false });
    expect(statuses.values).toContain('GRANTED');
    expect(table!.parameters.find((p) => p.name === 'year')!.list).toBeUndefined();
  });

  it('reads comma-separated items and the key repeated, into one list', () => {
    expect(tableVariables(table!, new URLSearchParams('codes=VOP,LDE&statuses=GRANTED'))).toEqual({
      codes: ['VOP', 'LDE'],
      statuses: ['GRANTED'],
    });
    expect(tableVariables(table!, new URLSearchParams('codes=VOP&codes=LDE,IBO&year=2020'))).toEqual({
      codes: ['VOP', 'LDE', 'IBO'],
      year: 2020,
    });
  });

  it('refuses a bad item naming the parameter and the item, and an empty item', () => {
    const bad = refused('statuses=GRANTED,GRANTD');
    expect(bad).toBeInstanceOf(TableError);
    expect(bad!.code).toBe('BAD_TABLE_PARAMETER');
    expect(bad!.message).toMatch(/statuses.*GRANTD/);
    expect(bad!.details).toEqual({ parameter: 'statuses', item: 'GRANTD' });
    const tooMany = Array.from({ length: MAX_LIST_ITEMS + 1 }, (_, i) => `M${i}`).join(',');
    expect(tableVariables(table!, new URLSearchParams(`codes=${tooMany.replace(/,M\d+$/, '')}`)).codes).toHaveLength(
      MAX_LIST_ITEMS,
    );
    for (const query of ['codes=VOP,,LDE', 'codes=VOP,', 'codes=', 'year=2020&year=2021', `codes=${tooMany}`])
      expect(refused(query)?.code, query).toBe('BAD_TABLE_PARAMETER');
  });

  it('lists a list parameter with "list": true and its items’ values; a scalar without it', () => {
    const listed = listTables(new Map([['t', table!]])).tables[0]!.parameters;
    expect(listed.find((p) => p.name === 'statuses')).toMatchObject({
      type: 'string',
      list: true,
      values: expect.arrayContaining(['GRANTED']),
    });
    expect(listed.find((p) => p.name === 'year')).not.toHaveProperty('list');
  });

  it('names the file with the items joined by +', () => {
    expect(fileName(table!, { codes: ['VOP', 'LDE'], year: 2020 }, 'csv')).toBe('t-VOP+LDE-2020.csv');
  });
});

describe('the all-dossiers table', () => {
  it('takes every filter of allDossiers as a parameter, the lists as lists, and the file is named by the year', () => {
    const table = loadTableCatalogue(DEFAULT_TABLES_DIR, apiSdl, []).get('all-dossiers')!;
    expect(table.connection).toEqual({ fields: ['allDossiers'] });
    expect(Object.fromEntries(table.parameters.map((p) => [p.name, p.list ?? false]))).toEqual({
      year: false,
      measureCodes: true,
      domains: true,
      statuses: true,
      receivedFrom: false,
      receivedTo: false,
      decidedFrom: false,
      decidedTo: false,
    });
    expect(table.columns.map((c) => c.name)).toEqual([
      'dossierType',
      'id',
      'measureCode',
      'kind',
      'channel',
      'status',
      'receivedAt',
      'completedAt',
      'applicantType',
      'applicantKboNumber',
    ]);
    expect(fileName(table, tableVariables(table, new URLSearchParams('year=2020')), 'csv')).toBe(
      'all-dossiers-2020.csv',
    );
  });
});
