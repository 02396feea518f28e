import { runSubgraphFromEnv } from '@measure-graph/subgraph-kit';
import { registrySubgraph } from './subgraph.ts';

await runSubgraphFromEnv(registrySubgraph);
