import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@measure-graph/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../support/stack.ts';

/** Runs the README's start command as users do (a real process), on a private embedded data folder. */
function start(dataDir: string): {
  child: ChildProcess;
  ready: Promise<string>;
  exited: Promise<number | null>;
  output: () => string;
} {
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error' };
  delete env.DATABASE_URL; // the embedded default, whatever the suite runs against
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: repoRoot, env });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /GraphQL: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => out };
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'measure-graph-start-'));
});
afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

describe('npm start on the embedded default', () => {
  it('serves the whole graph, stops cleanly on SIGINT, and a second start reuses the data', async () => {
    const first = start(dataDir);
    const url = await first.ready;
    const res = await post(url, JSON.stringify({ query: '{ measures { code domain norms { id } } }' }));
    expect(res.data!.measures).toHaveLength(42);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Stopped.');
    expect(await fs.readdir(dataDir)).toContain('PG_VERSION');

    const second = start(dataDir);
    const again = await post(
      await second.ready,
      JSON.stringify({ query: '{ measures { code domain norms { id } } }' }),
    );
    expect(again.data).toEqual(res.data);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
