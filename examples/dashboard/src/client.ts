import { useEffect, useState } from 'react';
import type { TypedDocumentString } from './gql/graphql.ts';

/** What the app reads from config.json at start, so one build serves any environment. */
export interface AppConfig {
  /** The gateway's GraphQL endpoint, e.g. https://graph.example/graphql. */
  graphqlUrl: string;
}

/** Who calls: the access token and, for unmasked national numbers, the purpose of the request. */
export interface Credentials {
  token: string;
  purpose: string;
}

/** One GraphQL error as the gateway sends it. */
export interface GraphQLErrorShape {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; scope?: string; [key: string]: unknown };
}

export interface QueryResult<T> {
  /** Null when the request failed as a whole; partial data comes with errors at their paths. */
  data: T | null;
  errors: GraphQLErrorShape[];
}

/**
 * Whether this build sends each operation's full text instead of its documentId: only for
 * development against a gateway without the dashboard's persisted documents. A gateway that runs
 * persisted documents only (production) refuses such requests, as it should.
 */
export const SEND_QUERY_TEXT = import.meta.env.VITE_SEND_QUERY_TEXT === 'true';

export async function loadConfig(url = `${import.meta.env.BASE_URL}config.json`): Promise<AppConfig> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`Could not load ${url}: HTTP ${res.status}`);
  const config = (await res.json()) as Partial<AppConfig>;
  if (typeof config.graphqlUrl !== 'string' || !/^https?:\/\//.test(config.graphqlUrl))
    throw new Error(`${url} must give "graphqlUrl", the gateway's absolute http(s) URL`);
  return { graphqlUrl: config.graphqlUrl };
}

function operationName(document: { toString(): string }): string {
  const match = /\b(?:query|mutation)\s+(\w+)/.exec(document.toString());
  if (!match?.[1]) throw new Error('Every operation of the dashboard must be named');
  return match[1];
}

/** The request body: `documentId` (sha256 of the persisted document) unless built to send text. */
export function requestBody<V>(document: TypedDocumentString<unknown, V>, variables: V): Record<string, unknown> {
  const name = operationName(document);
  if (SEND_QUERY_TEXT) return { query: document.toString(), variables, operationName: name };
  const hash: unknown = document.__meta__?.['hash'];
  if (typeof hash !== 'string')
    throw new Error(`${name} has no persisted-document hash: run \`npm run codegen -w examples/dashboard\``);
  return { documentId: `sha256:${hash}`, variables, operationName: name };
}

/**
 * Runs one operation against the gateway. Resolves with the data and the errors (a protected field
 * without the scope is null with FORBIDDEN at its path while the rest is served); rejects only when
 * the gateway could not be reached or did not answer GraphQL.
 */
export async function execute<R, V>(
  config: AppConfig,
  document: TypedDocumentString<R, V>,
  variables: V,
  credentials: Credentials,
  signal?: AbortSignal,
): Promise<QueryResult<R>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  const token = credentials.token.trim();
  if (token) headers['authorization'] = `Bearer ${token}`;
  // Sent only when filled in: the gateway asks for a purpose only with person:identify.
  const purpose = credentials.purpose.trim();
  if (purpose) headers['x-purpose'] = purpose;
  let res: Response;
  try {
    res = await fetch(config.graphqlUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify(requestBody(document, variables)),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    // A CORS refusal looks like this too: the browser hides the answer from the page.
    throw new Error(
      `Could not reach ${config.graphqlUrl} (${(err as Error).message}); is the gateway running and this origin allowed (CORS_ORIGINS)?`,
    );
  }
  let body: { data?: R | null; errors?: GraphQLErrorShape[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new Error(`The gateway answered HTTP ${res.status} without a GraphQL response`);
  }
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

export type QueryState<R> =
  { status: 'loading' } | { status: 'failed'; message: string } | ({ status: 'done' } & QueryResult<R>);

/** Runs an operation whenever `key` changes (variables and credentials), dropping stale answers. */
export function useQuery<R, V>(
  config: AppConfig,
  document: TypedDocumentString<R, V>,
  variables: V | null,
  credentials: Credentials,
): QueryState<R> {
  const [state, setState] = useState<QueryState<R>>({ status: 'loading' });
  const key = JSON.stringify([variables, credentials]);
  useEffect(() => {
    if (variables === null) return;
    const controller = new AbortController();
    setState({ status: 'loading' });
    execute(config, document, variables, credentials, controller.signal).then(
      (result) => {
        if (!controller.signal.aborted) setState({ status: 'done', ...result });
      },
      (err: Error) => {
        if (!controller.signal.aborted) setState({ status: 'failed', message: err.message });
      },
    );
    return () => controller.abort();
    // `key` stands for variables and credentials, compared by value rather than identity.
  }, [config, document, key]);
  return state;
}
