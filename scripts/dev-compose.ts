/**
 * The dev loop's composition step, run by `npm run dev` in a fresh process on every change: a
 * process of its own imports the working tree's subgraph code as it is now (modules once imported
 * cannot be loaded again in the same process). Writes the dev supergraph only when it changed,
 * with a rename, so the gateway never reads half a file.
 *
 *   node --import tsx scripts/dev-compose.ts <dev supergraph file>
 *
 * Exit code 0: written or unchanged (one line on stdout says which and the hash); 1: composition
 * failed (the errors on stderr, the file untouched).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Recomposed {
  changed: boolean;
  hash: string;
}

/** Composes with `compose` and writes `file` when the result differs from what it holds. */
export async function recompose(file: string, compose: () => string | Promise<string>): Promise<Recomposed> {
  const sdl = await compose();
  const hash = createHash('sha256').update(sdl).digest('hex');
  let current: string | undefined;
  try {
    current = fs.readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === sdl) return { changed: false, hash };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const next = `${file}.${process.pid}.next`;
  fs.writeFileSync(next, sdl);
  fs.renameSync(next, file);
  return { changed: true, hash };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: dev-compose.ts <dev supergraph file>\n');
    process.exit(2);
  }
  try {
    // Imported here, not at the top: the subgraph code is what this process exists to load fresh.
    const { composeSupergraph } = await import('@measure-graph/schema');
    const { changed, hash } = await recompose(path.resolve(file), composeSupergraph);
    process.stdout.write(`${changed ? 'written' : 'unchanged'} ${hash}\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
