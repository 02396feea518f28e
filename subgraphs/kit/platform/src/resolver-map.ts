import type { GraphQLScalarType } from 'graphql';

/**
 * The resolvers of one subgraph as `buildSubgraphSchema` takes them, which is all the platform needs
 * to know: every subgraph types its own maps with the `Resolvers` type generated from its SDL
 * (`src/generated/resolvers.ts`, `npm run codegen`: fields, arguments, parents and results) and
 * hands the result over as this. @apollo/subgraph does not export its own type for this from its
 * public entry point.
 */
export type ResolverMap = Record<string, GraphQLScalarType | Record<string, unknown>>;

/**
 * Merges resolver maps type by type: several parts of a subgraph add fields to the same type
 * (Query, Person, a domain's measure type ...); a later map's field replaces an earlier one's. The
 * parts and the result have one type, the subgraph's generated `Resolvers`, so merging keeps them typed.
 */
export function mergeResolverMaps<R extends object>(...maps: R[]): R {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...(fields as object) };
  }
  return merged as R;
}
