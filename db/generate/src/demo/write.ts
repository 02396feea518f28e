import { Worker } from 'node:worker_threads';
import { createDataSource } from '@measure-graph/db';
import type { SeedProfile } from './profile.ts';
import { seedDemoData } from './seed.ts';

export interface DemoWriteTarget {
  subgraph: string;
  /** The subgraph's database, migrated and with its reference data. */
  databaseUrl: string;
  /** The subgraph's Postgres schema (the connection's search path). */
  schema: string;
  profile: SeedProfile;
  /** How long a connection may wait (behind the other subgraphs' loads on the embedded database). */
  connectTimeoutMs: number;
}

/**
 * Writes a subgraph's generated demo data into its database on a short-lived connection of its own,
 * without the statement timeout requests get (a full load has statements of many seconds).
 */
export async function writeDemoData(target: DemoWriteTarget): Promise<void> {
  const ds = createDataSource({
    url: target.databaseUrl,
    schema: target.schema,
    migrations: [],
    poolSize: 2,
    connectTimeoutMs: target.connectTimeoutMs,
  });
  try {
    await ds.initialize();
    await seedDemoData(target.subgraph, ds, target.profile);
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}

/**
 * writeDemoData in a worker thread: generating the full profile (1.8 million rows for activation)
 * and serialising its statements takes seconds of CPU, which here run on another core than the
 * embedded database and the servers of the calling process. The worker loads TypeScript with tsx,
 * as `npm start` does (write-worker.mjs).
 */
export function writeDemoDataInWorker(target: DemoWriteTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./write-worker.mjs', import.meta.url), { workerData: target });
    let failed = false;
    worker.once('message', (message: { error?: string }) => {
      if (message.error) {
        failed = true;
        reject(new Error(`demo data of ${target.subgraph}: ${message.error}`));
      }
    });
    worker.once('error', (err) => {
      failed = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (failed) return;
      if (code === 0) resolve();
      else reject(new Error(`demo data of ${target.subgraph}: worker exited with code ${code}`));
    });
  });
}
