import { byIdLoader, groupedLoader } from '@measure-graph/subgraph-platform';
import type { DataSource } from 'typeorm';
import { GrowthPathStore, type ApplicationRecord, type CallRecord } from './store.ts';

/** The growth path's per-request loaders (under `loaders.domain`). */
export function createGrowthPathLoaders(ds: DataSource) {
  const growthPath = new GrowthPathStore(ds);
  return {
    growthPath,
    call: byIdLoader<CallRecord>((ids) => growthPath.calls(ids)),
    applications: groupedLoader<ApplicationRecord, string>(
      (ids) => growthPath.applications(ids),
      (r) => r.callId,
    ),
  };
}

export type GrowthPathLoaders = ReturnType<typeof createGrowthPathLoaders>;
