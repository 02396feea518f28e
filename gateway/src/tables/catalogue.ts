import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphQLEnumType, GraphQLScalarType } from 'graphql';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  parse,
  print,
  typeFromAST,
  TypeInfo,
  validate,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * The named tables of GET /tables: one registered operation per file (`schema/tables/<name>.graphql`)
 * and its definition beside it (`<name>.json`: description, row path, columns, parameter
 * descriptions). Everything a client sees as a type (column types, parameter types, defaults,
 * which parameters are required) is derived from the API schema and the operation's variables, so a
 * table cannot drift from the schema: a column naming a field the operation does not select, or one
 * whose declared type contradicts the schema, stops the gateway at start (a configuration problem).
 */

export type ColumnType = 'string' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime';
export const COLUMN_TYPES: readonly ColumnType[] = ['string', 'integer', 'decimal', 'boolean', 'date', 'datetime'];

export interface TableColumn {
  /** Header of the column: the path below the row, dots for nested objects (`current.controls`). */
  name: string;
  type: ColumnType;
  description?: string;
  /** Which row-path level holds the value (0: the data root, 1: the first list's element ...). */
  level: number;
  /** Field names (response keys) from that level's element to the value. */
  fields: string[];
}

export interface TableParameter {
  name: string;
  type: ColumnType;
  /** Allowed values of an enum parameter (of each item, for a list). */
  values?: string[];
  /** A list variable: the query value is comma-separated items (or the key repeated), each checked as `type`. */
  list?: boolean;
  required: boolean;
  default?: unknown;
  description: string;
}

export interface TableDefinition {
  name: string;
  description: string;
  /** The operation as written in its file, sent to the gateway's own Apollo Server. */
  document: string;
  operationName: string;
  /** Row path as written, e.g. `measures[].volumes[]`. */
  rowPath: string;
  /** The fields (response keys) from one list level to the next: one entry per `[]` of the row path. */
  levels: string[][];
  columns: TableColumn[];
  parameters: TableParameter[];
  /**
   * Set when the row path's first list is the `nodes` of a connection: the gateway follows its
   * pages (variables `first` and `after`), and the table has no ETag.
   */
  connection: { fields: string[] } | null;
}

interface Sidecar {
  description?: unknown;
  rowPath?: unknown;
  columns?: unknown;
  parameters?: unknown;
}

const TABLE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** A scalar's column type: the schema's own scalars, and the project's Date/DateTime/Decimal. */
function scalarColumnType(type: GraphQLScalarType | GraphQLEnumType): ColumnType {
  if (isEnumType(type)) return 'string';
  switch (type.name) {
    case 'Int':
      return 'integer';
    // A share is a number rounded to its declared places (the Share scalar): a decimal column too.
    case 'Float':
    case 'Decimal':
    case 'Share':
      return 'decimal';
    case 'Boolean':
      return 'boolean';
    case 'Date':
      return 'date';
    case 'DateTime':
      return 'datetime';
    default:
      return 'string';
  }
}

/**
 * A column may be declared more precisely than its schema type only where the schema has no better
 * one: a String field carrying a decimal amount or an ISO day. Once the schema's own scalar says so
 * (Decimal, Date, DateTime), the declaration must agree with it.
 */
function refine(derived: ColumnType, declared: unknown, schemaType: string): ColumnType | string {
  if (declared === undefined) return derived;
  if (typeof declared !== 'string' || !COLUMN_TYPES.includes(declared as ColumnType))
    return `type must be one of ${COLUMN_TYPES.join(', ')}`;
  if (declared === derived) return derived;
  if ((schemaType === 'String' || schemaType === 'ID') && ['decimal', 'date', 'datetime'].includes(declared))
    return declared as ColumnType;
  return `declared ${declared} but the schema's ${schemaType} is ${derived}`;
}

/** Each field of the operation by its response-key path from the data root, with its type and description. */
function fieldTypes(schema: GraphQLSchema, document: DocumentNode) {
  const found = new Map<string, { type: GraphQLOutputType; description?: string; node: FieldNode }>();
  const typeInfo = new TypeInfo(schema);
  const stack: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          stack.push(node.alias?.value ?? node.name.value);
          const type = typeInfo.getType();
          const def = typeInfo.getFieldDef();
          if (type) found.set(stack.join('.'), { type, description: def?.description ?? undefined, node });
        },
        leave() {
          stack.pop();
        },
      },
    }),
  );
  return found;
}

/** `measure.dossiers.nodes[].payments[]` -> [['measure','dossiers','nodes'], ['payments']] (each ends a list). */
function splitListPath(value: string): { levels: string[][]; rest: string[] } | null {
  if (!/^[_A-Za-z][_0-9A-Za-z]*(\[\])?(\.[_A-Za-z][_0-9A-Za-z]*(\[\])?)*$/.test(value)) return null;
  const levels: string[][] = [];
  let current: string[] = [];
  for (const segment of value.split('.')) {
    current.push(segment.replace('[]', ''));
    if (segment.endsWith('[]')) {
      levels.push(current);
      current = [];
    }
  }
  return { levels, rest: current };
}

/**
 * A variable's parameter type: a scalar or an enum, or a list of them (a filter over several
 * measures or statuses), whose items are each checked as the scalar would be. Lists of lists and
 * input objects have no obvious spelling in a URL: the query builds those from scalars.
 */
function parameterType(
  type: ReturnType<typeof typeFromAST>,
): Omit<TableParameter, 'name' | 'description' | 'required'> | null {
  const outer = type && getNullableType(type);
  if (!outer) return null;
  const list = isListType(outer);
  const named = list ? getNullableType(outer.ofType as GraphQLInputType) : outer;
  const listed = list ? { list: true } : {};
  if (isListType(named) || isInputObjectType(named)) return null;
  if (isEnumType(named)) return { type: 'string', values: named.getValues().map((v) => v.name), ...listed };
  if (isScalarType(named)) return { type: named.name === 'ID' ? 'string' : scalarColumnType(named), ...listed };
  return null;
}

/**
 * Checks one table against the schema; returns the definition, or pushes every problem (prefixed
 * with the table's file) and returns null.
 */
export function defineTable(
  name: string,
  operationText: string,
  sidecar: Sidecar,
  schema: GraphQLSchema,
  problems: string[],
): TableDefinition | null {
  const before = problems.length;
  const problem = (message: string) => problems.push(`schema/tables/${name}: ${message}`);
  if (!TABLE_NAME.test(name)) problem('a table name is lower-case letters, digits and dashes');
  let document: DocumentNode;
  try {
    document = parse(operationText);
  } catch (err) {
    problem(`the operation does not parse: ${(err as Error).message}`);
    return null;
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (document.definitions.length !== 1 || operations.length !== 1 || operations[0]!.operation !== 'query') {
    problem('the .graphql file must hold exactly one query and nothing else');
    return null;
  }
  const operation = operations[0]!;
  if (!operation.name) problem('the query needs a name');
  for (const error of validate(schema, document)) problem(`the query does not validate: ${error.message}`);
  if (problems.length > before) return null;

  const description = sidecar.description;
  if (typeof description !== 'string' || description.trim() === '') problem('description is required');
  const fields = fieldTypes(schema, document);

  // Row path: every segment a field the operation selects; exactly the `[]` segments are lists.
  const rowPath = typeof sidecar.rowPath === 'string' ? splitListPath(sidecar.rowPath) : null;
  if (!rowPath || rowPath.levels.length === 0 || rowPath.rest.length > 0) {
    problem('rowPath must be a dotted path of selected fields ending in a list, e.g. measures[].volumes[]');
    return null;
  }
  const checkPath = (levels: string[][], rest: string[], what: string): GraphQLOutputType | null => {
    const keys: string[] = [];
    const all = [...levels.map((l) => ({ fields: l, list: true })), { fields: rest, list: false }];
    let type: GraphQLOutputType | null = null;
    for (const { fields: segment, list } of all) {
      for (const [i, key] of segment.entries()) {
        keys.push(key);
        const field = fields.get(keys.join('.'));
        if (!field) {
          problem(`${what}: the operation selects no ${keys.join('.')}`);
          return null;
        }
        type = field.type;
        const nullable = isNonNullType(type) ? type.ofType : type;
        const isList = isListType(nullable);
        if (isList !== (list && i === segment.length - 1)) {
          problem(`${what}: ${keys.join('.')} is ${isList ? 'a list: write []' : 'not a list'}`);
          return null;
        }
      }
    }
    return type;
  };
  if (!checkPath(rowPath.levels, [], 'rowPath')) return null;

  // A connection's nodes as the first list: pages are followed with the variables first and after.
  let connection: TableDefinition['connection'] = null;
  const firstLevel = rowPath.levels[0]!;
  if (firstLevel.length >= 2 && firstLevel.at(-1) === 'nodes') {
    const connectionKeys = firstLevel.slice(0, -1);
    const connectionField = fields.get(connectionKeys.join('.'));
    const hasPageInfo =
      connectionField &&
      'getFields' in getNamedType(connectionField.type) &&
      'pageInfo' in (getNamedType(connectionField.type) as { getFields(): Record<string, unknown> }).getFields();
    if (hasPageInfo) {
      connection = { fields: connectionKeys };
      const argument = (arg: string) => connectionField.node.arguments?.find((a) => a.name.value === arg)?.value;
      for (const arg of ['first', 'after']) {
        const value = argument(arg);
        if (value?.kind !== Kind.VARIABLE || value.name.value !== arg)
          problem(
            `the connection ${connectionKeys.join('.')} must take ${arg}: $${arg} (the gateway follows its pages)`,
          );
      }
      for (const key of ['pageInfo.hasNextPage', 'pageInfo.endCursor'])
        if (!fields.has([...connectionKeys, key].join('.')))
          problem(`the connection ${connectionKeys.join('.')} must select ${key}`);
      for (const level of rowPath.levels.slice(1))
        if (
          level.some((_, i) =>
            fields
              .get([...firstLevel, ...level.slice(0, i + 1)].join('.'))
              ?.node.arguments?.some((a) => a.name.value === 'after'),
          )
        )
          problem('only the first list of the row path may be a connection');
    }
  }

  // Columns: each a selected leaf at or above the row's level, typed from the schema.
  const columns: TableColumn[] = [];
  if (!Array.isArray(sidecar.columns) || sidecar.columns.length === 0) problem('columns must list at least one column');
  for (const [i, raw] of (Array.isArray(sidecar.columns) ? sidecar.columns : []).entries()) {
    const spec = raw as { path?: unknown; name?: unknown; type?: unknown };
    const what = `columns[${i}]`;
    const split = typeof spec.path === 'string' ? splitListPath(spec.path) : null;
    if (!split || split.rest.length === 0) {
      problem(`${what}: path must be a dotted path to a selected field, e.g. measures[].code`);
      continue;
    }
    const prefixOk = split.levels.every((level, l) => rowPath.levels[l]?.join('.') === level.join('.'));
    if (!prefixOk) {
      problem(`${what}: ${spec.path} is not on the row path ${sidecar.rowPath as string}`);
      continue;
    }
    const type = checkPath(split.levels, split.rest, what);
    if (!type) continue;
    const named = getNamedType(type);
    if (!isScalarType(named) && !isEnumType(named)) {
      problem(`${what}: ${spec.path} is an object (${named.name}): name one of its fields`);
      continue;
    }
    const columnType = refine(scalarColumnType(named), spec.type, named.name);
    if (!COLUMN_TYPES.includes(columnType as ColumnType)) {
      problem(`${what} (${spec.path}): ${columnType}`);
      continue;
    }
    const name = typeof spec.name === 'string' && spec.name !== '' ? spec.name : split.rest.join('.');
    if (columns.some((c) => c.name === name)) problem(`${what}: a second column named ${name} (give it a name)`);
    const key = [...split.levels.flat(), ...split.rest].join('.');
    columns.push({
      name,
      type: columnType as ColumnType,
      ...(fields.get(key)?.description ? { description: fields.get(key)!.description } : {}),
      level: split.levels.length,
      fields: split.rest,
    });
  }

  // Parameters: the operation's variables (first/after of a connection are the gateway's own).
  const descriptions = (sidecar.parameters ?? {}) as Record<string, unknown>;
  const parameters: TableParameter[] = [];
  for (const variable of operation.variableDefinitions ?? []) {
    const varName = variable.variable.name.value;
    if (connection && (varName === 'first' || varName === 'after')) continue;
    const typed = parameterType(typeFromAST(schema, variable.type as never));
    if (!typed) {
      problem(
        `$${varName}: a parameter must be a scalar, an enum or a list of them (build input objects in the query)`,
      );
      continue;
    }
    const text = descriptions[varName];
    if (typeof text !== 'string' || text.trim() === '') problem(`parameters.${varName}: a description is required`);
    const inputType = typeFromAST(schema, variable.type as never) as GraphQLInputType;
    const defaultValue = variable.defaultValue ? valueFromAST(variable.defaultValue, inputType) : undefined;
    parameters.push({
      name: varName,
      ...typed,
      required: variable.type.kind === Kind.NON_NULL_TYPE && defaultValue === undefined,
      ...(defaultValue !== undefined ? { default: defaultValue } : {}),
      description: typeof text === 'string' ? text : '',
    });
  }
  for (const key of Object.keys(descriptions))
    if (!parameters.some((p) => p.name === key)) problem(`parameters.${key}: the query has no such variable`);
  if (['bom', 'api_key'].some((reserved) => parameters.some((p) => p.name === reserved)))
    problem('bom and api_key are reserved query parameters');

  if (problems.length > before) return null;
  return {
    name,
    description: description as string,
    document: print(document),
    operationName: operation.name!.value,
    rowPath: sidecar.rowPath as string,
    levels: rowPath.levels,
    columns,
    parameters,
    connection,
  };
}

/** The folder of the committed tables, beside the supergraph. */
const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../schema');
export const DEFAULT_TABLES_DIR = path.join(schemaDir, 'tables');
export const DEFAULT_API_SCHEMA = path.join(schemaDir, 'api-schema.graphql');

/**
 * Reads every table of a folder and checks it against the API schema (the composed schema clients
 * see, `schema/api-schema.graphql`); problems are pushed, never thrown, so the configuration lists
 * them all.
 */
export function loadTableCatalogue(
  dir: string,
  apiSchemaSdl: string,
  problems: string[],
): Map<string, TableDefinition> {
  const tables = new Map<string, TableDefinition>();
  let files: string[];
  try {
    files = fs.readdirSync(dir);
  } catch {
    problems.push(`tables: cannot read the folder ${dir}`);
    return tables;
  }
  let schema: GraphQLSchema;
  if (apiSchemaSdl === '') return tables;
  try {
    schema = buildSchema(apiSchemaSdl);
  } catch (err) {
    problems.push(`tables: the API schema does not build: ${(err as Error).message}`);
    return tables;
  }
  const names = new Set(
    files.filter((f) => /\.(graphql|json)$/.test(f)).map((f) => f.replace(/\.(graphql|json)$/, '')),
  );
  for (const name of [...names].sort()) {
    const graphqlFile = path.join(dir, `${name}.graphql`);
    const jsonFile = path.join(dir, `${name}.json`);
    if (!fs.existsSync(graphqlFile) || !fs.existsSync(jsonFile)) {
      problems.push(`schema/tables/${name}: a table is a pair of files, ${name}.graphql and ${name}.json`);
      continue;
    }
    let sidecar: Sidecar;
    try {
      sidecar = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as Sidecar;
    } catch (err) {
      problems.push(`schema/tables/${name}.json: not JSON: ${(err as Error).message}`);
      continue;
    }
    const table = defineTable(name, fs.readFileSync(graphqlFile, 'utf8'), sidecar, schema, problems);
    if (table) tables.set(name, table);
  }
  return tables;
}
