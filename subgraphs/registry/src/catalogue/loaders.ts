import type DataLoader from 'dataloader';
import { keyedLoader } from '@measure-graph/subgraph-platform';
import type { DataSource } from 'typeorm';
import { MeasureCatalogueStore, type MeasureRecord } from './store.ts';

export interface CatalogueLoaders {
  catalogue: MeasureCatalogueStore;
  measure: DataLoader<string, MeasureRecord | null>;
}

/** The catalogue's loaders of one request. */
export function createCatalogueLoaders(ds: DataSource): CatalogueLoaders {
  const catalogue = new MeasureCatalogueStore(ds);
  return {
    catalogue,
    measure: keyedLoader(
      (codes) => catalogue.byCodes(codes),
      (m) => m.code,
    ),
  };
}
