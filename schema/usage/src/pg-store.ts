import pg from 'pg';
import type { UsageBounds } from './config.ts';
import {
  admit,
  clientKey,
  daysBefore,
  UsageStoreError,
  type DayState,
  type OverflowReason,
  type OverflowRecord,
  type RecordingUsageStore,
  type UsageBatch,
  type UsageOperation,
} from './model.ts';

/** Serialises writers (several gateways) and the schema's creation; any constant of our own. */
const LOCK_KEY = 7_311_042_014;

const SCHEMA = `
  CREATE SCHEMA IF NOT EXISTS usage;
  CREATE TABLE IF NOT EXISTS usage.operation (
    hash text PRIMARY KEY,
    name text,
    document text NOT NULL,
    coordinates text[] NOT NULL
  );
  CREATE TABLE IF NOT EXISTS usage.daily_count (
    day date NOT NULL,
    hash text NOT NULL REFERENCES usage.operation (hash) ON DELETE CASCADE,
    client_name text NOT NULL,
    client_version text NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (day, hash, client_name, client_version)
  );
  CREATE INDEX IF NOT EXISTS daily_count_hash ON usage.daily_count (hash);
  CREATE TABLE IF NOT EXISTS usage.overflow (
    day date NOT NULL,
    reason text NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (day, reason)
  );
`;

/**
 * Usage in PostgreSQL (USAGE_DATABASE_URL), in a schema of its own (`usage`) created on first use.
 * Every write runs in one transaction under an advisory lock, so the day's caps hold across
 * gateways and no count is lost.
 */
export class PostgresUsageStore implements RecordingUsageStore {
  readonly location: string;
  private readonly pool: pg.Pool;
  private ready: Promise<void> | undefined;
  private readonly now: () => Date;

  constructor(private readonly config: UsageBounds & { url: string; now?: () => Date }) {
    const url = new URL(config.url);
    this.location = `postgresql database ${url.pathname.slice(1) || url.username} on ${url.hostname}`;
    // Two connections: the gateway's flush and an occasional reader; usage never competes with requests.
    this.pool = new pg.Pool({ connectionString: config.url, max: 2, connectionTimeoutMillis: 10_000 });
    // An idle connection the server drops must not take the process down.
    this.pool.on('error', () => undefined);
    this.now = config.now ?? (() => new Date());
  }

  /** Creates the schema once per store; CREATE ... IF NOT EXISTS races a concurrent creation, under the lock it cannot. */
  private schema(): Promise<void> {
    this.ready ??= this.transaction(async (client) => {
      await client.query(SCHEMA);
    }).catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  /** Runs `fn` in a transaction holding the usage lock. */
  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new UsageStoreError('USAGE_STORE_UNAVAILABLE', `${this.location}: ${(err as Error).message}`);
    }
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async operations({ sinceDay }: { sinceDay: string }): Promise<UsageOperation[]> {
    await this.schema();
    const { rows } = await this.pool.query<{
      hash: string;
      name: string | null;
      document: string;
      coordinates: string[];
      client_name: string;
      client_version: string;
      count: string;
      first_seen: string;
      last_seen: string;
    }>(
      `SELECT o.hash, o.name, o.document, o.coordinates, d.client_name, d.client_version,
              sum(d.count)::text AS count, to_char(min(d.day), 'YYYY-MM-DD') AS first_seen,
              to_char(max(d.day), 'YYYY-MM-DD') AS last_seen
         FROM usage.daily_count d JOIN usage.operation o USING (hash)
        WHERE d.day >= $1::date
        GROUP BY o.hash, d.client_name, d.client_version
        ORDER BY o.hash, d.client_name, d.client_version`,
      [sinceDay],
    );
    const byHash = new Map<string, UsageOperation>();
    for (const row of rows) {
      const count = Number(row.count);
      let op = byHash.get(row.hash);
      if (!op) {
        op = {
          hash: row.hash,
          name: row.name,
          document: row.document,
          coordinates: row.coordinates,
          clients: [],
          firstSeen: row.first_seen,
          lastSeen: row.last_seen,
          count: 0,
        };
        byHash.set(row.hash, op);
      }
      op.count += count;
      if (row.first_seen < op.firstSeen) op.firstSeen = row.first_seen;
      if (row.last_seen > op.lastSeen) op.lastSeen = row.last_seen;
      op.clients.push({ name: row.client_name, version: row.client_version, count, lastSeen: row.last_seen });
    }
    return [...byHash.values()];
  }

  async overflow({ sinceDay }: { sinceDay: string }): Promise<OverflowRecord[]> {
    await this.schema();
    const { rows } = await this.pool.query<{ day: string; reason: OverflowReason; count: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, reason, count::text FROM usage.overflow
        WHERE day >= $1::date ORDER BY day, reason`,
      [sinceDay],
    );
    return rows.map((r) => ({ day: r.day, reason: r.reason, count: Number(r.count) }));
  }

  async record(batch: UsageBatch): Promise<void> {
    await this.schema();
    const cutoff = daysBefore(this.now(), this.config.retentionDays - 1);
    const current = {
      records: batch.records.filter((r) => r.day >= cutoff),
      overflow: (batch.overflow ?? []).filter((o) => o.day >= cutoff),
    };
    await this.transaction(async (client) => {
      const days = [...new Set(current.records.map((r) => r.day))];
      const states = new Map<string, DayState>();
      if (days.length > 0) {
        const { rows } = await client.query<{ day: string; hash: string; client_name: string; client_version: string }>(
          `SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day, hash, client_name, client_version
             FROM usage.daily_count WHERE day = ANY($1::date[])`,
          [days],
        );
        for (const row of rows) {
          let state = states.get(row.day);
          if (!state) states.set(row.day, (state = { operations: new Set(), clients: new Set() }));
          state.operations.add(row.hash);
          state.clients.add(clientKey(row.client_name, row.client_version));
        }
      }
      const { records, overflow } = admit(current, states, this.config);
      const operations = new Map<string, (typeof records)[number] & { all: Set<string> }>();
      for (const r of records) {
        const op = operations.get(r.hash);
        if (op) for (const c of r.coordinates) op.all.add(c);
        else operations.set(r.hash, { ...r, all: new Set(r.coordinates) });
      }
      if (operations.size > 0) {
        const ops = [...operations.values()];
        // Coordinates merge: enum values reached through variables differ per request.
        await client.query(
          `INSERT INTO usage.operation (hash, name, document, coordinates)
           SELECT o.hash, o.name, o.document, ARRAY(SELECT json_array_elements_text(o.coordinates))
             FROM json_to_recordset($1::json) AS o(hash text, name text, document text, coordinates json)
           ON CONFLICT (hash) DO UPDATE SET coordinates = ARRAY(
             SELECT DISTINCT c FROM unnest(usage.operation.coordinates || excluded.coordinates) AS c ORDER BY c)
           WHERE NOT (excluded.coordinates <@ usage.operation.coordinates)`,
          [
            JSON.stringify(
              ops.map((o) => ({ hash: o.hash, name: o.name, document: o.document, coordinates: [...o.all].sort() })),
            ),
          ],
        );
        await client.query(
          `INSERT INTO usage.daily_count AS d (day, hash, client_name, client_version, count)
           SELECT r.day, r.hash, r.client_name, r.client_version, sum(r.count)
             FROM json_to_recordset($1::json) AS r(day date, hash text, client_name text, client_version text, count bigint)
            GROUP BY 1, 2, 3, 4
           ON CONFLICT (day, hash, client_name, client_version) DO UPDATE SET count = d.count + excluded.count`,
          [
            JSON.stringify(
              records.map((r) => ({
                day: r.day,
                hash: r.hash,
                client_name: r.clientName,
                client_version: r.clientVersion,
                count: r.count,
              })),
            ),
          ],
        );
      }
      if (overflow.length > 0) {
        await client.query(
          `INSERT INTO usage.overflow AS o (day, reason, count)
           SELECT r.day, r.reason, sum(r.count) FROM json_to_recordset($1::json) AS r(day date, reason text, count bigint)
            GROUP BY 1, 2
           ON CONFLICT (day, reason) DO UPDATE SET count = o.count + excluded.count`,
          [JSON.stringify(overflow)],
        );
      }
      const pruned = await client.query('DELETE FROM usage.daily_count WHERE day < $1::date', [cutoff]);
      await client.query('DELETE FROM usage.overflow WHERE day < $1::date', [cutoff]);
      if (pruned.rowCount) {
        await client.query(
          `DELETE FROM usage.operation o WHERE NOT EXISTS (SELECT 1 FROM usage.daily_count d WHERE d.hash = o.hash)`,
        );
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
