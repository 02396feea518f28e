import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const seedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../seed-data');

/** Reads one of the project's own copies of the published figures (db/seed-data/*.json). */
export function readSeedFile<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(seedDir, name), 'utf8')) as T;
}

/** A norm as published in the 2020 report (measures-2020.json, `norms[]`). */
export interface PublishedNorm {
  label: string;
  kind: 'legal' | 'internal' | null;
  target: number | null;
  thresholdDays: number | null;
  thresholdText: string | null;
  channel: 'online' | 'paper' | null;
  stage: 'admissibility' | 'decision' | 'payment' | 'advice' | 'other';
  overviewRowId?: string | null;
  result2019: number | null;
  result2020: number | null;
}

/** A measure as published in the 2020 report (measures-2020.json). */
export interface PublishedMeasure {
  code: string;
  name: string;
  nameInTable: string | null;
  section: string;
  objective: { code: string; heading: string };
  policyField: 'Werk' | 'Competenties' | 'Sociale Economie';
  domain: 'activation' | 'competences' | 'social-economy' | 'inspection';
  status: 'active' | 'phasing-out' | 'reform';
  budget: {
    budgetArticle: string | null;
    vek2020Realised: number | null;
    vak2020Realised: number | null;
    vek2021Budget: number | null;
    vak2021Budget: number | null;
  };
  norms: PublishedNorm[];
  volumes: PublishedVolume[];
  /** The card's VSI lines: controls and official reports or warnings per year (null: n.v.t.). */
  inspections: Partial<Record<`${'controls' | 'warningsOrReports'}${2019 | 2020}`, number | null>>;
}

/** A volume row of a measure card ("Aantal ontvangen dossiers", "% online", ...). */
export interface PublishedVolume {
  label: string;
  value2019: number | null;
  value2020: number | null;
  unit: 'count' | 'fraction';
}

let measures: PublishedMeasure[] | undefined;

/** The 42 measures of the 2020 report, read once. */
export function publishedMeasures(): PublishedMeasure[] {
  measures ??= readSeedFile<PublishedMeasure[]>('measures-2020.json');
  return measures;
}
