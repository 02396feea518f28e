import fs from 'node:fs';
import path from 'node:path';
import { CannotRunError } from './errors.ts';

/** The files of a dataset this version reads, in the order they load (a file may refer to earlier ones). */
export const DATASET_FILES = [
  // The catalogue first: everything else refers to its measures.
  'measures.jsonl',
  'organisations.jsonl',
  'persons.jsonl',
  'dossiers.jsonl',
  // The activation domain's own records: appeals and the single permits' combined procedures on its
  // dossiers, the IWL tender, the WEP+ promoters.
  'appeals.jsonl',
  'combined-procedures.jsonl',
  'iwl-tenders.jsonl',
  'wep-promoters.jsonl',
  // The social economy's records: sector organisations, then their contingents and the growth paths.
  'sector-organisations.jsonl',
  'contingents.jsonl',
  // Target-group employees (with their evaluation samples) and transition trajectories of the sector's organisations.
  'employees.jsonl',
  'trajectories.jsonl',
  'growth-paths.jsonl',
  'commitments.jsonl',
  'budgets.jsonl',
  'registered-figures.jsonl',
  'inspections.jsonl',
  // The competences domain's records: courses and leave on their dossiers, vouchers (on dossiers and courses).
  'trainings.jsonl',
  'vouchers.jsonl',
  'dual-learning.jsonl',
] as const;

export type DatasetFile = (typeof DATASET_FILES)[number];

/** The dataset's files in load order; CannotRunError for a folder this version cannot read. */
export function datasetFiles(dir: string): Array<{ file: DatasetFile; path: string }> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new CannotRunError(`cannot read the dataset folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  const known = new Set<string>(DATASET_FILES);
  const unknown = names.filter((n) => /\.(jsonl|csv)$/i.test(n) && !known.has(n));
  if (unknown.length > 0) {
    throw new CannotRunError(
      `${unknown.join(', ')}: not a file this version imports (it reads ${DATASET_FILES.join(', ')}; ` +
        'see docs/data-format.md). Nothing was imported.',
    );
  }
  const files = DATASET_FILES.filter((file) => names.includes(file)).map((file) => ({
    file,
    path: path.join(dir, file),
  }));
  if (files.length === 0)
    throw new CannotRunError(`${dir} holds none of ${DATASET_FILES.join(', ')}: nothing to import`);
  return files;
}
