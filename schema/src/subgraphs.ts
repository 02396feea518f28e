import { activationSubgraph } from '@measure-graph/activation';
import { competencesSubgraph } from '@measure-graph/competences';
import { inspectionSubgraph } from '@measure-graph/inspection';
import { registrySubgraph } from '@measure-graph/registry';
import { socialEconomySubgraph } from '@measure-graph/social-economy';
import { DOMAINS, type AnySubgraphDefinition, type DomainName } from '@measure-graph/subgraph-platform';

/**
 * Each domain of the kit's list of domains (`subgraphs/kit/platform/src/domains.ts`) and its subgraph package:
 * a domain added to the list without its package here is a type error.
 */
const DOMAIN_SUBGRAPHS: Record<DomainName, AnySubgraphDefinition> = {
  activation: activationSubgraph,
  competences: competencesSubgraph,
  'social-economy': socialEconomySubgraph,
  inspection: inspectionSubgraph,
};

/** Every subgraph of the measure graph, in the order the supergraph lists them: the registry, then the domains. */
export const subgraphs: readonly AnySubgraphDefinition[] = [
  registrySubgraph,
  ...DOMAINS.map((d) => DOMAIN_SUBGRAPHS[d.name]),
];
