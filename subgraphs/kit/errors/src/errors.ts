import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Error codes a client can act on; they travel in `extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  | 'INTERNAL_SERVER_ERROR'
  | 'REGISTRY_UNAVAILABLE'
  // A cross-domain list (allDossiers) whose domain did not answer: it cannot be complete.
  | 'SUBGRAPH_UNAVAILABLE';

/** Codes that are safe to show as they are; anything else is masked. */
const CLIENT_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  // Produced by graphql-js / Apollo Server for bad documents and variables.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  // The gateway's limits on a document (docs/operations.md, "Query limits").
  'DOCUMENT_TOO_LARGE',
  'TOO_MANY_TOKENS',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_ROOT_FIELDS',
  'QUERY_TOO_COSTLY',
  'OPERATION_NOT_SAFELISTED',
  // The gateway's own: a domain service that did not answer (its address is never shown).
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
  // The identity provider's key set could not be fetched (no client can fix it, but it is no bug).
  'AUTH_UNAVAILABLE',
  // A domain command could not check its parties in the registry: nothing was written, retry later.
  'REGISTRY_UNAVAILABLE',
]);

/** An expected failure with a code and optional details safe for clients. */
export class DomainError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { ...details, code } });
    this.name = 'DomainError';
  }
}

/** NOT_FOUND naming the argument and value looked up (never under `code`, which is the error code). */
export const notFound = (what: string, field: string, value: string): DomainError =>
  new DomainError('NOT_FOUND', `${what} with ${field} "${value}" does not exist`, { field, value });

export const badInput = (message: string, field?: string): DomainError =>
  new DomainError('BAD_USER_INPUT', message, field ? { field } : {});

/** Whether an error carries a code that is shown to clients as it is (not a bug or an outage). */
export const isClientError = (err: { extensions?: Record<string, unknown> }): boolean =>
  typeof err.extensions?.code === 'string' && CLIENT_CODES.has(err.extensions.code);

/**
 * Keeps coded client errors and replaces everything else (driver errors, bugs) by a generic
 * INTERNAL_SERVER_ERROR, so SQL, stack traces and hostnames never reach a client. The original is
 * handed to `log` so operators still see it.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  original: unknown,
  log: (err: unknown) => void,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    // `response` is what @apollo/gateway attaches to a subgraph's non-2xx answer (its URL and body).
    const { stacktrace: _omit, response: _internal, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  log(original);
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
