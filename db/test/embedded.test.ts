import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/embedded.ts';

let dir: string;
const running = new Set<EmbeddedPostgres>();

async function start(dataDir: string | 'memory'): Promise<EmbeddedPostgres> {
  const embedded = await startEmbeddedPostgres({ dataDir });
  running.add(embedded);
  return embedded;
}

async function stop(embedded: EmbeddedPostgres): Promise<void> {
  running.delete(embedded);
  await embedded.stop();
}

/** Runs one query over a fresh connection, so nothing stays open between server restarts. */
async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'measure-graph-pglite-'));
});

afterAll(async () => {
  for (const embedded of running) await embedded.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('startEmbeddedPostgres', () => {
  it('serves the wire protocol on a free local port', async () => {
    const embedded = await start('memory');
    const url = new URL(embedded.url);
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    const [row] = await query<{ version: string }>(embedded.url, 'SELECT version()');
    expect(row!.version).toMatch(/^PostgreSQL \d+/);
    await stop(embedded);
    await expect(query(embedded.url, 'SELECT 1')).rejects.toThrow();
  });

  it('keeps data in the data folder across a stop and a start', async () => {
    const dataDir = path.join(dir, 'nested', 'pgdata');
    const first = await start(dataDir);
    await query(first.url, 'CREATE TABLE note (id integer PRIMARY KEY, body text NOT NULL)');
    await query(first.url, 'INSERT INTO note VALUES ($1, $2)', [1, 'survives a restart']);
    await stop(first);
    expect((await fs.readdir(dataDir)).length).toBeGreaterThan(0);

    const second = await start(dataDir);
    expect(await query(second.url, 'SELECT id, body FROM note')).toEqual([{ id: 1, body: 'survives a restart' }]);
    await stop(second);
  });

  it('does not share data between in-memory instances', async () => {
    const a = await start('memory');
    const b = await start('memory');
    await query(a.url, 'CREATE TABLE only_in_a (id integer)');
    await expect(query(b.url, 'SELECT * FROM only_in_a')).rejects.toThrow(/only_in_a/);
    await stop(a);
    await stop(b);
  });

  it('serves several connections at once', async () => {
    const embedded = await start('memory');
    const pool = new pg.Pool({ connectionString: embedded.url, max: 4 });
    try {
      await pool.query('CREATE TABLE counter (n integer NOT NULL)');
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => pool.query<{ n: number }>('SELECT $1::int * 2 AS n', [i])),
      );
      expect(results.map((r) => r.rows[0]!.n)).toEqual(Array.from({ length: 12 }, (_, i) => i * 2));

      // Hold four connections at the same time, each writing through its own client.
      const clients = await Promise.all(Array.from({ length: 4 }, () => pool.connect()));
      try {
        expect(pool.totalCount).toBe(4);
        await Promise.all(clients.map((c, i) => c.query('INSERT INTO counter VALUES ($1)', [i])));
      } finally {
        for (const c of clients) c.release();
      }
      const [sum] = (await pool.query<{ total: number }>('SELECT sum(n)::int AS total FROM counter')).rows;
      expect(sum!.total).toBe(0 + 1 + 2 + 3);
    } finally {
      await pool.end();
      await stop(embedded);
    }
  });

  it('keeps concurrent queries and transactions of many connections apart', async () => {
    // pglite-socket's own queue hangs on this mix (a transaction starting while another connection
    // is half-way through an extended-protocol exchange); see wire-queue.ts.
    const embedded = await start('memory');
    const pools = Array.from({ length: 3 }, () => new pg.Pool({ connectionString: embedded.url, max: 5 }));
    try {
      await pools[0]!.query('CREATE TABLE t (n int)');
      const inTransaction = async (i: number) => {
        const client = await pools[i % 3]!.connect();
        try {
          await client.query('BEGIN');
          await client.query('INSERT INTO t VALUES ($1)', [i]);
          const r = await client.query(`SELECT $1::int AS n, 'tx${i}' AS label`, [i]);
          await client.query('COMMIT');
          return r.rows[0].label;
        } finally {
          client.release();
        }
      };
      const plain = async (i: number) =>
        (await pools[i % 3]!.query(`SELECT $1::int AS n, 'q${i}' AS label`, [i])).rows[0].label;
      const asked = Array.from({ length: 200 }, (_, i) => i);
      const labels = await Promise.all(asked.map((i) => (i % 4 === 0 ? inTransaction(i) : plain(i))));
      expect(labels).toEqual(asked.map((i) => (i % 4 === 0 ? `tx${i}` : `q${i}`)));
      expect((await pools[1]!.query('SELECT count(*)::int AS c FROM t')).rows[0].c).toBe(50);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await stop(embedded);
    }
  });
});
