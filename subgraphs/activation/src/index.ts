import { runSubgraphFromEnv } from '@measure-graph/subgraph-platform';
import { activationSubgraph } from './subgraph.ts';

await runSubgraphFromEnv(activationSubgraph);
