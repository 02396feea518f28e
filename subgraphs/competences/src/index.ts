import { runSubgraphFromEnv } from '@measure-graph/subgraph-platform';
import { competencesSubgraph } from './subgraph.ts';

await runSubgraphFromEnv(competencesSubgraph);
