import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the repository, used for the default embedded data folder. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The database each subgraph talks to; `embedded` means a PGlite served over the wire. */
export interface DatabaseConfig {
  /** Postgres server URL shared by all subgraphs, or undefined for the embedded default. */
  url: string | undefined;
  /** Per-subgraph overrides, e.g. ACTIVATION_DATABASE_URL. */
  urlFor(subgraph: string): string | undefined;
  /** Folder where the embedded PGlite keeps its files. */
  embeddedDataDir: string;
  /** Port of the embedded Postgres wire server (0 = any free port). */
  embeddedPort: number;
  /** Connections per subgraph pool. */
  poolSize: number;
  /**
   * Statement timeout in ms sent to Postgres servers; 0 disables it. Kept below the gateway's
   * SUBGRAPH_TIMEOUT_MS, so a slow statement is cancelled in the database rather than left running
   * after the gateway gave up on it.
   */
  statementTimeoutMs: number;
  /** Wait for a database connection (new or from the pool), in ms. */
  connectTimeoutMs: number;
}

/** Thrown when environment variables do not parse; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads an integer variable, collecting a problem instead of throwing so all are reported together. */
export function intVar(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  problems: string[],
  { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {},
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

/**
 * Reads a switch (1/true/yes/on or 0/false/no/off, any case), collecting a problem instead of
 * throwing; `expected` words the problem as the variable's documentation does.
 */
export function boolVar(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: boolean,
  problems: string[],
  expected = 'true or false',
): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name} must be ${expected}, got "${raw}"`);
  return fallback;
}

/** Reads a postgres:// URL variable, collecting a problem when it is not one. */
export function urlVar(env: NodeJS.ProcessEnv, name: string, problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
      problems.push(`${name} must be a postgres:// URL`);
      return undefined;
    }
    return raw;
  } catch {
    problems.push(`${name} is not a valid URL`);
    return undefined;
  }
}

/** Environment variable holding a subgraph's own database URL, e.g. SOCIAL_ECONOMY_DATABASE_URL. */
export function subgraphDatabaseVar(subgraph: string): string {
  return `${subgraph.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`;
}

/**
 * Parses the database configuration once from the environment. Per-subgraph URLs are checked for
 * the `subgraphs` named (so all problems are reported together at start); any other variable that
 * happens to end in _DATABASE_URL is left alone.
 */
export function loadDatabaseConfig(
  env: NodeJS.ProcessEnv = process.env,
  subgraphs: readonly string[] = [],
): DatabaseConfig {
  const problems: string[] = [];
  const url = urlVar(env, 'DATABASE_URL', problems);
  const perSubgraph = new Map(subgraphs.map((name) => [name, urlVar(env, subgraphDatabaseVar(name), problems)]));
  const config: DatabaseConfig = {
    url,
    urlFor: (subgraph) => {
      if (perSubgraph.has(subgraph)) return perSubgraph.get(subgraph) ?? url;
      const late: string[] = [];
      const own = urlVar(env, subgraphDatabaseVar(subgraph), late);
      if (late.length > 0) throw new ConfigError(late);
      return own ?? url;
    },
    embeddedDataDir: path.resolve(env.PGLITE_DATA_DIR || path.join(repoRoot, '.data', 'pglite')),
    embeddedPort: intVar(env, 'PGLITE_PORT', 0, problems, { max: 65535 }),
    poolSize: intVar(env, 'DB_POOL_SIZE', 10, problems, { min: 1, max: 200 }),
    statementTimeoutMs: intVar(env, 'DB_STATEMENT_TIMEOUT_MS', 8000, problems),
    connectTimeoutMs: intVar(env, 'DB_CONNECT_TIMEOUT_MS', 5000, problems, { min: 100, max: 60_000 }),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
