import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type SelectionSetNode,
} from 'graphql';

/** Codes of a subgraph fetch that failed as a whole (subgraph-fetcher.ts): down, timed out, breaker open. */
const FETCH_FAILURES = new Set(['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_TIMEOUT']);

/** At most this many errors for one failed fetch once its paths are expanded over a list. */
const MAX_EXPANDED_ERRORS = 1000;

/** Response keys selected at the top of a selection set (through fragments), per type condition ('' = none). */
function topLevelKeys(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  condition = '',
  into = new Map<string, Set<string>>(),
): Map<string, Set<string>> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === '__typename') continue;
      if (!into.has(condition)) into.set(condition, new Set());
      into.get(condition)!.add(selection.alias?.value ?? selection.name.value);
    } else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      if (fragment)
        topLevelKeys(fragment.selectionSet, fragments, fragment.typeCondition?.name.value ?? condition, into);
    }
  }
  return into;
}

/**
 * The fields a subgraph operation was to supply, relative to where the gateway merges its result:
 * the root fields of a root fetch; for an `_entities` fetch, the fields asked of the types of its
 * representations (a fetch may ask other fields of other types that happen to be absent).
 */
export function fetchedFields(document: DocumentNode, variables?: Record<string, unknown>): string[] {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return [];
  const entities = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
  if (entities?.kind !== Kind.FIELD || !entities.selectionSet) {
    return [...(topLevelKeys(operation.selectionSet, fragments).get('') ?? [])];
  }
  const byType = topLevelKeys(entities.selectionSet, fragments);
  const representations = Array.isArray(variables?.representations) ? variables.representations : [];
  const types = new Set(['', ...representations.map((r: { __typename?: string }) => r.__typename ?? '')]);
  return [...new Set([...types].flatMap((type) => [...(byType.get(type) ?? [])]))];
}

/**
 * A data source whose failed fetches answer one error per field the fetch was to supply instead of
 * throwing, so that each error gets a path: the gateway prefixes the fetch's place in the response
 * (e.g. `['measures', '@', 'normResults']`; `@` stands for every element of the list, which
 * `expandFetchFailurePaths` turns into indexes). Errors are not given `_entities` indexes: the
 * gateway maps those onto every entity under the path, not onto the ones the fetch was for.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bound of RemoteGraphQLDataSource itself
export class PartialDataSource<TContext extends Record<string, any>> extends RemoteGraphQLDataSource<TContext> {
  override async process(options: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (err) {
      // By code rather than instanceof: @apollo/gateway loads its own copy of graphql (CommonJS).
      const { message, extensions } = err as { message: string; extensions?: Record<string, unknown> };
      if (!FETCH_FAILURES.has(String(extensions?.code))) throw err;
      const document = ('document' in options && options.document) || parse(options.request.query ?? '');
      const fields = fetchedFields(document, options.request.variables);
      if (fields.length === 0) throw err;
      return { errors: fields.map((field) => ({ message, extensions, path: [field] })) };
    }
  }
}

/** Every concrete path matching `path` (where `@` is any index of a list) whose value is null. */
function nullPaths(data: unknown, path: ReadonlyArray<string | number>): Array<Array<string | number>> {
  const found: Array<Array<string | number>> = [];
  const walk = (value: unknown, rest: ReadonlyArray<string | number>, at: Array<string | number>) => {
    if (found.length >= MAX_EXPANDED_ERRORS) return;
    if (rest.length === 0) {
      if (value === null) found.push(at);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const [head, ...tail] = rest;
    if (head === '@') {
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, tail, [...at, i]));
    } else if (Array.isArray(value)) {
      // The list itself in place of one of its elements' fields: every element.
      value.forEach((item, i) => walk(item, rest, [...at, i]));
    } else if (head !== undefined && head in value) {
      walk((value as Record<string, unknown>)[head], tail, [...at, head]);
    }
  };
  walk(data, path, []);
  return found;
}

/**
 * Gives the errors of failed fetches concrete paths: one error at each null field of the response
 * the fetch was to supply (`['measures', 3, 'normResults']`). When no such field is null (a parent
 * was nulled), the error keeps the part of its path before the first list.
 */
export function expandFetchFailurePaths(
  data: Record<string, unknown> | null | undefined,
  errors: readonly GraphQLFormattedError[],
): GraphQLFormattedError[] {
  return errors.flatMap((error) => {
    if (!FETCH_FAILURES.has(String(error.extensions?.code)) || !error.path?.includes('@')) return [error];
    const concrete = nullPaths(data, error.path);
    if (concrete.length > 0) return concrete.map((path) => ({ ...error, path }));
    return [{ ...error, path: error.path.slice(0, error.path.indexOf('@')) }];
  });
}

/** The plugin that applies `expandFetchFailurePaths` to every response. */
export function fetchFailurePaths(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const result = response.body.singleResult;
          result.errors = expandFetchFailurePaths(result.data, result.errors!);
        },
      };
    },
  };
}
