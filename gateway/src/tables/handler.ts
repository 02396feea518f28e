import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { HttpError, sendJson } from '@measure-graph/subgraph-platform/http';
import { checkLimits, type QueryLimits } from '../limits.ts';
import { requestDeadline } from '../subgraph-fetcher.ts';
import type { TableDefinition, TableParameter } from './catalogue.ts';
import { CONTENT_TYPES, TABLE_FORMATS, tableWriter, type Cell, type TableFormat, type TableWriter } from './format.ts';

export const TABLES_PATH = '/tables';

/** Query parameters every table accepts besides its own. */
const RESERVED = new Set(['bom', 'api_key']);

export interface TablesOptions {
  catalogue: Map<string, TableDefinition>;
  /** Rows asked per page of a connection table (TABLES_PAGE_SIZE). */
  pageSize: number;
}

/** What the HTTP layer hands a table request: the caller as /graphql would see it. */
export interface TableRequestContext {
  requestId: string;
  /** Apollo's context for the caller (request id, verified authorization, subject, purpose). */
  contextValue: Record<string, unknown>;
  limits: QueryLimits;
  requestDeadlineMs?: number;
}

/** A refused table request: status, code, and what the client needs to fix it (e.g. the parameter). */
export class TableError extends HttpError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(status, code, message);
  }
}

export const sendTableError = (res: ServerResponse, err: HttpError): void =>
  sendJson(
    res,
    err.status,
    {
      errors: [
        { message: err.message, extensions: { code: err.code, ...(err instanceof TableError ? err.details : {}) } },
      ],
    },
    err.headers,
  );

/** The request's table and format, or a 404 naming what does not exist. */
export function resolveTable(
  pathname: string,
  catalogue: Map<string, TableDefinition>,
): { table: TableDefinition; format: TableFormat } | null {
  if (pathname === TABLES_PATH || pathname === `${TABLES_PATH}/`) return null;
  const match = /^\/tables\/([^/]+?)(?:\.([^./]+))?$/.exec(pathname);
  const table = match && catalogue.get(decodeURIComponent(match[1]!));
  if (!match || !table)
    throw new TableError(
      404,
      'TABLE_NOT_FOUND',
      `No table ${match ? match[1] : pathname}; GET ${TABLES_PATH} lists them`,
    );
  const format = match[2] as TableFormat | undefined;
  if (!format || !TABLE_FORMATS.includes(format))
    throw new TableError(
      404,
      'TABLE_FORMAT_NOT_FOUND',
      `No format "${format ?? ''}" for table ${table.name}: ask ${TABLE_FORMATS.map((f) => `${table.name}.${f}`).join(', ')}`,
      { formats: TABLE_FORMATS },
    );
  return { table, format };
}

/** GET /tables: every table with its formats, columns and parameters. */
export function listTables(catalogue: Map<string, TableDefinition>) {
  return {
    tables: [...catalogue.values()].map((t) => ({
      name: t.name,
      description: t.description,
      formats: Object.fromEntries(TABLE_FORMATS.map((f) => [f, `${TABLES_PATH}/${t.name}.${f}`])),
      // A paged table is streamed as it is read; only the others carry an ETag.
      paged: t.connection !== null,
      etag: t.connection === null,
      parameters: t.parameters.map(({ name, type, values, list, required, default: defaultValue, description }) => ({
        name,
        type,
        // A list parameter: comma-separated items (or the key repeated), each of this type and values.
        ...(list ? { list: true } : {}),
        ...(values ? { values } : {}),
        required,
        ...(defaultValue !== undefined ? { default: defaultValue } : {}),
        description,
      })),
      columns: t.columns.map(({ name, type, description }) => ({
        name,
        type,
        ...(description ? { description } : {}),
      })),
    })),
  };
}

/**
 * Items a list parameter may hold: far above any real filter (42 measures, 7 statuses), low enough
 * that a URL cannot make the gateway build and check an unbounded variable.
 */
export const MAX_LIST_ITEMS = 200;

const INT = /^-?\d{1,10}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One query-string value (one item of a list parameter) as its variable, or a BAD_TABLE_PARAMETER
 * naming the parameter (and, for a list, the item, so a connector's author sees which one is wrong).
 */
function parseParameter(parameter: TableParameter, raw: string): unknown {
  const bad = (expected: string) =>
    new TableError(
      400,
      'BAD_TABLE_PARAMETER',
      parameter.list
        ? `Each item of parameter ${parameter.name} must be ${expected}, got "${raw.slice(0, 100)}"`
        : `Parameter ${parameter.name} must be ${expected}, got "${raw.slice(0, 100)}"`,
      { parameter: parameter.name, ...(parameter.list ? { item: raw.slice(0, 100) } : {}) },
    );
  if (parameter.values) {
    if (!parameter.values.includes(raw)) throw bad(`one of ${parameter.values.join(', ')}`);
    return raw;
  }
  switch (parameter.type) {
    case 'integer': {
      const n = Number(raw);
      if (!INT.test(raw) || n > 2 ** 31 - 1 || n < -(2 ** 31)) throw bad('an integer');
      return n;
    }
    case 'decimal':
      if (!DECIMAL.test(raw)) throw bad('a decimal number (digits, a dot)');
      return Number(raw);
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw bad('true or false');
      return raw === 'true';
    case 'date':
      if (!DAY.test(raw) || Number.isNaN(Date.parse(raw))) throw bad('a day, YYYY-MM-DD');
      return raw;
    default:
      if (raw === '') throw bad('a non-empty value');
      return raw;
  }
}

/** The operation's variables from the query string; every unknown, repeated, missing or bad one refused. */
export function tableVariables(table: TableDefinition, search: URLSearchParams): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const key of new Set(search.keys())) {
    if (RESERVED.has(key)) continue;
    const parameter = table.parameters.find((p) => p.name === key);
    if (!parameter)
      throw new TableError(
        400,
        'BAD_TABLE_PARAMETER',
        `Unknown parameter ${key} for table ${table.name} (parameters: ${table.parameters.map((p) => p.name).join(', ') || 'none'})`,
        { parameter: key },
      );
    const values = search.getAll(key);
    if (parameter.list) {
      // `measureCodes=VOP,LDE` as a URL-only connector writes it, or the key repeated as a form
      // would; an empty item (`VOP,,LDE`, a trailing comma) is refused rather than dropped, as a
      // typo there would otherwise widen the table silently.
      const items = values.flatMap((v) => v.split(','));
      if (items.length > MAX_LIST_ITEMS)
        throw new TableError(
          400,
          'BAD_TABLE_PARAMETER',
          `Parameter ${key} has ${items.length} items; at most ${MAX_LIST_ITEMS}`,
          { parameter: key },
        );
      variables[key] = items.map((item) => parseParameter(parameter, item));
      continue;
    }
    if (values.length > 1)
      throw new TableError(400, 'BAD_TABLE_PARAMETER', `Parameter ${key} is given ${values.length} times`, {
        parameter: key,
      });
    variables[key] = parseParameter(parameter, values[0]!);
  }
  for (const parameter of table.parameters)
    if (parameter.required && !(parameter.name in variables))
      throw new TableError(
        400,
        'BAD_TABLE_PARAMETER',
        `Parameter ${parameter.name} is required: ${parameter.description}`,
        {
          parameter: parameter.name,
        },
      );
  return variables;
}

/** `norm-results-2020.csv`: the table's name and the given parameter values, safe for a file name. */
export function fileName(table: TableDefinition, variables: Record<string, unknown>, format: TableFormat): string {
  // A list's items joined by `+` (`all-dossiers-2020-VOP+LDE.csv`), readable and safe in a file name.
  const parts = table.parameters
    .filter((p) => p.name in variables)
    .map((p) =>
      Array.isArray(variables[p.name]) ? (variables[p.name] as unknown[]).join('+') : String(variables[p.name]),
    );
  return `${[table.name, ...parts].join('-').replace(/[^A-Za-z0-9_.+-]+/g, '_')}.${format}`;
}

// A GraphQL error's code as an HTTP status: the caller's fault first, then what was not found.
const STATUS_OF: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  SUBGRAPH_UNAVAILABLE: 503,
  SUBGRAPH_TIMEOUT: 504,
};
const PRIORITY = [401, 403, 400, 404];

type Page = Record<string, unknown>;

/** Runs the table's operation through the gateway's own Apollo Server, as /graphql would. */
async function executePage(
  apollo: ApolloServer<Partial<Record<string, unknown>>>,
  table: TableDefinition,
  variables: Record<string, unknown>,
  ctx: TableRequestContext,
): Promise<Page> {
  const execute = () =>
    apollo.executeOperation(
      { query: table.document, operationName: table.operationName, variables },
      { contextValue: ctx.contextValue },
    );
  const ms = ctx.requestDeadlineMs;
  const response = await (ms ? requestDeadline.run({ signal: AbortSignal.timeout(ms), ms }, execute) : execute());
  if (response.body.kind !== 'single')
    throw new TableError(500, 'INTERNAL_SERVER_ERROR', 'Unexpected incremental result');
  const { data, errors } = response.body.singleResult;
  // A table with a hole is a wrong table: any error fails it, partial data included.
  if (errors?.length || !data) {
    const coded = (errors ?? []).map((e) => {
      const code = String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
      return { code, status: STATUS_OF[code] ?? 502, message: e.message };
    });
    coded.sort((a, b) => rank(a.status) - rank(b.status));
    const first = coded[0] ?? { code: 'INTERNAL_SERVER_ERROR', status: 500, message: 'No data' };
    throw new TableError(first.status, first.code, first.message);
  }
  return data as Page;
}
const rank = (status: number) => (PRIORITY.includes(status) ? PRIORITY.indexOf(status) : PRIORITY.length);

function at(value: unknown, keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || current === undefined || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[key];
  }
  return current ?? null;
}

/** Every row of a result: one per element of the row path's innermost list, its parents' columns repeated. */
export function* rowsOf(table: TableDefinition, data: Page): Generator<Cell[]> {
  function* walk(stack: unknown[]): Generator<unknown[]> {
    const level = stack.length - 1;
    if (level === table.levels.length) {
      yield stack;
      return;
    }
    const list = at(stack[level], table.levels[level]!);
    if (!Array.isArray(list)) return;
    for (const item of list) yield* walk([...stack, item]);
  }
  for (const stack of walk([data])) {
    yield table.columns.map((column) => {
      const value = at(stack[column.level], column.fields);
      return typeof value === 'object' ? null : (value as Cell);
    });
  }
}

function render(
  writer: TableWriter,
  table: TableDefinition,
  data: Page,
  first: boolean,
): { text: string; rows: number } {
  let text = '';
  let rows = 0;
  for (const cells of rowsOf(table, data)) {
    text += writer.row(cells, first && rows === 0);
    rows++;
  }
  return { text, rows };
}

/** Writes a chunk, waiting for the socket to drain when its buffer is full (constant memory). */
async function write(res: ServerResponse, chunk: string): Promise<void> {
  if (chunk === '' || res.destroyed) return;
  if (res.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch !== undefined &&
  ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });

/**
 * GET /tables/<name>.<format>: the table's operation run for the caller, its rows written in the
 * format. A table whose rows come from a connection is read page after page (TABLES_PAGE_SIZE) and
 * each page written as it comes; any other table is small and sent whole, with a content ETag.
 */
export async function serveTable(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  found: { table: TableDefinition; format: TableFormat },
  apollo: ApolloServer<Partial<Record<string, unknown>>>,
  options: TablesOptions,
  ctx: TableRequestContext,
): Promise<void> {
  const { table, format } = found;
  const variables = tableVariables(table, url.searchParams);
  const bom = url.searchParams.get('bom') === '1' || url.searchParams.get('bom') === 'true';
  const writer = tableWriter(format, table.columns, bom && format === 'csv');
  const pageVariables = (after: string | null) =>
    table.connection ? { ...variables, first: options.pageSize, after } : variables;
  const violation = checkLimits(table.document, pageVariables(null), ctx.limits, table.operationName);
  if (violation) throw new TableError(400, violation.code, violation.message);

  const headers = {
    'content-type': CONTENT_TYPES[format],
    'content-disposition': `attachment; filename="${fileName(table, variables, format)}"`,
    // The answer depends on the caller's token: never shared by a cache, always revalidated.
    'cache-control': 'private, no-cache',
    vary: 'Authorization',
  };
  const firstPage = await executePage(apollo, table, pageVariables(null), ctx);

  if (!table.connection) {
    const body = writer.header() + render(writer, table, firstPage, true).text + writer.footer();
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    if (matches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, { etag, 'cache-control': headers['cache-control'], vary: headers.vary });
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, etag });
    res.end(body);
    return;
  }

  // Streamed: the header and the first page, then page after page until the connection ends.
  const cursorOf = (page: Page) => ({
    hasNextPage: at(page, [...table.connection!.fields, 'pageInfo', 'hasNextPage']) === true,
    endCursor: at(page, [...table.connection!.fields, 'pageInfo', 'endCursor']) as string | null,
  });
  res.writeHead(200, headers);
  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  let page = firstPage;
  let sentRows = 0;
  await write(res, writer.header());
  for (;;) {
    const { text, rows } = render(writer, table, page, sentRows === 0);
    await write(res, text);
    sentRows += rows;
    const { hasNextPage, endCursor } = cursorOf(page);
    if (!hasNextPage || closed) break;
    if (!endCursor) {
      abort(res, writer, 'INTERNAL_SERVER_ERROR', 'The connection gave a next page without a cursor');
      return;
    }
    try {
      page = await executePage(apollo, table, pageVariables(endCursor), ctx);
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      abort(res, writer, e.code, e.message);
      return;
    }
  }
  if (!closed) res.end(writer.footer());
}

/**
 * A failure after rows were sent: the status line is gone, so the stream ends with the format's
 * error marker and the connection is cut without the closing chunk: a connector sees an
 * incomplete transfer, never a shorter table taken for a whole one.
 */
function abort(res: ServerResponse, writer: TableWriter, code: string, message: string): void {
  res.write(writer.errorMarker(code, message), () => res.destroy());
}
