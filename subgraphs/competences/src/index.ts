import { runSubgraphFromEnv } from '@measure-graph/subgraph-kit';
import { competencesSubgraph } from './subgraph.ts';

await runSubgraphFromEnv(competencesSubgraph);
