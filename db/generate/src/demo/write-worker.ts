// Entry of the worker thread of writeDemoDataInWorker: writes one subgraph's demo data, reports a
// failure as a message (an Error does not cross threads with its stack), and exits.
import { parentPort, workerData } from 'node:worker_threads';
import { writeDemoData, type DemoWriteTarget } from './write.ts';

try {
  await writeDemoData(workerData as DemoWriteTarget);
  parentPort!.postMessage({});
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).stack ?? String(err) });
  process.exitCode = 1;
}
