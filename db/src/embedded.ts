import fs from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { SerialWireQueue } from './wire-queue.ts';

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
  // pglite-socket's handler speaks the wire protocol; the queue is ours (see wire-queue.ts).
  const queue = new SerialWireQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((socket) => {
    if (handlers.size >= (options.maxConnections ?? 100)) {
      socket.destroy();
      return;
    }
    // The queue implements the handler's queue interface; its class type is not exported.
    const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
    handlers.add(handler);
    handler.addEventListener('close', () => handlers.delete(handler));
    handler.attach(socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await Promise.all([...handlers].map((h) => h.detach(true)));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
