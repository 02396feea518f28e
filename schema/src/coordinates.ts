import { coordinatesOf as documentCoordinates } from '@measure-graph/schema-usage';
import { getNamedType, isEnumType, Kind, type DocumentNode, type GraphQLSchema } from 'graphql';

/**
 * The schema coordinates an operation touches in `schema`, as the gateway records them
 * (@measure-graph/schema-usage's coordinatesOf), for an operation seen without its variables: an
 * enum passed in a variable may carry any of its values, so every value counts as used and a
 * removed value is never thought unused. Elements the schema does not have are skipped (the
 * operation is invalid there anyway).
 */
export function coordinatesOf(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const { coordinates, variables } = documentCoordinates(schema, document);
  const used = new Set(coordinates);
  for (const { type } of variables) {
    const named = getNamedType(type);
    if (isEnumType(named)) for (const v of named.getValues()) used.add(`${named.name}.${v.name}`);
  }
  return used;
}

/** The names of a document's operations, for reports (`anonymous` when it has none). */
export const operationNames = (document: DocumentNode): string[] =>
  document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? 'anonymous'] : []));
