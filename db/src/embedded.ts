import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A running embedded Postgres reachable through the normal wire protocol. */
export interface EmbeddedPostgres {
  /** postgres:// URL that `pg` (and so TypeORM) connects to. */
  url: string;
  stop(): Promise<void>;
}

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
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  let db: PGlite;
  if (options.dataDir === 'memory') {
    db = await PGlite.create();
  } else {
    await fs.mkdir(options.dataDir, { recursive: true });
    db = await PGlite.create({ dataDir: options.dataDir });
  }
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 100,
  });
  await server.start();
  // getServerConn() gives "host:port" once listening, with the port the OS chose.
  const conn = server.getServerConn();
  return {
    url: `postgres://postgres@${conn}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
