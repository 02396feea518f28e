import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import { PrefixingKeyValueCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import KeyvRedis, { createClient } from '@keyv/redis';
import { intVar, ConfigError } from '@measure-graph/db';
import { Keyv } from 'keyv';

/** Automatic persisted queries: where Apollo keeps the documents it learns by hash. */
export interface ApqConfig {
  /** REDIS_URL: shared by every gateway replica; unset: each process keeps its own in memory. */
  redisUrl: string | null;
  /** REDIS_KEY_PREFIX, before Apollo's own `apq:`. */
  keyPrefix: string;
  /** APQ_TTL_SECONDS: how long a registered document is kept after it was last registered. */
  ttlSeconds: number;
}

export function readApqConfig(env: NodeJS.ProcessEnv, problems: string[]): ApqConfig {
  const redisUrl = env.REDIS_URL?.trim() || null;
  if (redisUrl && !(/^rediss?:\/\/./.test(redisUrl) && URL.canParse(redisUrl))) {
    problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  }
  const keyPrefix = env.REDIS_KEY_PREFIX ?? 'measure-graph:';
  if (!/^[\w.:-]{0,100}$/.test(keyPrefix)) {
    problems.push(
      `REDIS_KEY_PREFIX may hold letters, digits and _ . : - (at most 100), got "${keyPrefix.slice(0, 100)}"`,
    );
  }
  return {
    redisUrl,
    keyPrefix,
    ttlSeconds: intVar(env, 'APQ_TTL_SECONDS', 86_400, problems, { min: 1, max: 31_536_000 }),
  };
}

/** A Redis command the APQ store waits for at most this long: past it, a miss (the client resends the text). */
const REDIS_COMMAND_TIMEOUT_MS = 500;
const REDIS_CONNECT_TIMEOUT_MS = 3_000;

interface Logger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Turns every failure or slow answer of the store into a miss (get) or nothing (set), logged at
 * most once a minute: Apollo awaits an APQ lookup without catching, and a Redis outage must cost
 * clients one resend of the full query, never a failed request.
 */
function resilient(inner: KeyValueCache<string>, logger: Logger): KeyValueCache<string> {
  let lastLogged = 0;
  const failed = (op: string) => (err: unknown) => {
    if (Date.now() - lastLogged > 60_000) {
      lastLogged = Date.now();
      logger.warn('APQ store (Redis) unavailable: persisted queries miss until it answers', {
        op,
        error: (err as Error)?.message ?? String(err),
      });
    }
    return undefined;
  };
  const bounded = <T>(op: string, promise: Promise<T>): Promise<T | undefined> =>
    new Promise<T | undefined>((resolve) => {
      const timer = setTimeout(
        () => resolve(failed(op)(new Error(`no answer in ${REDIS_COMMAND_TIMEOUT_MS} ms`))),
        REDIS_COMMAND_TIMEOUT_MS,
      );
      promise
        .then(
          (value) => resolve(value),
          (err) => resolve(failed(op)(err)),
        )
        .finally(() => clearTimeout(timer));
    });
  return {
    get: (key) => bounded('get', inner.get(key)),
    set: async (key, value, options) => void (await bounded('set', inner.set(key, value, options))),
    delete: async (key) => (await bounded('delete', Promise.resolve(inner.delete(key)))) ?? false,
  };
}

export interface ApqStore {
  cache: KeyValueCache<string>;
  close(): Promise<void>;
}

/**
 * The Redis APQ store: Apollo's KeyValueCache over Keyv and @keyv/redis (node-redis), the adapter
 * Apollo documents for a shared cache. Commands fail at once while Redis is away (no offline
 * queue) and the client reconnects in the background. In production an unreachable Redis at start
 * refuses the start (a ConfigError); elsewhere it is logged and the gateway starts (misses).
 */
export async function openApqStore(
  config: ApqConfig & { redisUrl: string },
  production: boolean,
  logger: Logger,
): Promise<ApqStore> {
  const client = createClient({
    url: config.redisUrl,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000),
    },
  });
  let lastError = 0;
  // Without a listener node-redis' 'error' event would end the process.
  client.on('error', (err: Error) => {
    if (Date.now() - lastError > 60_000) {
      lastError = Date.now();
      logger.warn('Redis (APQ store) connection error', { error: err.message });
    }
  });
  const connected = client.connect().then(
    () => true,
    () => false,
  );
  const ok = await Promise.race([
    connected,
    new Promise<false>((resolve) => setTimeout(() => resolve(false), REDIS_CONNECT_TIMEOUT_MS).unref()),
  ]);
  if (!ok) {
    if (production) {
      client.destroy();
      throw new ConfigError([
        `REDIS_URL: Redis at ${redactedUrl(config.redisUrl)} does not answer; the APQ store of gateway replicas needs it (unset REDIS_URL to keep APQ in memory)`,
      ]);
    }
    logger.warn('Redis (APQ store) unreachable at start: automatic persisted queries miss until it answers', {
      redis: redactedUrl(config.redisUrl),
    });
  }
  const store = new KeyvRedis(client as never, { throwOnErrors: true, throwOnConnectError: false });
  const keyv = new Keyv<string>({ store, useKeyPrefix: false, throwOnErrors: true });
  // Our prefix (REDIS_KEY_PREFIX) is the only one: no `keyv:` namespace before Apollo's `apq:` keys.
  keyv.namespace = undefined;
  // Keyv's own 'error' events are the rejections the wrapper already logs.
  keyv.on('error', () => {});
  // `as never`: the adapter has its own copy of the same keyv 5.6.0 (the root holds eslint's keyv 4), so TypeScript sees two classes.
  const cache = resilient(
    new PrefixingKeyValueCache(new KeyvAdapter(keyv as never) as KeyValueCache<string>, config.keyPrefix),
    logger,
  );
  return {
    cache,
    async close() {
      try {
        if (client.isOpen) await client.close();
        else client.destroy();
      } catch {
        client.destroy();
      }
    },
  };
}

/** The Redis URL without its password, for logs and errors. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://?';
  }
}
