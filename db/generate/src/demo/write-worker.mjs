// Bootstrap of writeDemoData's worker thread: a worker does not inherit the `--import tsx` of the
// process that starts it, so it registers tsx's loader itself before loading the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./write-worker.ts');
