import type { GraphQLFieldResolver, GraphQLScalarType } from 'graphql';

/**
 * The resolvers of one subgraph, per type: what `buildSubgraphSchema` accepts as `resolvers`.
 * @apollo/subgraph does not export its own type for this from its public entry point, so the kit
 * defines it once (structurally the same) and every subgraph uses this one.
 */
export interface ResolverMap<TContext = unknown> {
  [typeName: string]:
    | {
        [fieldName: string]:
          | GraphQLFieldResolver<any, TContext> // eslint-disable-line @typescript-eslint/no-explicit-any
          | {
              requires?: string;
              resolve?: GraphQLFieldResolver<any, TContext>; // eslint-disable-line @typescript-eslint/no-explicit-any
              subscribe?: GraphQLFieldResolver<any, TContext>; // eslint-disable-line @typescript-eslint/no-explicit-any
            };
      }
    | GraphQLScalarType
    | { [enumValue: string]: string | number };
}

/**
 * Merges resolver maps type by type: several parts of a subgraph add fields to the same type
 * (Query, Person, a domain's measure type ...); a later map's field replaces an earlier one's.
 */
export function mergeResolverMaps<C>(...maps: Array<ResolverMap<C>>): ResolverMap<C> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...(fields as object) };
  }
  return merged as ResolverMap<C>;
}
