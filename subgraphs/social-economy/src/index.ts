import { runSubgraphFromEnv } from '@measure-graph/subgraph-kit';
import { socialEconomySubgraph } from './subgraph.ts';

await runSubgraphFromEnv(socialEconomySubgraph);
