import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DirectiveNode,
  type DefinitionNode,
  type DocumentNode,
} from 'graphql';

/**
 * Which subgraphs define each element of a supergraph, read from its join__ directives: a field
 * with @join__field is in the graphs those name (external ones are not its definers), one without
 * is in every graph of its type's @join__type; enum values likewise with @join__enumValue.
 */
export class SupergraphOwners {
  private readonly doc: DocumentNode;
  private readonly graphNames = new Map<string, string>();

  constructor(supergraphSdl: string) {
    this.doc = parse(supergraphSdl);
    for (const def of this.doc.definitions) {
      if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
      for (const value of def.values ?? []) {
        const name = stringArg(
          value.directives?.find((d) => d.name.value === 'join__graph'),
          'name',
        );
        this.graphNames.set(value.name.value, name ?? value.name.value.toLowerCase());
      }
    }
  }

  /** The subgraphs that define `coordinate` (its type's when the element is not in this supergraph). */
  of(coordinate: string): string[] {
    const [typeName, rest] = coordinate.split('.', 2) as [string, string | undefined];
    const member = rest?.replace(/\(.*$/, '');
    const types = this.doc.definitions.filter(
      (d): d is Extract<DefinitionNode, { name: { value: string } }> => 'name' in d && d.name?.value === typeName,
    );
    const typeGraphs = this.graphs(
      types.flatMap((t) => t.directives ?? []),
      'join__type',
      false,
    );
    if (!member) return typeGraphs;
    for (const t of types) {
      const members = 'fields' in t ? t.fields : 'values' in t ? t.values : undefined;
      const node = members?.find((m) => m.name.value === member);
      if (!node) continue;
      const own = this.graphs(
        node.directives ?? [],
        node.kind === Kind.ENUM_VALUE_DEFINITION ? 'join__enumValue' : 'join__field',
        true,
      );
      return own.length > 0 ? own : typeGraphs;
    }
    return typeGraphs;
  }

  private graphs(directives: readonly DirectiveNode[], name: string, skipExternal: boolean): string[] {
    const graphs = directives
      .filter((d) => d.name.value === name)
      .filter(
        (d) =>
          !skipExternal ||
          !d.arguments?.some((a) => a.name.value === 'external' && a.value.kind === Kind.BOOLEAN && a.value.value),
      )
      .flatMap((d) => {
        const graph = d.arguments?.find((a) => a.name.value === 'graph')?.value;
        return graph?.kind === Kind.ENUM ? [this.graphNames.get(graph.value) ?? graph.value] : [];
      });
    return [...new Set(graphs)].sort();
  }
}

function stringArg(directive: ConstDirectiveNode | undefined, name: string): string | undefined {
  const value = directive?.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}
