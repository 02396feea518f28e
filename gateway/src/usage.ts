import type { ApolloServerPlugin, GraphQLRequestContextExecutionDidStart } from '@apollo/server';
import { print, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { boolVar, intVar } from '@measure-graph/db';
import {
  coordinatesOf,
  createUsageStore,
  readUsageStoreConfig,
  variableCoordinates,
  type DocumentCoordinates,
  type OverflowRecord,
  type RecordingUsageStore,
  type UsageRecord,
  type UsageStoreConfig,
} from '@measure-graph/schema-usage';
import { createLogger, describeError } from '@measure-graph/subgraph-platform/log';

const logger = createLogger('gateway');

/** Headers Apollo's clients send (and GraphOS reads); documented in docs/operations.md. */
export const CLIENT_NAME_HEADER = 'apollographql-client-name';
export const CLIENT_VERSION_HEADER = 'apollographql-client-version';
/** Header values are the client's choice: kept short, so a hostile client cannot fill the store. */
const MAX_CLIENT_LENGTH = 64;

export interface UsageRecordingConfig {
  /** USAGE_RECORDING (default on). */
  enabled: boolean;
  /** Where and how much (USAGE_DATABASE_URL or USAGE_FILE, caps, retention). */
  store: UsageStoreConfig;
  /** Counts are kept in memory and written this often (USAGE_FLUSH_SECONDS), and on shutdown. */
  flushMs: number;
  /** Distinct documents whose coordinates are kept in memory (computed once each). */
  cacheSize: number;
}

export function readUsageRecordingConfig(env: NodeJS.ProcessEnv, problems: string[]): UsageRecordingConfig {
  return {
    enabled: boolVar(env, 'USAGE_RECORDING', true, problems, 'on or off'),
    store: readUsageStoreConfig(env, problems),
    flushMs: intVar(env, 'USAGE_FLUSH_SECONDS', 30, problems, { min: 1, max: 3_600 }) * 1000,
    cacheSize: 2_000,
  };
}

/** A header value as recorded: `unknown` when absent, control characters dropped, length capped. */
export function clientLabel(value: string | undefined): string {
  const clean = (value ?? '')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, MAX_CLIENT_LENGTH);
  return clean === '' ? 'unknown' : clean;
}

/**
 * The document as stored: string literals emptied (a literal may hold a national number or a
 * name; variable values are never read into the store at all). It still validates against a
 * schema as the original does, which is what the check needs it for.
 */
export function storedDocument(document: DocumentNode): string {
  return print(visit(document, { StringValue: (node) => ({ ...node, value: '', block: false }) }));
}

interface KnownDocument {
  schema: GraphQLSchema;
  name: string | null;
  document: string;
  uses: DocumentCoordinates;
}

interface Pending extends UsageRecord {
  /** Enum values and input fields named by variables, beyond the document's own coordinates. */
  extra?: Set<string>;
}

/** The UTC day, recomputed only when midnight passes. */
function utcDay() {
  let day = '';
  let until = 0;
  return (now = Date.now()): string => {
    if (now >= until) {
      const at = new Date(now);
      day = at.toISOString().slice(0, 10);
      until = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1);
    }
    return day;
  };
}

export interface UsageRecorder {
  plugin: ApolloServerPlugin;
  /** Where usage goes (a file, or the PostgreSQL database), for the startup log. */
  location: string;
  /** Writes what is counted so far (tests, shutdown). */
  flush(): Promise<void>;
  /** Stops the timer, writes the rest and closes the store. */
  stop(): Promise<void>;
}

/**
 * Records which schema coordinates each executed operation uses, per client and day: counts are
 * aggregated in memory (a map lookup per request; the document's coordinates are computed once per
 * distinct document) and written to the store in the background. A store failure is logged and
 * the batch dropped; it never reaches a request.
 */
export function startUsageRecording(
  config: UsageRecordingConfig,
  store: RecordingUsageStore = createUsageStore(config.store),
): UsageRecorder {
  const known = new Map<string, KnownDocument>();
  let pending = new Map<string, Pending>();
  let overflow = new Map<string, OverflowRecord>();
  const today = utcDay();
  // In memory the day's cap bounds each batch too; the store applies it again across batches.
  const maxPending = config.store.maxOperationsPerDay * 4;

  const countOverflow = (day: string, reason: OverflowRecord['reason']) => {
    const key = `${day}|${reason}`;
    const entry = overflow.get(key);
    if (entry) entry.count++;
    else overflow.set(key, { day, reason, count: 1 });
  };

  const documentOf = (ctx: GraphQLRequestContextExecutionDidStart<Record<string, unknown>>): KnownDocument => {
    const hash = ctx.queryHash;
    let doc = known.get(hash);
    if (doc && doc.schema === ctx.schema) return doc;
    doc = {
      schema: ctx.schema,
      name: ctx.operationName ?? null,
      document: storedDocument(ctx.document),
      uses: coordinatesOf(ctx.schema, ctx.document),
    };
    if (known.size >= config.cacheSize) known.delete(known.keys().next().value!);
    known.set(hash, doc);
    return doc;
  };

  const count = (ctx: GraphQLRequestContextExecutionDidStart<Record<string, unknown>>) => {
    const day = today();
    const headers = ctx.request.http?.headers;
    const clientName = clientLabel(headers?.get(CLIENT_NAME_HEADER));
    const clientVersion = clientLabel(headers?.get(CLIENT_VERSION_HEADER));
    const key = `${day}\u0000${ctx.queryHash}\u0000${clientName}\u0000${clientVersion}`;
    let entry = pending.get(key);
    if (!entry && pending.size >= maxPending) return countOverflow(day, 'operations');
    const doc = documentOf(ctx);
    if (!entry) {
      if (Buffer.byteLength(doc.document) > config.store.maxDocumentBytes) return countOverflow(day, 'documentSize');
      entry = {
        day,
        hash: ctx.queryHash,
        name: doc.name,
        document: doc.document,
        coordinates: doc.uses.coordinates,
        clientName,
        clientVersion,
        count: 0,
      };
      pending.set(key, entry);
    }
    entry.count++;
    if (doc.uses.variables.length > 0) {
      entry.extra ??= new Set();
      variableCoordinates(doc.uses, ctx.request.variables, entry.extra);
    }
  };

  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (pending.size === 0 && overflow.size === 0) return writing;
    const records = [...pending.values()].map(({ extra, ...record }) =>
      extra && extra.size > 0 ? { ...record, coordinates: [...record.coordinates, ...extra] } : record,
    );
    const batch = { records, overflow: [...overflow.values()] };
    pending = new Map();
    overflow = new Map();
    writing = writing.then(async () => {
      try {
        await store.record(batch);
      } catch (err) {
        logger.warn('usage not recorded: the store failed; this batch is dropped', {
          store: store.location,
          executions: batch.records.reduce((n, r) => n + r.count, 0),
          ...describeError(err),
        });
      }
    });
    return writing;
  };

  const timer = setInterval(() => void flush(), config.flushMs);
  // The timer alone keeps no process alive (a test, a CLI): shutdown flushes what is left.
  timer.unref();

  return {
    location: store.location,
    plugin: {
      async requestDidStart() {
        return {
          async executionDidStart(ctx) {
            try {
              count(ctx as GraphQLRequestContextExecutionDidStart<Record<string, unknown>>);
            } catch (err) {
              logger.warn('usage not counted for a request', describeError(err));
            }
          },
        };
      },
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
      await store.close().catch((err) => logger.warn('usage store did not close', describeError(err)));
    },
  };
}
