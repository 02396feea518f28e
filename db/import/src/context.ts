import type { Databases } from './databases.ts';
import type { ErrorCollector } from './report.ts';

/** A domain subgraph the import writes dossiers to. */
export interface DomainTarget {
  /** Subgraph name, e.g. `social-economy` (its database is `urlFor(subgraph)`). */
  subgraph: string;
  /** Its PostgreSQL schema, e.g. `social_economy`. */
  schema: string;
  /** The catalogue's name of the domain (registry.measure.domain), e.g. `SOCIAL_ECONOMY`. */
  domain: string;
}

/** Name of the registry subgraph, which holds the catalogue, organisations and persons. */
export const REGISTRY = 'registry';

/** What one file's import works with. */
export interface FileContext {
  /** Path of the file. */
  path: string;
  /** Its name in the dataset, as errors name it (`dossiers.jsonl`). */
  file: string;
  databases: Databases;
  domains: readonly DomainTarget[];
  errors: ErrorCollector;
  /** Rows read so far. */
  counter: { rows: number };
  /** What was written, for the report. */
  counts: Record<string, number>;
  /** Belgian local time when the import started ("YYYY-MM-DD HH:MM:SS"): nothing may lie after it. */
  now: string;
}

/** Loads one file; true when it was written, false when it was refused (and nothing written). */
export type FileLoader = (ctx: FileContext) => Promise<boolean>;
