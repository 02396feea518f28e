import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@measure-graph/db';
import { configErrorOf } from '@measure-graph/db/testing';
import { createUsageStore, DEFAULT_USAGE_BOUNDS, openUsageStore, UsageStoreError } from '../src/index.ts';
import { rec, storeContract } from './contract.ts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-file-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const freshFile = () => path.join(scratch, `usage-${++n}`, 'usage.json');

describe('file usage store', () => {
  storeContract({
    fresh: async () => freshFile(),
    open: (file, bounds, now) => createUsageStore({ ...bounds, kind: 'file', path: file, now }),
  });

  it('replaces the file whole: no temporary or lock file is left, and the file is always complete JSON', async () => {
    const file = freshFile();
    const store = createUsageStore({ ...DEFAULT_USAGE_BOUNDS, kind: 'file', path: file });
    const day = new Date().toISOString().slice(0, 10);
    const reads: unknown[] = [];
    const reader = setInterval(() => {
      if (fs.existsSync(file)) reads.push(JSON.parse(fs.readFileSync(file, 'utf8')));
    }, 1);
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.record({ records: [rec(day, `op${i}`)] })));
    clearInterval(reader);
    await store.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['usage.json']);
    expect(reads.length).toBeGreaterThan(0);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const ops = await createUsageStore({ ...DEFAULT_USAGE_BOUNDS, kind: 'file', path: file }).operations({
      sinceDay: day,
    });
    expect(ops).toHaveLength(30);
  });

  it('loses no count when another process writes the same file at the same time', async () => {
    const file = freshFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const day = new Date().toISOString().slice(0, 10);
    // Each writer says it is loaded, then waits for the start signal: their writes overlap.
    const writer = `
      import fs from 'node:fs';
      import { openUsageStore } from '@measure-graph/schema-usage';
      const store = openUsageStore({ USAGE_FILE: process.env.TARGET });
      fs.writeFileSync(process.env.TARGET + '.ready-' + process.env.CLIENT, '');
      while (!fs.existsSync(process.env.TARGET + '.go')) await new Promise((r) => setTimeout(r, 5));
      await Promise.all(Array.from({ length: 40 }, () =>
        store.record({ records: [{ day: '${day}', hash: 'h', name: 'q', document: '{ q }', coordinates: ['Query.q'], clientName: process.env.CLIENT, clientVersion: '1', count: 1 }] })));
      await store.close();`;
    const run = (client: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer], {
        cwd: repoRoot,
        env: { ...process.env, TARGET: file, CLIENT: client },
      });
    const done = Promise.all([run('one'), run('two')]);
    while (!['one', 'two'].every((c) => fs.existsSync(`${file}.ready-${c}`)))
      await new Promise((r) => setTimeout(r, 10));
    fs.writeFileSync(`${file}.go`, '');
    await done;
    const [op] = await openUsageStore({ USAGE_FILE: file }).operations({ sinceDay: day });
    expect(op!.count).toBe(80);
    expect(op!.clients.map((c) => [c.name, c.count]).sort()).toEqual([
      ['one', 40],
      ['two', 40],
    ]);
  });

  it('never overwrites a file it cannot read', async () => {
    const file = freshFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"somebody": "else"}');
    const store = openUsageStore({ USAGE_FILE: file });
    const err = await store.record({ records: [rec('2026-03-02', 'a')] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageStoreError);
    expect((err as UsageStoreError).code).toBe('USAGE_FILE_UNREADABLE');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"somebody": "else"}');
    await expect(store.operations({ sinceDay: '2026-03-01' })).rejects.toThrow(/not a usage file/);
  });

  it('refuses bad configuration with every problem named', () => {
    const err = configErrorOf(() =>
      openUsageStore({
        USAGE_RETENTION_DAYS: '0',
        USAGE_MAX_OPERATIONS_PER_DAY: 'many',
        USAGE_DATABASE_URL: 'mysql://x',
      }),
    );
    expect(err.problems).toEqual([
      'USAGE_RETENTION_DAYS must be an integer between 1 and 3650, got "0"',
      'USAGE_MAX_OPERATIONS_PER_DAY must be an integer between 1 and 100000, got "many"',
      'USAGE_DATABASE_URL must be a postgres:// URL',
    ]);
    expect(
      configErrorOf(() => openUsageStore({ USAGE_DATABASE_URL: 'postgres://h/db', USAGE_FILE: 'x.json' })).problems,
    ).toEqual(['USAGE_DATABASE_URL and USAGE_FILE are both set: choose one store']);
  });

  it('defaults to usage.json in the embedded database folder', () => {
    expect(openUsageStore({ PGLITE_DATA_DIR: '/srv/graph/pglite' }).location).toBe('/srv/graph/pglite/usage.json');
    expect(openUsageStore({}).location).toBe(path.join(repoRoot, '.data', 'pglite', 'usage.json'));
  });
});
