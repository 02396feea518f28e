import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type TypeDefinitionNode,
  type TypeNode,
} from 'graphql';

/**
 * A field of the supergraph that a subgraph other than the one that produced its parent object may
 * have to supply: when that subgraph fails, the gateway leaves the field empty (null) while the rest
 * of the object, from the producing subgraph, is there.
 */
export interface CrossSubgraphField {
  /** `Type.field`, e.g. `ActivationMeasure.normResults`. */
  coordinate: string;
  /** Whether its outermost type is non-null (then a null bubbles up into fields of other subgraphs). */
  nonNull: boolean;
  /** Subgraphs that resolve it. */
  resolvedBy: string[];
  /** Subgraphs that produce objects of the parent type without resolving the field. */
  producedElsewhereBy: string[];
  /** It has @requires: it needs fields of other subgraphs first, wherever its parent comes from. */
  requires: boolean;
}

type CompositeDefinition = ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode;

const directives = (node: { directives?: readonly ConstDirectiveNode[] }, name: string) =>
  (node.directives ?? []).filter((d) => d.name.value === name);

/** A scalar argument of a join directive: graph names are enum values, the rest strings or booleans. */
function argument(directive: ConstDirectiveNode, name: string): string | boolean | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  if (value?.kind === Kind.ENUM || value?.kind === Kind.STRING || value?.kind === Kind.BOOLEAN) return value.value;
  return undefined;
}

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));

/**
 * Every field of an object or interface type of a composed supergraph whose value may have to come
 * from another subgraph than the one that produced its parent object, read from the join directives:
 *
 * - a subgraph *produces* an object type when one of the fields it resolves returns that type, or an
 *   interface or union whose possible types in that subgraph include it (every implementation, for an
 *   interface the subgraph knows as an @interfaceObject); root fields count, so do fields it resolves
 *   on entities of other subgraphs (`_entities`);
 * - a field is *resolved by* the subgraphs of its @join__field directives, never by one where it is
 *   @external or overridden; without @join__field, by every subgraph that defines the type; and by a
 *   subgraph that knows an interface of the type as an @interfaceObject with that field;
 * - it is cross-subgraph when some producer of its parent type does not resolve it (a field one
 *   subgraph contributes to an entity of another, a catalogue field of an entity another subgraph
 *   returns as a reference, an @interfaceObject field on an implementation), or when it has @requires
 *   (its own subgraph needs other subgraphs' fields first).
 *
 * An interface field is listed when the same field of one of its implementations is. Root types are
 * not: a root field's parent is the response itself. @provides is not taken into account (the graph
 * has none), so a provided field would be listed: the rule errs on the side of nullable.
 */
export function crossSubgraphFields(supergraphSdl: string): CrossSubgraphField[] {
  const definitions = new Map<string, TypeDefinitionNode>();
  for (const def of parse(supergraphSdl).definitions) {
    if ('name' in def && def.name && 'directives' in def) definitions.set(def.name.value, def as TypeDefinitionNode);
  }
  // Graph enum values (SOCIAL_ECONOMY) to subgraph names (social-economy).
  const graphNames = new Map<string, string>();
  const joinGraph = definitions.get('join__Graph');
  if (joinGraph?.kind === Kind.ENUM_TYPE_DEFINITION) {
    for (const value of joinGraph.values ?? []) {
      const name = directives(value, 'join__graph').map((d) => argument(d, 'name'))[0];
      graphNames.set(value.name.value, typeof name === 'string' ? name : value.name.value);
    }
  }
  const graph = (value: string | boolean | undefined) => graphNames.get(String(value)) ?? String(value);

  const isComposite = (def: TypeDefinitionNode | undefined): def is CompositeDefinition =>
    def?.kind === Kind.OBJECT_TYPE_DEFINITION || def?.kind === Kind.INTERFACE_TYPE_DEFINITION;
  const schemaDef = parse(supergraphSdl).definitions.find((d) => d.kind === Kind.SCHEMA_DEFINITION);
  const rootTypes = new Set(
    schemaDef?.kind === Kind.SCHEMA_DEFINITION
      ? schemaDef.operationTypes.map((o) => o.type.name.value)
      : ['Query', 'Mutation', 'Subscription'],
  );
  const composites = [...definitions.values()].filter(isComposite).filter((d) => !d.name.value.startsWith('join__'));
  const objects = composites.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION);

  const typeGraphs = (def: TypeDefinitionNode) => directives(def, 'join__type').map((d) => graph(argument(d, 'graph')));
  const interfaceObjectGraphs = (def: TypeDefinitionNode) =>
    directives(def, 'join__type')
      .filter((d) => argument(d, 'isInterfaceObject') === true)
      .map((d) => graph(argument(d, 'graph')));
  /** Interfaces an object type implements in the supergraph. */
  const interfacesOf = (def: CompositeDefinition) =>
    (def.interfaces ?? [])
      .map((i) => definitions.get(i.name.value))
      .filter((i): i is InterfaceTypeDefinitionNode => i?.kind === Kind.INTERFACE_TYPE_DEFINITION);

  function resolvers(def: CompositeDefinition, field: FieldDefinitionNode): Set<string> {
    const joins = directives(field, 'join__field');
    const result = new Set<string>(joins.length === 0 ? typeGraphs(def) : []);
    for (const join of joins) {
      if (argument(join, 'graph') === undefined) continue; // an @interfaceObject field: see below
      if (argument(join, 'external') === true || argument(join, 'usedOverridden') === true) continue;
      result.add(graph(argument(join, 'graph')));
    }
    // A subgraph that knows an interface of the type as an @interfaceObject resolves the interface's
    // fields it defines (the key included) for every implementation.
    for (const iface of interfacesOf(def)) {
      const same = iface.fields?.find((f) => f.name.value === field.name.value);
      if (!same) continue;
      const objectGraphs = new Set(interfaceObjectGraphs(iface));
      for (const g of resolvers(iface, same)) if (objectGraphs.has(g)) result.add(g);
    }
    return result;
  }

  /** The object types a field of the given return type may produce when resolved in `inGraph`. */
  function possibleTypes(typeName: string, inGraph: string): string[] {
    const def = definitions.get(typeName);
    if (def?.kind === Kind.OBJECT_TYPE_DEFINITION) return [typeName];
    if (def?.kind === Kind.UNION_TYPE_DEFINITION) {
      return directives(def, 'join__unionMember')
        .filter((d) => graph(argument(d, 'graph')) === inGraph)
        .map((d) => String(argument(d, 'member')));
    }
    if (def?.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      const asObject = interfaceObjectGraphs(def).includes(inGraph);
      return objects
        .filter((o) =>
          directives(o, 'join__implements').some(
            (d) => argument(d, 'interface') === typeName && (asObject || graph(argument(d, 'graph')) === inGraph),
          ),
        )
        .map((o) => o.name.value);
    }
    return [];
  }

  const producers = new Map<string, Set<string>>();
  for (const def of composites) {
    for (const field of def.fields ?? []) {
      for (const g of resolvers(def, field)) {
        for (const produced of possibleTypes(namedType(field.type), g)) {
          if (!producers.has(produced)) producers.set(produced, new Set());
          producers.get(produced)!.add(g);
        }
      }
    }
  }

  const found = new Map<string, CrossSubgraphField>();
  for (const def of objects) {
    if (rootTypes.has(def.name.value)) continue;
    const producedBy = producers.get(def.name.value) ?? new Set<string>();
    for (const field of def.fields ?? []) {
      const resolvedBy = resolvers(def, field);
      const producedElsewhereBy = [...producedBy].filter((g) => !resolvedBy.has(g)).sort();
      const requires = directives(field, 'join__field').some((d) => argument(d, 'requires') !== undefined);
      if (producedElsewhereBy.length === 0 && !requires) continue;
      const coordinate = `${def.name.value}.${field.name.value}`;
      found.set(coordinate, {
        coordinate,
        nonNull: field.type.kind === Kind.NON_NULL_TYPE,
        resolvedBy: [...resolvedBy].sort(),
        producedElsewhereBy,
        requires,
      });
      // The same field of each interface it implements: nullable there too, or the schema is invalid.
      for (const iface of interfacesOf(def)) {
        const same = iface.fields?.find((f) => f.name.value === field.name.value);
        if (!same) continue;
        const ifaceCoordinate = `${iface.name.value}.${same.name.value}`;
        const previous = found.get(ifaceCoordinate);
        found.set(ifaceCoordinate, {
          coordinate: ifaceCoordinate,
          nonNull: same.type.kind === Kind.NON_NULL_TYPE,
          resolvedBy: [...resolvers(iface, same)].sort(),
          producedElsewhereBy: [...new Set([...(previous?.producedElsewhereBy ?? []), ...producedElsewhereBy])].sort(),
          requires: (previous?.requires ?? false) || requires,
        });
      }
    }
  }
  return [...found.values()].sort((a, b) => a.coordinate.localeCompare(b.coordinate));
}
