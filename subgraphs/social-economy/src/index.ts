import { runSubgraphFromEnv } from '@measure-graph/subgraph-platform';
import { socialEconomySubgraph } from './subgraph.ts';

await runSubgraphFromEnv(socialEconomySubgraph);
