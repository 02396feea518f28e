import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { TokenVerifier } from '@measure-graph/auth';
import {
  HttpError,
  parseBody,
  readBody,
  sendHttpError as sendError,
  sendJson,
} from '@measure-graph/subgraph-platform/http';
import { extractTraceContext } from '@measure-graph/subgraph-platform/tracing';
import { context as traceContext } from '@opentelemetry/api';
import { SCOPES } from '@measure-graph/auth';
import { authenticateRequest, type ApiKeyAuthenticator, type Caller } from './api-keys.ts';
import { addVary, handleCors, type CorsConfig } from './cors.ts';
import { IDE_ASSET_PREFIX, ideAsset, ideHtml } from './ide.ts';
import { checkLimits, type QueryLimits } from './limits.ts';
import {
  parseDocumentId,
  resolveDocumentId,
  type PersistedDocument,
  type PersistedDocumentStore,
} from './persisted-documents.ts';
import { isIntrospectionOnly, isSafelisted } from './safelist.ts';
import { requestDeadline } from './subgraph-fetcher.ts';
import {
  listTables,
  resolveTable,
  sendTableError,
  serveTable,
  TABLES_PATH,
  type TablesOptions,
} from './tables/handler.ts';

export const GRAPHQL_PATH = '/graphql';

export interface HttpHandlerOptions {
  ide: boolean;
  maxBodyBytes: number;
  limits: QueryLimits;
  /** Readiness of the subgraphs and their databases, for GET /ready. */
  ready?: () => Promise<{
    ready: boolean;
    subgraphs: Record<string, string>;
    circuits?: Record<string, string>;
    /** The supergraph being served (live reload). */
    supergraph?: { hash: string; loadedAt: string };
  }>;
  /** Prometheus text for GET /metrics. */
  metrics?: () => Promise<string>;
  /** Called with the code of every request refused before GraphQL (limits, size, bad JSON). */
  onRefused?: (code: string, requestId: string) => void;
  /** Safelist mode: only these document hashes run. */
  safelist?: Set<string> | null;
  /** Verifies the Authorization header: null for an anonymous caller, AuthError for a refused token. */
  authenticate: TokenVerifier;
  /** Verifies API keys (Authorization: Bearer mgk_..., X-API-Key); null or unset: API keys are refused. */
  apiKeys?: ApiKeyAuthenticator | null;
  /** Every subgraph fetch of a request is cut once the request has run this long (no deadline if unset). */
  requestDeadlineMs?: number;
  /** Browser origins allowed (no CORS headers at all when unset). */
  cors?: CorsConfig;
  /** Documents run by documentId, and the manifest at /persisted-documents. */
  persistedDocuments?: { store: PersistedDocumentStore; maxAgeSeconds: number };
  /** Named tables over GET /tables (docs/bi.md); off when unset. */
  tables?: TablesOptions;
}

export const PERSISTED_DOCUMENTS_PATH = '/persisted-documents';

/** What the gateway knows of a request, for Apollo's context and the subgraph requests. */
export interface RequestContext {
  requestId: string;
  /** The verified Authorization header, forwarded as it is to the subgraphs (for an API key, the gateway's token for it). */
  authorization?: string;
  subject?: string;
  purpose?: string;
}

/** A caller's request id if it is a sane token, otherwise a new one: logged everywhere, never trusted further. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

/** Apollo's context of a request: its id and, for a verified caller, credential, subject and purpose. */
function contextOf(requestId: string, caller: Caller | null): Partial<RequestContext> {
  return {
    requestId,
    ...(caller
      ? { authorization: caller.authorization, subject: caller.principal.subject, purpose: caller.purpose }
      : {}),
  };
}

/**
 * Refuses, before any planning, a document over the configured limits (depth, aliases, tokens,
 * root fields, cost, size): HTTP 400 with the limit's code.
 */
function enforceLimits(
  body: unknown,
  search: URLSearchParams,
  limits: QueryLimits,
  safelist: Set<string> | null,
  caller: { persisted: boolean; scopes: ReadonlySet<string> },
): void {
  const fromBody = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  const query = fromBody ? fromBody.query : search.get('query');
  if (typeof query !== 'string') return;
  let variables: unknown = fromBody ? fromBody.variables : search.get('variables');
  if (typeof variables === 'string') {
    try {
      variables = JSON.parse(variables);
    } catch {
      variables = {};
    }
  }
  const operationName = (fromBody ? fromBody.operationName : search.get('operationName')) as string | null | undefined;
  // Persisted documents are registered by definition; introspection stays open to a caller allowed to use an IDE.
  if (
    safelist &&
    !caller.persisted &&
    !isSafelisted(query, safelist) &&
    !(caller.scopes.has(SCOPES.schemaIntrospect) && isIntrospectionOnly(query, operationName))
  ) {
    throw new HttpError(400, 'OPERATION_NOT_SAFELISTED', 'Only registered operations are accepted');
  }
  const violation = checkLimits(
    query,
    variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : {},
    limits,
    operationName,
  );
  if (violation) throw new HttpError(400, violation.code, violation.message);
}

/**
 * GraphQL over HTTP: a client that accepts only application/json (not
 * application/graphql-response+json) gets document parse, validation and variable errors with
 * status 200, the errors in the body; newer clients keep 400. (The gateway's own limits stay 400.)
 */
const legacyJsonClient = (req: IncomingMessage): boolean => {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('application/graphql-response+json');
};
const DOCUMENT_ERRORS = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);
function isDocumentError(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    return (
      parsed.data === undefined && (parsed.errors ?? []).some((e) => DOCUMENT_ERRORS.has(e.extensions?.code ?? ''))
    );
  } catch {
    return false;
  }
}

const wantsHtml = (req: IncomingMessage): boolean => (req.headers.accept ?? '').includes('text/html');

/**
 * GET /persisted-documents: the manifest (id, name, kind, source) of every document that runs by
 * id. GET /persisted-documents/<id>: its text, immutable (the id is the text's hash), so a client
 * or CDN keeps it forever.
 */
function servePersistedDocuments(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  store: PersistedDocumentStore,
) {
  if (req.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Only GET is served here', { allow: 'GET' });
  if (path === PERSISTED_DOCUMENTS_PATH || path === `${PERSISTED_DOCUMENTS_PATH}/`) {
    const list = store.list().map(({ id, name, kind, source }) => ({ id, name, kind, source }));
    return sendJson(res, 200, list, { 'cache-control': 'no-cache' });
  }
  let id: string | null = null;
  try {
    id = parseDocumentId(decodeURIComponent(path.slice(PERSISTED_DOCUMENTS_PATH.length + 1)));
  } catch {
    // A malformed escape is no id.
  }
  const document = id ? store.get(id) : undefined;
  if (!document) throw new HttpError(404, 'PERSISTED_DOCUMENT_NOT_FOUND', 'No persisted document has this id');
  const etag = `"${document.id}"`;
  const headers = { etag, 'cache-control': 'public, max-age=31536000, immutable' };
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
  res.end(document.text);
}

/** Whether a GraphQL response body carries errors (a partial or failed result is never shared by caches). */
function hasErrors(body: string): boolean {
  try {
    return (JSON.parse(body) as { errors?: unknown[] }).errors !== undefined;
  } catch {
    return true;
  }
}

/**
 * Node HTTP handler in front of Apollo Server: the GraphQL endpoint, and (when enabled) the
 * offline IDE and its assets. Apollo Server 5 ships no HTTP framework integration we need, and a
 * plain handler keeps room for the operational endpoints.
 */
export function createHttpHandler(apollo: ApolloServer<Partial<RequestContext>>, options: HttpHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    try {
      if (options.cors && handleCors(req, res, options.cors)) return;
      const url = new URL(req.url ?? '/', 'http://gateway');
      if (options.ide && req.method === 'GET' && url.pathname.startsWith(IDE_ASSET_PREFIX)) {
        const asset = ideAsset(url.pathname.slice(IDE_ASSET_PREFIX.length));
        if (!asset) throw new HttpError(404, 'NOT_FOUND', 'No such asset');
        res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'public, max-age=86400' });
        res.end(asset.body);
        return;
      }
      if (options.ide && req.method === 'GET' && url.pathname === '/' && wantsHtml(req)) {
        res.writeHead(302, { location: GRAPHQL_PATH });
        res.end();
        return;
      }
      // Liveness: the process answers. Readiness: every subgraph and its database answer.
      if (req.method === 'GET' && url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
      if (req.method === 'GET' && url.pathname === '/ready' && options.ready) {
        const { ready, ...states } = await options.ready();
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...states });
      }
      if (req.method === 'GET' && url.pathname === '/metrics' && options.metrics) {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(await options.metrics());
        return;
      }
      if (
        options.persistedDocuments &&
        (url.pathname === PERSISTED_DOCUMENTS_PATH || url.pathname.startsWith(`${PERSISTED_DOCUMENTS_PATH}/`))
      )
        return servePersistedDocuments(req, res, url.pathname, options.persistedDocuments.store);
      if (options.tables && (url.pathname === TABLES_PATH || url.pathname.startsWith(`${TABLES_PATH}/`))) {
        const tables = options.tables;
        try {
          if (req.method !== 'GET')
            throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Tables are read with GET', { allow: 'GET' });
          const found = resolveTable(url.pathname, tables.catalogue);
          if (!found) return sendJson(res, 200, listTables(tables.catalogue));
          // The same caller as on /graphql (a token or an API key, verified here and again by every
          // subgraph); a connector that can only hold a URL may put its key in `api_key` here only.
          const caller = await authenticateRequest(req, url, { token: options.authenticate, apiKeys: options.apiKeys });
          await traceContext.with(extractTraceContext(req.headers), () =>
            serveTable(req, res, url, found, apollo, tables, {
              requestId,
              contextValue: contextOf(requestId, caller),
              limits: options.limits,
              ...(options.requestDeadlineMs ? { requestDeadlineMs: options.requestDeadlineMs } : {}),
            }),
          );
        } catch (err) {
          if (!(err instanceof HttpError) || res.headersSent) throw err;
          options.onRefused?.(err.code, requestId);
          sendTableError(res, err);
        }
        return;
      }
      if (url.pathname !== GRAPHQL_PATH)
        throw new HttpError(404, 'NOT_FOUND', `Not found; GraphQL is at ${GRAPHQL_PATH}`);
      if (
        options.ide &&
        req.method === 'GET' &&
        wantsHtml(req) &&
        !url.searchParams.has('query') &&
        !url.searchParams.has('documentId')
      ) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(ideHtml());
        return;
      }
      const caller = await authenticateRequest(req, url, { token: options.authenticate, apiKeys: options.apiKeys });
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body =
        req.method === 'POST'
          ? parseBody(await readBody(req, options.maxBodyBytes), req.headers['content-type'])
          : undefined;
      let search = url.searchParams;
      let persisted: PersistedDocument | null = null;
      if (options.persistedDocuments) {
        const resolved = resolveDocumentId(body, search, options.persistedDocuments.store);
        if (resolved) ({ document: persisted, body, search } = resolved);
      }
      // Apollo's CSRF prevention refuses a GET without a header only a preflighted request can
      // carry. A GET of a persisted document needs none: it can only run a registered query (GET
      // never runs a mutation), so a forged cross-site one reads nothing the page could see.
      if (persisted && req.method === 'GET') headers.set('apollo-require-preflight', 'true');
      enforceLimits(body, search, options.limits, options.safelist ?? null, {
        persisted: persisted !== null,
        scopes: caller?.principal.scopes ?? new Set(),
      });
      // A caller's traceparent makes the gateway's spans part of the caller's trace; the deadline
      // scope bounds every subgraph fetch the request makes.
      const execute = () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: {
            method: req.method ?? 'GET',
            headers,
            search: search === url.searchParams ? url.search : `?${search.toString()}`,
            body,
          },
          context: async () => contextOf(requestId, caller),
        });
      const deadlineMs = options.requestDeadlineMs;
      const result = await traceContext.with(extractTraceContext(req.headers), () =>
        deadlineMs
          ? requestDeadline.run({ signal: AbortSignal.timeout(deadlineMs), ms: deadlineMs }, execute)
          : execute(),
      );
      for (const [key, value] of result.headers) {
        // Apollo's Vary (accept) joins the gateway's own (Origin), never replaces it.
        if (key === 'vary') addVary(res, ...value.split(',').map((v) => v.trim()));
        else res.setHeader(key, value);
      }
      res.statusCode = result.status ?? 200;
      if (persisted && req.method === 'GET') {
        // A registered query's anonymous answer is the same for everyone: shared caches may keep it
        // briefly. With a token or an API key the answer is the caller's own.
        const shared =
          !caller && res.statusCode === 200 && result.body.kind === 'complete' && !hasErrors(result.body.string);
        res.setHeader(
          'cache-control',
          shared ? `public, max-age=${options.persistedDocuments!.maxAgeSeconds}` : 'private, no-store',
        );
        addVary(res, 'Authorization');
      }
      if (result.body.kind === 'complete') {
        if (res.statusCode === 400 && legacyJsonClient(req) && isDocumentError(result.body.string))
          res.statusCode = 200;
        res.end(result.body.string);
        return;
      }
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (err) {
      // A stream already under way (a table) cannot change its status: the connection is cut instead.
      if (res.headersSent) res.destroy();
      else if (err instanceof HttpError) {
        options.onRefused?.(err.code, requestId);
        sendError(res, err);
      } else sendError(res, new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
    }
  };
}
