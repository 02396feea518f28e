import { runSubgraphFromEnv } from '@measure-graph/subgraph-platform';
import { inspectionSubgraph } from './subgraph.ts';

await runSubgraphFromEnv(inspectionSubgraph);
