import { runSubgraphFromEnv } from '@measure-graph/subgraph-kit';
import { inspectionSubgraph } from './subgraph.ts';

await runSubgraphFromEnv(inspectionSubgraph);
