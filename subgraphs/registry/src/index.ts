import { runSubgraphFromEnv } from '@measure-graph/subgraph-platform';
import { registrySubgraph } from './subgraph.ts';

await runSubgraphFromEnv(registrySubgraph);
