import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { MeasureModuleStore, type NormRecord } from './store.ts';

/** Per-request loaders of the measure-module machinery. */
export interface MeasureModuleLoaders {
  /** Whether a code is a module of this domain. */
  moduleExists: DataLoader<string, boolean>;
  normsByMeasure: DataLoader<string, NormRecord[]>;
}

export function createMeasureModuleLoaders(ds: DataSource, schema: string): MeasureModuleLoaders {
  const store = new MeasureModuleStore(ds, schema);
  return {
    moduleExists: new DataLoader(async (codes) => {
      const existing = await store.existingCodes(codes);
      return codes.map((code) => existing.has(code));
    }),
    normsByMeasure: new DataLoader(async (codes) => {
      const byCode = new Map<string, NormRecord[]>(codes.map((c) => [c, []]));
      for (const norm of await store.normsOf(codes)) byCode.get(norm.measureCode)?.push(norm);
      return codes.map((code) => byCode.get(code) ?? []);
    }),
  };
}
