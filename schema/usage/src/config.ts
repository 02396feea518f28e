import path from 'node:path';
import { ConfigError, intVar, repoRoot, urlVar } from '@measure-graph/db/config';

export interface UsageBounds {
  /** Days kept; older days are pruned on every write (USAGE_RETENTION_DAYS). */
  retentionDays: number;
  /** Distinct operations stored per day; executions of further ones are only counted (USAGE_MAX_OPERATIONS_PER_DAY). */
  maxOperationsPerDay: number;
  /** Distinct client name and version pairs stored per day (USAGE_MAX_CLIENTS_PER_DAY). */
  maxClientsPerDay: number;
  /** Larger documents are counted, never stored (USAGE_MAX_DOCUMENT_BYTES). */
  maxDocumentBytes: number;
}

export const DEFAULT_USAGE_BOUNDS: UsageBounds = {
  retentionDays: 90,
  maxOperationsPerDay: 1_000,
  maxClientsPerDay: 200,
  maxDocumentBytes: 20_000,
};

export type UsageStoreConfig = UsageBounds &
  ({ kind: 'postgresql'; url: string } | { kind: 'file'; path: string }) & {
    /** The clock, for tests of retention; the wall clock otherwise. */
    now?: () => Date;
  };

/**
 * The embedded default's file: in the embedded database's folder (PGLITE_DATA_DIR, by default
 * .data/pglite, which already holds the project's password and lock files), so that `npm start`
 * and `npm run schema:usage` find the same file, and two data folders never share one.
 */
export function defaultUsageFile(env: NodeJS.ProcessEnv): string {
  return path.join(path.resolve(env.PGLITE_DATA_DIR || path.join(repoRoot, '.data', 'pglite')), 'usage.json');
}

/**
 * Where usage is kept and its bounds: PostgreSQL at USAGE_DATABASE_URL (schema `usage`), otherwise
 * the JSON file USAGE_FILE (default beside the embedded database). Problems are collected, not thrown.
 */
export function readUsageStoreConfig(env: NodeJS.ProcessEnv, problems: string[]): UsageStoreConfig {
  const bounds: UsageBounds = {
    retentionDays: intVar(env, 'USAGE_RETENTION_DAYS', DEFAULT_USAGE_BOUNDS.retentionDays, problems, {
      min: 1,
      max: 3_650,
    }),
    maxOperationsPerDay: intVar(
      env,
      'USAGE_MAX_OPERATIONS_PER_DAY',
      DEFAULT_USAGE_BOUNDS.maxOperationsPerDay,
      problems,
      { min: 1, max: 100_000 },
    ),
    maxClientsPerDay: intVar(env, 'USAGE_MAX_CLIENTS_PER_DAY', DEFAULT_USAGE_BOUNDS.maxClientsPerDay, problems, {
      min: 1,
      max: 10_000,
    }),
    maxDocumentBytes: intVar(env, 'USAGE_MAX_DOCUMENT_BYTES', DEFAULT_USAGE_BOUNDS.maxDocumentBytes, problems, {
      min: 100,
      max: 1_000_000,
    }),
  };
  const url = urlVar(env, 'USAGE_DATABASE_URL', problems);
  if (url && env.USAGE_FILE) problems.push('USAGE_DATABASE_URL and USAGE_FILE are both set: choose one store');
  if (url) return { ...bounds, kind: 'postgresql', url };
  return { ...bounds, kind: 'file', path: path.resolve(env.USAGE_FILE || defaultUsageFile(env)) };
}

/** Reads the store configuration or throws a ConfigError naming every problem. */
export function loadUsageStoreConfig(env: NodeJS.ProcessEnv): UsageStoreConfig {
  const problems: string[] = [];
  const config = readUsageStoreConfig(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
