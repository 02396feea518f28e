import DataLoader from 'dataloader';
import {
  byIdLoader,
  groupedLoader,
  keyedLoader,
  rowPerKey,
  rowsPerKey,
  shapedLoader,
} from '@measure-graph/subgraph-platform';
import type { ChangeWatermark, MeasureYearKey } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import { MeasureCatalogueStore, type CatalogueMeasureRecord } from '../catalogue/store.ts';
import { InspectionStore, type InspectionRecord } from './store.ts';

/** A page of an organisation's inspections, newest first (after: the last row of the previous page). */
export interface InspectionPageKey {
  kbo: string;
  first: number;
  after: { inspectedOn: string; id: string } | null;
  /** Set for an incremental pull: the page in change order after this watermark. */
  changedAfter?: ChangeWatermark | null;
}

/** The inspection domain's per-request loaders (under `loaders.domain`). */
export function createInspectionLoaders(ds: DataSource) {
  const store = new InspectionStore(ds);
  const catalogue = new MeasureCatalogueStore(ds);
  return {
    store,
    /** A measure's figures of a year; one statement per year asked for. */
    figuresByMeasure: shapedLoader(
      (k: MeasureYearKey) => k.year,
      async (keys) => {
        const { year } = keys[0]!;
        const rows = await store.figuresByMeasure(
          keys.map((k) => k.code),
          year,
        );
        return rowPerKey(keys, rows, (f) => ({ code: f.key, year }));
      },
    ),
    /** A measure of any domain in inspection's catalogue (code and domain). */
    catalogueMeasure: keyedLoader<CatalogueMeasureRecord>(
      (codes) => catalogue.byCodes(codes),
      (m) => m.code,
    ),
    inspection: byIdLoader<InspectionRecord>((ids) => store.byIds(ids)),
    findings: groupedLoader(
      (ids: readonly string[]) => store.findings(ids),
      (f) => f.inspectionId,
    ),
    /** Pages of the same size and cursor for any number of organisations: one statement. */
    page: shapedLoader(
      ({ kbo: _, ...shape }: InspectionPageKey) => shape,
      async (keys) => {
        const { kbo: _, ...shape } = keys[0]!;
        const rows = await store.pageOfOrganisations(
          keys.map((k) => k.kbo),
          shape.first,
          shape.after,
          shape.changedAfter ?? null,
        );
        return rowsPerKey(keys, rows, (r) => ({ ...shape, kbo: r.kbo }));
      },
    ),
    count: new DataLoader<string, number>(async (kbos) => {
      const counts = await store.countsOfOrganisations(kbos);
      return kbos.map((k) => counts.get(k) ?? 0);
    }),
  };
}

export type InspectionLoaders = ReturnType<typeof createInspectionLoaders>;
