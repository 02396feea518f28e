import type { AnySubgraphDefinition } from '@measure-graph/subgraph-platform';
import { belgianNow } from '@measure-graph/measure-module/validation';
import { loadDossiers } from './aggregates/dossiers.ts';
import { loadAppeals } from './aggregates/appeals.ts';
import { loadCombinedProcedures } from './aggregates/combined-procedures.ts';
import { loadIwlTenders } from './aggregates/iwl-tenders.ts';
import { loadWepPromoters } from './aggregates/wep-promoters.ts';
import { loadInspections } from './aggregates/inspections.ts';
import { loadBudgets, loadCommitments, loadRegisteredFigures } from './aggregates/money.ts';
import { loadDualLearning } from './aggregates/dual-learning.ts';
import { loadMeasures } from './aggregates/measures.ts';
import { loadOrganisations } from './aggregates/organisations.ts';
import { loadPersons } from './aggregates/persons.ts';
import { loadTrainings } from './aggregates/trainings.ts';
import { loadVouchers } from './aggregates/vouchers.ts';
import { loadContingents } from './aggregates/contingents.ts';
import { loadEmployees } from './aggregates/employees.ts';
import { loadTrajectories } from './aggregates/trajectories.ts';
import { loadGrowthPaths } from './aggregates/growth-paths.ts';
import { loadSectorOrganisations } from './aggregates/sector-organisations.ts';
import { REGISTRY, type DomainTarget, type FileLoader } from './context.ts';
import { datasetFiles, type DatasetFile } from './dataset.ts';
import { Databases, migrateSubgraphs } from './databases.ts';
import { DEFAULT_ERROR_LIMIT, ErrorCollector, type FileReport } from './report.ts';

/** What loads each file of a dataset. */
const LOADERS: Record<DatasetFile, FileLoader> = {
  'measures.jsonl': loadMeasures,
  'organisations.jsonl': loadOrganisations,
  'persons.jsonl': loadPersons,
  'dossiers.jsonl': loadDossiers,
  'appeals.jsonl': loadAppeals,
  'combined-procedures.jsonl': loadCombinedProcedures,
  'iwl-tenders.jsonl': loadIwlTenders,
  'wep-promoters.jsonl': loadWepPromoters,
  'commitments.jsonl': loadCommitments,
  'budgets.jsonl': loadBudgets,
  'registered-figures.jsonl': loadRegisteredFigures,
  'inspections.jsonl': loadInspections,
  'trainings.jsonl': loadTrainings,
  'vouchers.jsonl': loadVouchers,
  'dual-learning.jsonl': loadDualLearning,
  'sector-organisations.jsonl': loadSectorOrganisations,
  'contingents.jsonl': loadContingents,
  'employees.jsonl': loadEmployees,
  'trajectories.jsonl': loadTrajectories,
  'growth-paths.jsonl': loadGrowthPaths,
};

export interface ImportOptions {
  /** Folder of the dataset. */
  dir: string;
  /** postgres:// URL of each subgraph's database (DATABASE_URL or <NAME>_DATABASE_URL). */
  urlFor: (subgraph: string) => string;
  /** The subgraphs (default: every subgraph of the graph, @measure-graph/schema/subgraphs). */
  subgraphs?: readonly AnySubgraphDefinition[];
  /** Apply pending migrations first (default); false refuses to run when any is pending. */
  migrate?: boolean;
  /** Errors listed per file (all are counted). */
  errorLimit?: number;
  /** Progress, one line per file. */
  onFile?: (report: FileReport) => void;
}

export interface ImportReport {
  files: FileReport[];
  /** Every file was written. */
  ok: boolean;
}

/** Domain subgraphs: every subgraph but the registry, named in the catalogue by their upper-case name. */
export function domainTargets(subgraphs: readonly AnySubgraphDefinition[]): DomainTarget[] {
  return subgraphs
    .filter((s) => s.name !== REGISTRY)
    .map((s) => ({ subgraph: s.name, schema: s.schema, domain: s.name.toUpperCase().replace(/-/g, '_') }));
}

/**
 * Imports a dataset (docs/data-format.md): each file in one transaction (per database), written
 * completely or, when any row is refused, not at all; the other files still load. Throws
 * CannotRunError (or a database error) when it cannot run; bad data is in the report.
 */
export async function importDataset(options: ImportOptions): Promise<ImportReport> {
  const files = datasetFiles(options.dir);
  const subgraphs = options.subgraphs ?? (await import('@measure-graph/schema/subgraphs')).subgraphs;
  await migrateSubgraphs(subgraphs, options.urlFor, options.migrate ?? true);
  const databases = new Databases(options.urlFor);
  const now = belgianNow();
  const reports: FileReport[] = [];
  try {
    for (const f of files) {
      const started = performance.now();
      const errors = new ErrorCollector(f.file, options.errorLimit ?? DEFAULT_ERROR_LIMIT);
      const ctx = {
        path: f.path,
        file: f.file,
        databases,
        domains: domainTargets(subgraphs),
        errors,
        counter: { rows: 0 },
        counts: {},
        now,
      };
      const loaded = await LOADERS[f.file](ctx);
      const report: FileReport = {
        file: f.file,
        rows: ctx.counter.rows,
        loaded,
        errors: errors.list(),
        errorCount: errors.count,
        counts: loaded ? ctx.counts : {},
        milliseconds: Math.round(performance.now() - started),
      };
      reports.push(report);
      options.onFile?.(report);
    }
  } finally {
    await databases.close();
  }
  return { files: reports, ok: reports.every((r) => r.loaded) };
}
