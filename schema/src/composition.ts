import { composeServices } from '@apollo/composition';
import type { ASTNode, GraphQLSchema } from 'graphql';
import type { AnySubgraphDefinition } from '@measure-graph/subgraph-platform';
import { formatLocation, locateNode, type SourceLocation } from './locate.ts';

/** A composition error or hint as a reviewer reads it: its code, message and where in which SDL file. */
export interface CompositionDiagnostic {
  code: string;
  message: string;
  locations: SourceLocation[];
}

export type CompositionResult =
  | { ok: true; supergraphSdl: string; apiSchema: GraphQLSchema; hints: CompositionDiagnostic[] }
  | { ok: false; errors: CompositionDiagnostic[]; hints: CompositionDiagnostic[] };

/**
 * Composition marks the nodes it reports with their subgraph (SubgraphASTNode); a node without the
 * mark is found by the document it was parsed from.
 */
function subgraphOf(node: ASTNode, subgraphs: readonly AnySubgraphDefinition[]): AnySubgraphDefinition | undefined {
  const named = (node as { subgraph?: unknown }).subgraph;
  if (typeof named === 'string') return subgraphs.find((s) => s.name === named);
  const body = node.loc?.source.body;
  return body === undefined ? undefined : subgraphs.find((s) => s.typeDefs.loc?.source.body === body);
}

function diagnostic(
  code: string,
  message: string,
  nodes: readonly ASTNode[] | undefined,
  subgraphs: readonly AnySubgraphDefinition[],
): CompositionDiagnostic {
  const locations: SourceLocation[] = [];
  for (const node of nodes ?? []) {
    const subgraph = subgraphOf(node, subgraphs);
    if (subgraph) locations.push(locateNode(subgraph, node));
  }
  return { code, message, locations };
}

/** Composes the subgraphs, keeping every error and hint with its code and source locations. */
export function composeWithDiagnostics(subgraphs: readonly AnySubgraphDefinition[]): CompositionResult {
  const result = composeServices(
    subgraphs.map((s) => ({
      name: s.name,
      typeDefs: s.typeDefs,
      // Default local URL; the gateway replaces it from its configuration.
      url: `http://localhost:${s.defaultPort}/graphql`,
    })),
  );
  const hints = (result.hints ?? []).map((h) => diagnostic(h.definition.code, h.message, h.nodes, subgraphs));
  if (result.errors) {
    return {
      ok: false,
      errors: result.errors.map((e) =>
        diagnostic(String(e.extensions['code'] ?? 'COMPOSITION_ERROR'), e.message, e.nodes, subgraphs),
      ),
      hints,
    };
  }
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl,
    apiSchema: result.schema.toAPISchema().toGraphQLJSSchema(),
    hints,
  };
}

/** `ERROR_CODE message`, then one indented line per location. */
export function formatDiagnostic(d: CompositionDiagnostic): string {
  return [`${d.code} ${d.message}`, ...d.locations.map((l) => `    at ${formatLocation(l)}`)].join('\n');
}
