import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { NormResultsStore, type NormResultRecord } from './norm-results-store.ts';
import { MeasureModuleStore, type NormRecord } from './store.ts';

/** Per-request loaders of the measure-module machinery. */
export interface MeasureModuleLoaders {
  /** Whether a code is a module of this domain. */
  moduleExists: DataLoader<string, boolean>;
  normsByMeasure: DataLoader<string, NormRecord[]>;
  norm: DataLoader<string, NormRecord | null>;
  /** Keyed "<normId>@<year>"; null when nothing was counted. */
  normResult: DataLoader<string, NormResultRecord | null>;
}

export const normResultKey = (normId: string, year: number): string => `${normId}@${year}`;

export function createMeasureModuleLoaders(ds: DataSource, schema: string): MeasureModuleLoaders {
  const store = new MeasureModuleStore(ds, schema);
  const results = new NormResultsStore(ds, schema);
  return {
    norm: new DataLoader(async (ids) => {
      const byId = new Map((await store.normsByIds(ids)).map((n) => [n.id, n]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    // Every norm and year asked for in one request is computed by one statement.
    normResult: new DataLoader(async (keys) => {
      const parsed = keys.map((k) => {
        const at = k.lastIndexOf('@');
        return { normId: k.slice(0, at), year: Number(k.slice(at + 1)) };
      });
      const rows = await results.results(
        [...new Set(parsed.map((p) => p.normId))],
        [...new Set(parsed.map((p) => p.year))],
      );
      const byKey = new Map(rows.map((r) => [normResultKey(r.normId, r.year), r]));
      return keys.map((k) => byKey.get(k) ?? null);
    }),
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
