import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { intVar } from '@measure-graph/db';
import {
  Kind,
  parse,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { HttpError, parseBody, readBody, sendHttpError } from './http.ts';
import { describeError, type Logger } from './log.ts';

/**
 * The HTTP face of a subgraph: a plain node:http handler in front of Apollo Server (no express, no
 * CORS, no HTML error pages). Only the gateway calls it: every request must carry the gateway's
 * credential, checked before the body is read; then the body, the document and the `_entities`
 * batch are bounded before anything executes.
 */

/** Limits of a request to a subgraph (400/413 above them); generous, since the gateway's own come first. */
export interface SubgraphHttpLimits {
  /** Largest request body in bytes: entity batches are large, so above the gateway's MAX_BODY_BYTES. */
  maxBodyBytes: number;
  /** Largest number of lexical tokens of the document (the gateway's plans are bigger than clients' documents). */
  maxTokens: number;
  /** Deepest nesting of fields, fragments expanded; keep above the gateway's MAX_DEPTH (`_entities` adds one). */
  maxDepth: number;
  /**
   * Most `_entities` representations in one request, summed over the document. The gateway sends
   * one per entity of a plan step, without deduplication: 42 measures x 1,000 dossiers' applicants
   * pass its cost limit, so this stays above such batches.
   */
  maxRepresentations: number;
}

export const DEFAULT_SUBGRAPH_LIMITS: SubgraphHttpLimits = {
  maxBodyBytes: 5_000_000,
  maxTokens: 100_000,
  maxDepth: 30,
  maxRepresentations: 50_000,
};

/** Reads SUBGRAPH_MAX_BODY_BYTES, SUBGRAPH_MAX_TOKENS, SUBGRAPH_MAX_DEPTH and SUBGRAPH_MAX_REPRESENTATIONS. */
export function readSubgraphLimits(env: NodeJS.ProcessEnv, problems: string[]): SubgraphHttpLimits {
  const d = DEFAULT_SUBGRAPH_LIMITS;
  return {
    maxBodyBytes: intVar(env, 'SUBGRAPH_MAX_BODY_BYTES', d.maxBodyBytes, problems, { min: 1024 }),
    maxTokens: intVar(env, 'SUBGRAPH_MAX_TOKENS', d.maxTokens, problems, { min: 100 }),
    maxDepth: intVar(env, 'SUBGRAPH_MAX_DEPTH', d.maxDepth, problems, { min: 2, max: 1000 }),
    maxRepresentations: intVar(env, 'SUBGRAPH_MAX_REPRESENTATIONS', d.maxRepresentations, problems, { min: 1 }),
  };
}

/** Paths GraphQL is served on: `/graphql` (the composed supergraph's URLs) and `/` (earlier stack URLs). */
export const SUBGRAPH_PATHS: ReadonlySet<string> = new Set(['/graphql', '/']);

/**
 * Deepest field nesting of the document, counted up to `cap` (anything deeper reports `cap`).
 * Each fragment's depth is computed once, so the cost is linear in the document whatever its
 * spreads; a fragment that spreads itself (invalid GraphQL) counts as `cap`.
 */
export function documentDepth(document: DocumentNode, cap: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const known = new Map<string, number>();
  const visiting = new Set<string>();
  const fragmentDepth = (name: string): number => {
    const cached = known.get(name);
    if (cached !== undefined) return cached;
    const fragment = fragments.get(name);
    if (!fragment) return 0; // An unknown fragment is a validation error; GraphQL reports it.
    if (visiting.has(name)) return cap;
    visiting.add(name);
    const depth = selectionDepth(fragment.selectionSet);
    visiting.delete(name);
    known.set(name, depth);
    return depth;
  };
  const selectionDepth = (set: SelectionSetNode): number => {
    let deepest = 0;
    for (const s of set.selections) {
      const depth =
        s.kind === Kind.FIELD
          ? 1 + (s.selectionSet ? selectionDepth(s.selectionSet) : 0)
          : s.kind === Kind.INLINE_FRAGMENT
            ? selectionDepth(s.selectionSet)
            : fragmentDepth(s.name.value);
      if (depth >= cap) return cap;
      deepest = Math.max(deepest, depth);
    }
    return deepest;
  };
  let deepest = 0;
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) deepest = Math.max(deepest, selectionDepth(d.selectionSet));
  }
  return Math.min(deepest, cap);
}

/** Representations asked for by every `_entities` field of the document (a variable or a literal list). */
export function countRepresentations(document: DocumentNode, variables: Record<string, unknown>): number {
  const sizeOf = (value: ValueNode): number => {
    if (value.kind === Kind.LIST) return value.values.length;
    if (value.kind === Kind.VARIABLE) {
      const given = variables[value.name.value];
      return Array.isArray(given) ? given.length : given == null ? 0 : 1;
    }
    return value.kind === Kind.NULL ? 0 : 1;
  };
  let count = 0;
  visit(document, {
    Field(field) {
      if (field.name.value !== '_entities') return;
      const arg = field.arguments?.find((a) => a.name.value === 'representations');
      if (arg) count += sizeOf(arg.value);
    },
  });
  return count;
}

/**
 * Refuses, before execution, a document over the token or depth limit or an `_entities` batch over
 * the representation limit. Syntax errors are left to GraphQL (GRAPHQL_PARSE_FAILED).
 */
export function checkSubgraphRequest(
  body: Record<string, unknown>,
  limits: Pick<SubgraphHttpLimits, 'maxTokens' | 'maxDepth' | 'maxRepresentations'>,
): HttpError | null {
  if (typeof body.query !== 'string') return null;
  let document: DocumentNode;
  let depth: number;
  try {
    document = parse(body.query, { maxTokens: limits.maxTokens, noLocation: true });
    depth = documentDepth(document, limits.maxDepth + 1);
  } catch (err) {
    if (err instanceof RangeError) {
      // Nesting deep enough to exhaust the parser's stack.
      return new HttpError(400, 'QUERY_TOO_DEEP', `The document is nested deeper than ${limits.maxDepth} levels`);
    }
    if (/\d+ tokens\. Parsing aborted/i.test((err as Error).message)) {
      return new HttpError(400, 'TOO_MANY_TOKENS', `The document has more than ${limits.maxTokens} tokens`);
    }
    return null;
  }
  if (depth > limits.maxDepth) {
    return new HttpError(400, 'QUERY_TOO_DEEP', `The document is nested deeper than ${limits.maxDepth} levels`);
  }
  const variables =
    body.variables && typeof body.variables === 'object' && !Array.isArray(body.variables)
      ? (body.variables as Record<string, unknown>)
      : {};
  const representations = countRepresentations(document, variables);
  if (representations > limits.maxRepresentations) {
    return new HttpError(
      400,
      'TOO_MANY_REPRESENTATIONS',
      `The request asks for ${representations} entities; at most ${limits.maxRepresentations} are answered at once`,
    );
  }
  return null;
}

export interface SubgraphHttpOptions<C extends BaseContext> {
  limits: SubgraphHttpLimits;
  /** The gateway credential check (credential.ts); null only for a development subgraph run alone without one. */
  checkCredential: ((headers: IncomingMessage['headers']) => HttpError | null) | null;
  /** Apollo's context of one request (request id, verified token, loaders). */
  context: (req: IncomingMessage) => Promise<C>;
  logger: Logger;
}

const isJson = (contentType: string | undefined): boolean =>
  /^application\/(graphql-response\+)?json\b/i.test(contentType?.trim() ?? '');

/** The node:http request listener of a subgraph (see the module comment for what it refuses, and how). */
export function createSubgraphHttpHandler<C extends BaseContext>(
  apollo: ApolloServer<C>,
  options: SubgraphHttpOptions<C>,
): RequestListener {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refused = options.checkCredential?.(req.headers);
    // The body of a refused request is never read: the connection closes after the answer.
    if (refused) throw new HttpError(refused.status, refused.code, refused.message, { connection: 'close' });
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (!SUBGRAPH_PATHS.has(url.pathname)) throw new HttpError(404, 'NOT_FOUND', 'Not found; GraphQL is at /graphql');
    if (req.method !== 'POST') {
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Only POST is accepted', { allow: 'POST', connection: 'close' });
    }
    if (!isJson(req.headers['content-type'])) {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The body must be application/json', { connection: 'close' });
    }
    const body = parseBody(await readBody(req, options.limits.maxBodyBytes), req.headers['content-type']);
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError(400, 'BAD_REQUEST', 'The body must be a JSON object with a query');
    }
    const violation = checkSubgraphRequest(body as Record<string, unknown>, options.limits);
    if (violation) throw violation;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: url.search, body },
      context: () => options.context(req),
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  };
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) {
        // A 413 leaves the rest of the body unread: close rather than drain it.
        if (err.status === 413) err.headers.connection = 'close';
        sendHttpError(res, err);
        return;
      }
      // A client that went away mid-body is not worth a stack trace.
      if (req.destroyed || (err as NodeJS.ErrnoException).code === 'ECONNRESET') return;
      options.logger.error('unexpected error', describeError(err));
      sendHttpError(res, new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
    });
  };
}
