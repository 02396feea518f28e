import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net, { type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { lockDataDir } from './data-dir-lock.ts';
import { readOrCreatePrivateFile } from './private-file.ts';
import { authenticate, scramVerifier } from './wire-auth.ts';
import { SerialWireQueue } from './wire-queue.ts';

/** A running embedded Postgres reachable through the normal wire protocol. */
export interface EmbeddedPostgres {
  /** postgres:// URL that `pg` (and so TypeORM) connects to; it carries the password. */
  url: string;
  /** The same URL without the password, to print (psql asks for the password or reads PGPASSWORD). */
  publicUrl: string;
  /** File holding the password (mode 0600, inside the data folder); none for an in-memory database. */
  passwordFile?: string;
  stop(): Promise<void>;
}

/** Name of the password file inside the data folder. */
export const EMBEDDED_PASSWORD_FILE = 'measure-graph.password';
/**
 * Name of the file, inside the data folder, holding the port of the running wire server (removed on
 * stop): a command run beside `npm start` (e.g. `npm run apikey`) connects there with the password.
 */
export const EMBEDDED_PORT_FILE = 'measure-graph.port';

export interface EmbeddedPostgresOptions {
  /** Folder to persist to; `memory` keeps everything in memory (tests). */
  dataDir: string | 'memory';
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Concurrent client connections the multiplexer accepts. */
  maxConnections?: number;
}

/**
 * Starts PGlite (real Postgres compiled to WASM, in this process) behind a Postgres wire-protocol
 * socket, so subgraphs use the same `pg` driver and migrations as against a production server.
 * PGlite executes one transaction at a time: code inside a transaction must use only that
 * transaction's query runner, or it waits for itself.
 *
 * PGlite itself trusts every connection, so the socket listens on 127.0.0.1 only and asks for a
 * password (SCRAM-SHA-256, see wire-auth.ts) before a connection reaches PGlite: one generated at
 * the first start and kept in the data folder (mode 0600), or a random one per start in memory.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  let db: PGlite;
  let password: string;
  let passwordFile: string | undefined;
  let release = () => {};
  const newPassword = () => randomBytes(24).toString('hex');
  if (options.dataDir === 'memory') {
    db = await PGlite.create();
    password = newPassword();
  } else {
    await fs.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    release = lockDataDir(options.dataDir);
    try {
      db = await PGlite.create({ dataDir: options.dataDir });
    } catch (err) {
      release();
      throw err;
    }
    // Made once PGlite has initialised the folder (its initdb expects an empty one).
    passwordFile = path.join(options.dataDir, EMBEDDED_PASSWORD_FILE);
    try {
      password = readOrCreatePrivateFile(passwordFile, newPassword);
    } catch (err) {
      await db.close();
      release();
      throw err;
    }
  }
  const verifier = scramVerifier(password);
  // pglite-socket's handler speaks the wire protocol; the queue is ours (see wire-queue.ts).
  const queue = new SerialWireQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const authenticating = new Set<Socket>();
  const server = net.createServer(async (socket) => {
    if (handlers.size + authenticating.size >= (options.maxConnections ?? 100)) {
      socket.destroy();
      return;
    }
    // A reset connection is no reason to stop the process: 'close' cleans up after it.
    socket.on('error', () => {});
    authenticating.add(socket);
    const accepted = await authenticate(socket, verifier);
    authenticating.delete(socket);
    if (!accepted || socket.destroyed) return;
    // The queue implements the handler's queue interface; its class type is not exported.
    const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
    handlers.add(handler);
    handler.addEventListener('close', () => handlers.delete(handler));
    // authenticate() paused the socket with the startup packet put back: PGlite answers it.
    handler.attach(socket).then(
      () => socket.resume(),
      () => socket.destroy(),
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
  } catch (err) {
    // A taken port: the folder is released for the next attempt.
    await db.close();
    release();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const portFile = passwordFile ? path.join(path.dirname(passwordFile), EMBEDDED_PORT_FILE) : undefined;
  if (portFile) await fs.writeFile(portFile, String(port), { mode: 0o600 });
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    publicUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    ...(passwordFile ? { passwordFile } : {}),
    async stop() {
      for (const socket of authenticating) socket.destroy();
      await Promise.all([...handlers].map((h) => h.detach(true)));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (portFile) await fs.rm(portFile, { force: true });
      await db.close();
      release();
    },
  };
}
