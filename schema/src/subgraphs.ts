import { activationSubgraph } from '@measure-graph/activation';
import { competencesSubgraph } from '@measure-graph/competences';
import { inspectionSubgraph } from '@measure-graph/inspection';
import { registrySubgraph } from '@measure-graph/registry';
import { socialEconomySubgraph } from '@measure-graph/social-economy';
import type { AnySubgraphDefinition } from '@measure-graph/subgraph-kit';

/** Every subgraph of the measure graph, in the order the supergraph lists them. */
export const subgraphs: readonly AnySubgraphDefinition[] = [
  registrySubgraph,
  activationSubgraph,
  competencesSubgraph,
  socialEconomySubgraph,
  inspectionSubgraph,
];
