import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_PASSWORD_FILE, startEmbeddedPostgres, type EmbeddedPostgres } from '../src/embedded.ts';

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

/** Sends raw bytes to the wire server and collects what it answers until it closes the connection. */
async function exchange(url: string, ...messages: Buffer[]): Promise<Buffer> {
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (d) => received.push(d));
  await new Promise((resolve) => socket.once('connect', resolve));
  for (const m of messages) socket.write(m);
  await new Promise((resolve) => socket.once('close', resolve));
  return Buffer.concat(received);
}

function startupPacket(user: string): Buffer {
  const params = Buffer.from(`user\0${user}\0database\0postgres\0\0`);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, params]);
}

describe('the password of the embedded database', () => {
  const withPassword = (url: string, password: string | null) => {
    const u = new URL(url);
    u.password = password ?? '';
    return u.toString();
  };
  const connectError = async (connectionString: string) => {
    const client = new pg.Client({ connectionString, password: undefined });
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (err) {
      return err as Error & { code?: string };
    } finally {
      await client.end().catch(() => {});
    }
    throw new Error('connected without the right password');
  };

  it('refuses a connection without a password or with a wrong one, serves one with the right one', async () => {
    const embedded = await start('memory');
    try {
      expect(embedded.url).toMatch(/^postgres:\/\/postgres:[0-9a-f]{48}@127\.0\.0\.1:\d+\/postgres$/);
      expect(embedded.publicUrl).toBe(withPassword(embedded.url, null));
      expect(embedded.passwordFile).toBeUndefined();

      const wrong = await connectError(withPassword(embedded.url, 'not-the-password'));
      expect(wrong.code).toBe('28P01');
      expect(wrong.message).toMatch(/password authentication failed/);
      // pg refuses on its side when the server asks for a password it was not given.
      expect((await connectError(embedded.publicUrl)).message).toMatch(/password/);
      expect(await query(embedded.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await stop(embedded);
    }
  });

  it('lets nothing reach the database before the password is proven', async () => {
    const embedded = await start('memory');
    try {
      // Startup packet, then straight to a query: the server asks for SCRAM, then answers the
      // query with a FATAL error and closes; no ReadyForQuery (Z) or row ever comes back.
      const sql = Buffer.from('SELECT 1\0');
      const queryMessage = Buffer.concat([Buffer.from('Q'), Buffer.alloc(4), sql]);
      queryMessage.writeInt32BE(4 + sql.length, 1);
      const answer = await exchange(embedded.url, startupPacket('postgres'), queryMessage);
      expect(answer[0]).toBe('R'.charCodeAt(0));
      expect(answer.readInt32BE(5)).toBe(10); // AuthenticationSASL
      expect(answer.toString('latin1')).toContain('SCRAM-SHA-256');
      const error = answer.subarray(answer.indexOf('E', 9, 'latin1'));
      expect(error.toString('latin1')).toMatch(/SFATAL/);
      expect(answer.includes(Buffer.from('Z\0\0\0\x05'))).toBe(false);

      // An SSL request is declined (plain text on the loopback), like a server without SSL does.
      const ssl = Buffer.alloc(8);
      ssl.writeInt32BE(8, 0);
      ssl.writeInt32BE(80877103, 4);
      const socket = net.connect(Number(new URL(embedded.url).port), '127.0.0.1');
      const first = await new Promise<Buffer>((resolve) => {
        socket.once('data', resolve);
        socket.write(ssl);
      });
      socket.destroy();
      expect(first.toString()).toBe('N');
    } finally {
      await stop(embedded);
    }
  });

  it('makes a new password for each in-memory start', async () => {
    const a = await start('memory');
    const b = await start('memory');
    expect(new URL(a.url).password).not.toBe(new URL(b.url).password);
    await expect(query(withPassword(b.url, new URL(a.url).password), 'SELECT 1')).rejects.toThrow(/password/);
    await stop(a);
    await stop(b);
  });

  it('keeps the password of a data folder in a file of mode 0600, reused by the next start', async () => {
    const dataDir = path.join(dir, 'with-password');
    const first = await start(dataDir);
    const file = path.join(dataDir, EMBEDDED_PASSWORD_FILE);
    expect(first.passwordFile).toBe(file);
    const password = (await fs.readFile(file, 'utf8')).trim();
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(new URL(first.url).password).toBe(password);
    await stop(first);

    const second = await start(dataDir);
    expect(new URL(second.url).password).toBe(password);
    expect(await query(second.url, 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
    await stop(second);

    // A password file others may read is refused: the password may have leaked.
    await fs.chmod(file, 0o644);
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/readable by its owner only/);
    await fs.chmod(file, 0o600);
  });
});

describe('one process per data folder', () => {
  it('refuses a second start on a folder in use, names the process, and allows it after the stop', async () => {
    const folder = path.join(dir, 'locked');
    const first = await start(folder);
    await expect(startEmbeddedPostgres({ dataDir: folder })).rejects.toMatchObject({
      code: 'DATA_DIR_IN_USE',
      message: expect.stringContaining(`in use by process ${process.pid}`),
    });
    // The refused start changed nothing: the running one still answers.
    expect(await query(first.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await stop(first);
    const again = await start(folder);
    expect(await query(again.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await stop(again);
  });

  it('takes over the lock of a process that no longer runs', async () => {
    const folder = path.join(dir, 'stale');
    // A pid that is certainly gone: a child that has exited.
    const { spawnSync } = await import('node:child_process');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    await fs.writeFile(`${folder}.lock`, gone);
    const embedded = await start(folder);
    expect(await fs.readFile(`${folder}.lock`, 'utf8')).toBe(String(process.pid));
    await stop(embedded);
    await expect(fs.access(`${folder}.lock`)).rejects.toThrow();
  });
});
