import DataLoader from 'dataloader';
import { byIdLoader, groupedLoader } from '@measure-graph/subgraph-kit';
import type { DataSource } from 'typeorm';
import { InspectionStore, type FiguresRecord, type InspectionRecord } from '../inspection-store.ts';

/** The inspection domain's per-request loaders (under `loaders.domain`). */
export function createInspectionLoaders(ds: DataSource) {
  const store = new InspectionStore(ds);
  return {
    store,
    /** Keys "measureCode@year". */
    figuresByMeasure: new DataLoader<string, FiguresRecord | null>(async (keys) => {
      const byYear = new Map<number, string[]>();
      for (const key of keys) {
        const [code, year] = key.split('@') as [string, string];
        byYear.set(Number(year), [...(byYear.get(Number(year)) ?? []), code]);
      }
      const found = new Map<string, FiguresRecord>();
      for (const [year, codes] of byYear) {
        for (const f of await store.figuresByMeasure(codes, year)) found.set(`${f.key}@${year}`, f);
      }
      return keys.map((k) => found.get(k) ?? null);
    }),
    inspection: byIdLoader<InspectionRecord>((ids) => store.byIds(ids)),
    findings: groupedLoader(
      (ids: readonly string[]) => store.findings(ids),
      (f) => f.inspectionId,
    ),
    /** Keys "kbo|first|inspectedOn|id" (after empty for the first page): one statement per page shape. */
    page: new DataLoader<string, InspectionRecord[]>(async (keys) => {
      const groups = new Map<string, string[]>();
      for (const key of keys) {
        const [kbo, ...shape] = key.split('|');
        groups.set(shape.join('|'), [...(groups.get(shape.join('|')) ?? []), kbo!]);
      }
      const result = new Map<string, InspectionRecord[]>();
      for (const [shape, kbos] of groups) {
        const [first, inspectedOn, id] = shape.split('|') as [string, string, string];
        const rows = await store.pageOfOrganisations(kbos, Number(first), inspectedOn ? { inspectedOn, id } : null);
        for (const kbo of kbos)
          result.set(
            `${kbo}|${shape}`,
            rows.filter((r) => r.kbo === kbo),
          );
      }
      return keys.map((k) => result.get(k)!);
    }),
    count: new DataLoader<string, number>(async (kbos) => {
      const counts = await store.countsOfOrganisations(kbos);
      return kbos.map((k) => counts.get(k) ?? 0);
    }),
  };
}

export type InspectionLoaders = ReturnType<typeof createInspectionLoaders>;
