import {
  isEnumType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLScalarType,
  type GraphQLSchema,
} from 'graphql';

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

/** Keys a resolver map may hold beside a type's fields (federation's and graphql-js's). */
const SPECIAL_KEYS = {
  object: ['__resolveReference', '__isTypeOf'],
  // An entity interface (@key on an interface) has a reference resolver too.
  interface: ['__resolveType', '__resolveReference'],
  union: ['__resolveType'],
};

/**
 * What a subgraph's resolver map names that its schema does not have: a type, a field, an enum
 * value. buildSubgraphSchema ignores such keys silently, so a field renamed in the SDL would leave
 * its old resolver behind and the new field answered by the default resolver.
 */
export function resolverMapProblems(schema: GraphQLSchema, resolvers: ResolverMap): string[] {
  const problems: string[] = [];
  for (const [typeName, entry] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!type) {
      problems.push(`${typeName}: no such type in the schema`);
      continue;
    }
    if (isScalarType(type)) continue;
    const known = isObjectType(type)
      ? [...Object.keys(type.getFields()), ...SPECIAL_KEYS.object]
      : isInterfaceType(type)
        ? [...Object.keys(type.getFields()), ...SPECIAL_KEYS.interface]
        : isUnionType(type)
          ? SPECIAL_KEYS.union
          : isEnumType(type)
            ? type.getValues().map((v) => v.name)
            : [];
    for (const key of Object.keys(entry)) {
      if (!known.includes(key)) problems.push(`${typeName}.${key}: no such ${isEnumType(type) ? 'value' : 'field'}`);
    }
  }
  return problems;
}
