import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { boolVar, ConfigError, intVar } from '@measure-graph/db';
import { readApiKeyConfig, readAuthConfig, type ApiKeyConfig, type AuthConfig } from '@measure-graph/auth';
import { readSubgraphSecret } from '@measure-graph/subgraph-platform/credential';
import { subgraphUrlVariable } from '@measure-graph/subgraph-platform/domains';
import { readApqConfig, type ApqConfig } from './apq-cache.ts';
import { readCorsConfig, type CorsConfig } from './cors.ts';
import type { QueryLimits } from './limits.ts';
import { readPersistedDocumentsConfig, type PersistedDocumentsConfig } from './persisted-documents.ts';
import { loadSafelist, manifestNames } from './safelist.ts';
import type { CircuitOptions } from './subgraph-fetcher.ts';
import {
  DEFAULT_API_SCHEMA,
  DEFAULT_TABLES_DIR,
  loadTableCatalogue,
  type TableDefinition,
} from './tables/catalogue.ts';
import { readSupergraphSourceConfig, type SupergraphSourceConfig } from './supergraph-source.ts';
import { readUsageRecordingConfig, type UsageRecordingConfig } from './usage.ts';

const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema');
const defaultSupergraph = path.join(schemaDir, 'supergraph.graphql');
const defaultManifest = path.join(schemaDir, 'safelist.json');
const defaultTablesDir = path.join(schemaDir, 'tables');
const defaultPersistedDocumentsDir = path.join(schemaDir, 'persisted-documents');

export interface GatewayConfig {
  port: number;
  host: string;
  /** `production` turns the IDE and introspection off unless explicitly enabled. */
  production: boolean;
  ide: boolean;
  introspection: boolean;
  supergraphPath: string;
  /** The supergraph at start (empty when it comes from SUPERGRAPH_URL, fetched at start). */
  supergraphSdl: string;
  /** Live reload: where later supergraphs come from and how changes are noticed. */
  supergraphSource: SupergraphSourceConfig;
  /** Subgraph name -> URL; the composed file's URLs unless overridden by <NAME>_URL. */
  subgraphUrls: Record<string, string>;
  /** Largest request body accepted, in bytes (413 above it). */
  maxBodyBytes: number;
  /** A subgraph request is cut after this long (partial data, SUBGRAPH_TIMEOUT). */
  subgraphTimeoutMs: number;
  /** A client request's subgraph fetches are all cut once it has run this long. */
  requestDeadlineMs: number;
  /** The circuit breaker in front of each subgraph. */
  circuit: CircuitOptions;
  /** On SIGTERM/stop: how long in-flight requests may finish before their connections are closed. */
  shutdownGraceMs: number;
  /** Names of the registered operations (the safelist manifest): their own metric label. */
  registeredOperations: string[];
  /** Unregistered operation names that get a metric label of their own (first seen); the rest share one. */
  metricsMaxOperations: number;
  /** Limits of a GraphQL document (400 above them). */
  limits: QueryLimits;
  /** Safelist mode: the hashes of the only documents executed; null when off. */
  safelist: Set<string> | null;
  /** Bearer token verification (the subgraphs verify the forwarded token again). */
  auth: AuthConfig;
  /** API keys of machine clients (API_KEYS_DATABASE_URL, API_KEY_*; see docs/operations.md). */
  apiKeys: ApiKeyConfig;
  /** SUBGRAPH_SECRET, sent to every subgraph (x-gateway-credential); required in production. */
  subgraphSecret?: string;
  /** Usage recording: which schema coordinates clients use (USAGE_*; see docs/operations.md). */
  usage: UsageRecordingConfig;
  /** Which browser origins may call the gateway (CORS_*). */
  cors: CorsConfig;
  /** Documents run by `documentId`, loaded and checked at start (PERSISTED_DOCUMENT*). */
  persistedDocuments: PersistedDocumentsConfig;
  /** Automatic persisted queries' store: Redis when REDIS_URL is set (APQ_TTL_SECONDS, REDIS_KEY_PREFIX). */
  apq: ApqConfig;
  /** Named tables of GET /tables (schema/tables), checked against the API schema at start. */
  tables: { catalogue: Map<string, TableDefinition>; pageSize: number };
}

/** Subgraph names and default URLs as written into the composed supergraph (join__Graph). */
export function subgraphsOf(supergraphSdl: string): Record<string, string> {
  const graphs: Record<string, string> = {};
  for (const m of supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g)) graphs[m[1]!] = m[2]!;
  return graphs;
}

/** Environment variable that overrides a subgraph's URL, e.g. SOCIAL_ECONOMY_URL (the kit's rule). */
export const subgraphUrlVar = subgraphUrlVariable;

/** The API schema clients see (committed beside the supergraph), which every table is checked against. */
function readApiSchema(problems: string[]): string {
  try {
    return fs.readFileSync(DEFAULT_API_SCHEMA, 'utf8');
  } catch {
    problems.push(`tables: cannot read ${DEFAULT_API_SCHEMA} (run \`npm run compose\`)`);
    return '';
  }
}

/** Parses the gateway configuration once; reports every problem together. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const supergraphPath = path.resolve(env.SUPERGRAPH_PATH || defaultSupergraph);
  const supergraphSource = readSupergraphSourceConfig(env, supergraphPath, problems);
  let supergraphSdl = '';
  try {
    if (supergraphSource.kind === 'file') supergraphSdl = fs.readFileSync(supergraphPath, 'utf8');
  } catch {
    problems.push(`SUPERGRAPH_PATH: cannot read ${supergraphPath} (run \`npm run compose\`)`);
  }
  const subgraphUrls = subgraphsOf(supergraphSdl);
  for (const name of Object.keys(subgraphUrls)) {
    const override = env[subgraphUrlVar(name)];
    if (!override) continue;
    if (/^https?:\/\/[^/]/.test(override) && URL.canParse(override)) subgraphUrls[name] = override;
    else problems.push(`${subgraphUrlVar(name)} must be an http(s) URL, got "${override}"`);
  }
  const auth = readAuthConfig(env, problems);
  const config: GatewayConfig = {
    port: intVar(env, 'PORT', 4000, problems, { max: 65535 }),
    host: env.HOST || '127.0.0.1',
    production,
    ide: boolVar(env, 'GRAPHQL_IDE', !production, problems),
    introspection: boolVar(env, 'GRAPHQL_INTROSPECTION', !production, problems),
    supergraphPath,
    supergraphSdl,
    supergraphSource,
    subgraphUrls,
    maxBodyBytes: intVar(env, 'MAX_BODY_BYTES', 2_000_000, problems, { min: 1024 }),
    subgraphTimeoutMs: intVar(env, 'SUBGRAPH_TIMEOUT_MS', 10_000, problems, { min: 100, max: 300_000 }),
    limits: {
      maxDocumentBytes: intVar(env, 'MAX_DOCUMENT_BYTES', 100_000, problems, { min: 1024 }),
      maxTokens: intVar(env, 'MAX_TOKENS', 10_000, problems, { min: 100 }),
      maxDepth: intVar(env, 'MAX_DEPTH', 15, problems, { min: 2, max: 100 }),
      maxAliases: intVar(env, 'MAX_ALIASES', 30, problems, { min: 0 }),
      maxRootFields: intVar(env, 'MAX_ROOT_FIELDS', 20, problems, { min: 1 }),
      maxCost: intVar(env, 'MAX_COST', 500_000, problems, { min: 100 }),
      assumedListSize: intVar(env, 'ASSUMED_LIST_SIZE', 50, problems, { min: 1, max: 10_000 }),
    },
    requestDeadlineMs: intVar(env, 'REQUEST_DEADLINE_MS', 20_000, problems, { min: 100, max: 600_000 }),
    circuit: {
      volumeThreshold: intVar(env, 'CIRCUIT_MIN_REQUESTS', 5, problems, { min: 1 }),
      errorThresholdPercentage: intVar(env, 'CIRCUIT_ERROR_PERCENT', 50, problems, { min: 1, max: 100 }),
      resetMs: intVar(env, 'CIRCUIT_PROBE_MS', 5_000, problems, { min: 100, max: 600_000 }),
      windowMs: intVar(env, 'CIRCUIT_WINDOW_MS', 10_000, problems, { min: 1_000, max: 600_000 }),
    },
    shutdownGraceMs: intVar(env, 'SHUTDOWN_GRACE_MS', 10_000, problems, { min: 0, max: 600_000 }),
    registeredOperations: [],
    metricsMaxOperations: intVar(env, 'METRICS_MAX_OPERATIONS', 50, problems, { min: 0, max: 10_000 }),
    safelist: null,
    auth,
    apiKeys: readApiKeyConfig(env, problems, auth),
    subgraphSecret: readSubgraphSecret(env, problems),
    usage: readUsageRecordingConfig(env, problems),
    cors: readCorsConfig(env, production, problems),
    persistedDocuments: readPersistedDocumentsConfig(
      env,
      {
        root: path.dirname(schemaDir),
        safelistManifest: env.SAFELIST_PATH
          ? path.resolve(env.SAFELIST_PATH)
          : fs.existsSync(defaultManifest)
            ? defaultManifest
            : null,
        tablesDir: defaultTablesDir,
        dir: defaultPersistedDocumentsDir,
      },
      problems,
    ),
    apq: readApqConfig(env, problems),
    tables: {
      catalogue: loadTableCatalogue(DEFAULT_TABLES_DIR, readApiSchema(problems), problems),
      // At most the connections' own page limit (1000); smaller pages use less memory per request.
      pageSize: intVar(env, 'TABLES_PAGE_SIZE', 1000, problems, { min: 1, max: 1000 }),
    },
  };
  if (env.SAFELIST_PATH) {
    try {
      config.safelist = loadSafelist(path.resolve(env.SAFELIST_PATH));
      config.registeredOperations = manifestNames(path.resolve(env.SAFELIST_PATH));
    } catch (err) {
      problems.push(`SAFELIST_PATH: cannot use ${env.SAFELIST_PATH}: ${(err as Error).message}`);
    }
  } else if (fs.existsSync(defaultManifest)) {
    config.registeredOperations = manifestNames(defaultManifest);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
