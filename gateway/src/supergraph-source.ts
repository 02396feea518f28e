import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import { assertValidSchema, parse } from 'graphql';
import { Counter, Gauge, type Registry } from 'prom-client';
import { boolVar, intVar } from '@measure-graph/db';
import { subgraphUrlVariable } from '@measure-graph/subgraph-platform/domains';

/** Where the gateway's supergraph comes from and how changes are noticed (SUPERGRAPH_* variables). */
export interface SupergraphSourceConfig {
  /** `file`: SUPERGRAPH_PATH, watched and polled; `url`: SUPERGRAPH_URL, polled with If-None-Match. */
  kind: 'file' | 'url';
  path: string;
  url?: string;
  /** fs.watch on the file's folder (SUPERGRAPH_WATCH); off leaves the slow poll alone. */
  watch: boolean;
  /** Changes seen within this long become one reload (an editor or `compose` writes in steps). */
  debounceMs: number;
  /** The file is read again this often even without a watch event (0: never): watchers miss renames on some file systems. */
  filePollMs: number;
  /** SUPERGRAPH_URL is asked this often. */
  urlPollMs: number;
  /** Before a swap, every subgraph of the new supergraph must answer `_ready` (SUPERGRAPH_HEALTH_CHECK). */
  healthCheck: boolean;
  /** The <NAME>_URL variables at start: a subgraph that a later supergraph adds finds its URL here. */
  urlVariables: Record<string, string>;
}

const isHttpUrl = (value: string) => /^https?:\/\/[^/]/.test(value) && URL.canParse(value);

/** Reads the SUPERGRAPH_* variables (called once, by loadGatewayConfig). */
export function readSupergraphSourceConfig(
  env: NodeJS.ProcessEnv,
  supergraphPath: string,
  problems: string[],
): SupergraphSourceConfig {
  const url = env.SUPERGRAPH_URL || undefined;
  if (url && !isHttpUrl(url)) problems.push(`SUPERGRAPH_URL must be an http(s) URL, got "${url}"`);
  if (url && env.SUPERGRAPH_PATH)
    problems.push('SUPERGRAPH_URL and SUPERGRAPH_PATH are both set: the gateway takes its supergraph from one source');
  const urlVariables: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (/_URL$/.test(name) && value) urlVariables[name] = value;
  return {
    kind: url ? 'url' : 'file',
    path: supergraphPath,
    ...(url ? { url } : {}),
    watch: boolVar(env, 'SUPERGRAPH_WATCH', true, problems),
    debounceMs: intVar(env, 'SUPERGRAPH_WATCH_DEBOUNCE_MS', 200, problems, { min: 0, max: 60_000 }),
    filePollMs: intVar(env, 'SUPERGRAPH_FILE_POLL_SECONDS', 10, problems, { min: 0, max: 86_400 }) * 1000,
    urlPollMs: intVar(env, 'SUPERGRAPH_POLL_SECONDS', 30, problems, { min: 1, max: 86_400 }) * 1000,
    healthCheck: boolVar(env, 'SUPERGRAPH_HEALTH_CHECK', false, problems),
    urlVariables,
  };
}

/** Why a supergraph was not taken; the code is in the log line and the reload metric. */
export class SupergraphRefused extends Error {
  constructor(
    readonly code:
      | 'SUPERGRAPH_UNREADABLE'
      | 'SUPERGRAPH_UNPARSABLE'
      | 'SUPERGRAPH_INVALID'
      | 'SUPERGRAPH_SUBGRAPH_URL_MISSING'
      | 'SUPERGRAPH_HEALTH_CHECK_FAILED'
      | 'SUPERGRAPH_UPDATE_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'SupergraphRefused';
  }
}

export const supergraphHash = (sdl: string) => createHash('sha256').update(sdl).digest('hex');

/**
 * The URL the gateway calls for a subgraph: its <NAME>_URL variable, otherwise the URL the
 * supergraph names (the composed default). Undefined when neither is a usable http(s) URL.
 */
export function subgraphUrlOf(
  config: Pick<SupergraphSourceConfig, 'urlVariables'>,
  name: string,
  supergraphUrl: string | undefined,
): string | undefined {
  const override = config.urlVariables[subgraphUrlVariable(name)];
  if (override) return isHttpUrl(override) ? override : undefined;
  return supergraphUrl && isHttpUrl(supergraphUrl) ? supergraphUrl : undefined;
}

export interface CheckedSupergraph {
  sdl: string;
  hash: string;
  /** Subgraph name -> the URL the gateway will call. */
  subgraphUrls: Record<string, string>;
}

/**
 * Everything @apollo/gateway does with a supergraph that can fail, done first on the side: the
 * gateway's own update assigns part of its state before the steps that can throw, so a supergraph
 * that fails there would leave it half-swapped.
 */
export function checkSupergraph(sdl: string, config: Pick<SupergraphSourceConfig, 'urlVariables'>): CheckedSupergraph {
  if (sdl.trim() === '') throw new SupergraphRefused('SUPERGRAPH_UNPARSABLE', 'the supergraph is empty');
  try {
    parse(sdl, { noLocation: true });
  } catch (err) {
    throw new SupergraphRefused('SUPERGRAPH_UNPARSABLE', (err as Error).message);
  }
  let supergraph: Supergraph;
  try {
    supergraph = Supergraph.build(sdl, { validateSupergraph: true });
    assertValidSchema(supergraph.apiSchema().toGraphQLJSSchema());
  } catch (err) {
    throw new SupergraphRefused('SUPERGRAPH_INVALID', (err as Error).message.split('\n').slice(0, 5).join(' '));
  }
  const subgraphUrls: Record<string, string> = {};
  const missing: string[] = [];
  for (const { name, url } of supergraph.subgraphsMetadata()) {
    const resolved = subgraphUrlOf(config, name, url);
    if (resolved) subgraphUrls[name] = resolved;
    else missing.push(`${name} (set ${subgraphUrlVariable(name)})`);
  }
  if (missing.length > 0)
    throw new SupergraphRefused('SUPERGRAPH_SUBGRAPH_URL_MISSING', `no usable URL for ${missing.join(', ')}`);
  return { sdl, hash: supergraphHash(sdl), subgraphUrls };
}

/** The supergraph metrics, in the gateway's registry. */
export function supergraphMetrics(registry: Registry) {
  return {
    info: new Gauge({
      name: 'supergraph_info',
      help: 'The supergraph being served (1), by the sha256 of its SDL',
      labelNames: ['hash'] as const,
      registers: [registry],
    }),
    reloads: new Counter({
      name: 'supergraph_reloads_total',
      help: 'New supergraphs seen after start, by result (applied, refused) and refusal code',
      labelNames: ['result', 'code'] as const,
      registers: [registry],
    }),
    loadedAt: new Gauge({
      name: 'supergraph_loaded_timestamp_seconds',
      help: 'When the supergraph being served was taken',
      registers: [registry],
    }),
  };
}

export interface ActiveSupergraph extends CheckedSupergraph {
  loadedAt: Date;
  /** The file or URL it came from. */
  origin: string;
}

export interface SupergraphLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface SupergraphSourceOptions {
  config: SupergraphSourceConfig;
  /** The SDL read by the configuration, used for the first load when the source is a file. */
  initialSdl?: string;
  metrics: ReturnType<typeof supergraphMetrics>;
  logger: SupergraphLogger;
  /** Readiness of the new supergraph's subgraphs; a failing state per subgraph name. */
  healthCheck?: (urls: Record<string, string>) => Promise<{ ready: boolean; subgraphs: Record<string, string> }>;
}

export interface SupergraphSource {
  /** For ApolloGateway's `supergraphSdl` option. */
  hook: SupergraphSdlHook;
  active(): ActiveSupergraph;
  /** Reads the source now (a test, or a signal) instead of waiting for a watch event or the poll. */
  reloadNow(): Promise<void>;
}

/**
 * The gateway's supergraph, taken again whenever its file or URL changes: through @apollo/gateway's
 * `supergraphSdl` hook, whose `update` swaps schema, query planner and plan cache in one synchronous
 * step, so a request runs either wholly on the old supergraph or plans on the new one, and the
 * server is never rebuilt. A supergraph that does not load is refused with a log line and the
 * active one keeps serving.
 */
export function createSupergraphSource(options: SupergraphSourceOptions): SupergraphSource {
  const { config, metrics, logger } = options;
  const origin = config.kind === 'url' ? config.url! : config.path;
  let active: ActiveSupergraph | undefined;
  let update: ((sdl: string) => void) | undefined;
  let etag: string | undefined;
  // The last refusal, so a poll that finds the same broken supergraph again logs and counts it once.
  let lastRefusal = '';
  let queue: Promise<void> = Promise.resolve();
  const timers: NodeJS.Timeout[] = [];
  let watcher: fs.FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;

  const activate = (checked: CheckedSupergraph) => {
    const previous = active;
    active = { ...checked, loadedAt: new Date(), origin };
    if (previous) metrics.info.remove({ hash: previous.hash });
    metrics.info.set({ hash: checked.hash }, 1);
    metrics.loadedAt.set(active.loadedAt.getTime() / 1000);
  };

  /** The source's current text, or null when unchanged since the last look (HTTP 304). */
  async function read(): Promise<string | null> {
    if (config.kind === 'file') {
      try {
        return await fs.promises.readFile(config.path, 'utf8');
      } catch (err) {
        throw new SupergraphRefused('SUPERGRAPH_UNREADABLE', `cannot read ${config.path}: ${(err as Error).message}`);
      }
    }
    let res: Response;
    try {
      res = await fetch(config.url!, {
        headers: etag ? { 'if-none-match': etag } : {},
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new SupergraphRefused('SUPERGRAPH_UNREADABLE', `cannot fetch ${config.url}: ${(err as Error).message}`);
    }
    if (res.status === 304) return null;
    if (!res.ok) {
      await res.body?.cancel();
      throw new SupergraphRefused('SUPERGRAPH_UNREADABLE', `${config.url} answered HTTP ${res.status}`);
    }
    const text = await res.text();
    etag = res.headers.get('etag') ?? undefined;
    return text;
  }

  async function consider(): Promise<void> {
    let sdl: string | null;
    let checked: CheckedSupergraph;
    let took = 0;
    try {
      sdl = await read();
      if (sdl === null || supergraphHash(sdl) === active?.hash) return;
      checked = checkSupergraph(sdl, config);
      if (config.healthCheck && options.healthCheck) {
        const report = await options.healthCheck(checked.subgraphUrls);
        if (!report.ready) {
          const failing = Object.entries(report.subgraphs).filter(([, state]) => state !== 'ok');
          throw new SupergraphRefused(
            'SUPERGRAPH_HEALTH_CHECK_FAILED',
            `subgraphs not ready: ${failing.map(([name, state]) => `${name} ${state}`).join(', ')}`,
          );
        }
      }
      // The swap runs synchronously (requests wait, none fails); its length is logged.
      const swapStarted = performance.now();
      try {
        update!(checked.sdl);
        took = Math.round(performance.now() - swapStarted);
      } catch (err) {
        throw new SupergraphRefused('SUPERGRAPH_UPDATE_FAILED', (err as Error).message);
      }
    } catch (err) {
      if (!(err instanceof SupergraphRefused)) throw err;
      const key = `${err.code} ${err.message}`;
      if (key === lastRefusal) return;
      lastRefusal = key;
      metrics.reloads.inc({ result: 'refused', code: err.code });
      logger.error('supergraph refused: the active one keeps serving', {
        code: err.code,
        reason: err.message,
        source: origin,
        activeHash: active?.hash,
      });
      return;
    }
    const previous = active!.hash;
    activate(checked);
    lastRefusal = '';
    metrics.reloads.inc({ result: 'applied', code: '' });
    logger.info('supergraph reloaded', {
      hash: checked.hash,
      previousHash: previous,
      source: origin,
      subgraphs: Object.keys(checked.subgraphUrls),
      swapMs: took,
    });
  }

  // One look at a time: a watch event during a health check waits for it instead of racing it.
  const reloadNow = () => {
    queue = queue.then(consider).catch((err: unknown) => {
      logger.error('supergraph reload failed unexpectedly', { error: (err as Error).message });
    });
    return queue;
  };

  function watch() {
    if (config.kind === 'url') {
      timers.push(setInterval(() => void reloadNow(), config.urlPollMs).unref());
      return;
    }
    if (config.filePollMs > 0) timers.push(setInterval(() => void reloadNow(), config.filePollMs).unref());
    if (!config.watch) return;
    // The folder, not the file: a file replaced by rename (an atomic write, a Kubernetes ConfigMap)
    // is a new inode that a watch on the old file never reports.
    const file = path.basename(config.path);
    try {
      watcher = fs.watch(path.dirname(config.path), { persistent: false }, (_event, name) => {
        if (name !== null && name !== file) return;
        clearTimeout(debounce);
        debounce = setTimeout(() => void reloadNow(), config.debounceMs).unref();
      });
      watcher.on('error', (err) => logger.error('supergraph watch failed: polling only', { error: err.message }));
    } catch (err) {
      logger.error('supergraph watch unavailable: polling only', { error: (err as Error).message });
    }
  }

  const hook: SupergraphSdlHook = async (hookOptions) => {
    const first = config.kind === 'file' && options.initialSdl ? options.initialSdl : await read();
    // A first supergraph that does not load fails the start, as before live reload.
    const checked = checkSupergraph(first ?? '', config);
    activate(checked);
    update = hookOptions.update;
    watch();
    return {
      supergraphSdl: checked.sdl,
      async cleanup() {
        watcher?.close();
        clearTimeout(debounce);
        for (const timer of timers) clearInterval(timer);
        await queue;
      },
    };
  };

  return {
    hook,
    reloadNow,
    active() {
      if (!active) throw new Error('the supergraph is not loaded yet');
      return active;
    },
  };
}
