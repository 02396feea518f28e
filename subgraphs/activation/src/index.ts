import { runSubgraphFromEnv } from '@measure-graph/subgraph-kit';
import { activationSubgraph } from './subgraph.ts';

await runSubgraphFromEnv(activationSubgraph);
