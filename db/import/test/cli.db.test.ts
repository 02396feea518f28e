import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSubgraphs } from '../src/databases.ts';
import { dossiers, ORGS, PERSONS, rowCounts, smallDataset, writeDataset, writeReferenceData } from './fixtures.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run data:import -- ...` as a real process (the script's own command, without npm's banner). */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  // Only the variables given: no DATABASE_URL or <NAME>_DATABASE_URL of the developer's shell.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.endsWith('DATABASE_URL')));
  return new Promise((resolve) => {
    // Asynchronous: on the embedded database this process serves the child's connections.
    execFile(
      process.execPath,
      ['--import', 'tsx', 'db/import/src/cli.ts', ...args],
      { cwd: repoRoot, env: { ...base, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await migrateSubgraphs(subgraphs, () => db.url, true);
  await writeReferenceData(db.url);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe('npm run data:import (a real process)', () => {
  it('exits 0 when every file loaded', async () => {
    const out = await cli([smallDataset()], { DATABASE_URL: db.url });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('organisations.jsonl: loaded 3 rows (3 inserted, 0 updated, 0 unchanged)');
    expect(out.stdout).toContain('dossiers.jsonl: loaded 5 rows (5 inserted, 0 updated, 13 eventsWritten');
    expect(out.stdout).toMatch(/Imported 3 file\(s\) in [\d.]+ s\./);
    expect(await rowCounts(db.url)).toMatchObject({ 'registry.organisation': 3, 'social_economy.dossier': 2 });
  }, 60_000);

  it('exits 1 with file:line: field: reason on stderr when a file is refused, writing none of it', async () => {
    const before = await rowCounts(db.url);
    const rows = dossiers().map((d) => ({ ...d, sourceRef: `CLI-${(d as { sourceRef: string }).sourceRef}` }));
    Object.assign(rows[1]!, { events: [{ type: 'WITHDRAWN', at: '2021-03-20T10:00' }] });
    Object.assign(rows[3]!, { receivedAt: '2099-01-01' });
    Object.assign(rows[4]!, { channel: 'FAX' });
    const out = await cli(
      [writeDataset({ 'organisations.jsonl': [{ ...ORGS[0]!, name: 'Renamed' }], 'dossiers.jsonl': rows })],
      { DATABASE_URL: db.url },
    );
    expect(out.code).toBe(1);
    expect(out.stderr.trim().split('\n')).toEqual([
      'dossiers.jsonl:2: events[0].type: A dossier that is RECEIVED cannot have WITHDRAWN; only a dossier that is GRANTED',
      expect.stringMatching(/^dossiers\.jsonl:4: receivedAt: must not be in the future \(it is .* in Belgium\)$/),
      'dossiers.jsonl:5: channel: must be one of "ONLINE", "PAPER"',
    ]);
    expect(out.stdout).toContain('organisations.jsonl: loaded 1 rows (0 inserted, 1 updated, 0 unchanged)');
    expect(out.stdout).toContain('dossiers.jsonl: refused, 3 error(s) in 5 rows; nothing of it was written');
    expect(await rowCounts(db.url)).toEqual(before);
  }, 60_000);

  it('exits 2 when it cannot run', async () => {
    const dataset = writeDataset({ 'persons.jsonl': PERSONS });
    const noDatabase = await cli([dataset], {});
    expect(noDatabase.code).toBe(2);
    expect(noDatabase.stderr).toContain('Cannot import: no database for registry, activation');

    const unreachable = await cli([dataset], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('Cannot import: cannot connect to postgres://postgres@127.0.0.1:1/none');

    const unknownFile = await cli([writeDataset({ 'no-such-aggregate.jsonl': [{}] })], { DATABASE_URL: db.url });
    expect(unknownFile.code).toBe(2);
    expect(unknownFile.stderr).toContain('no-such-aggregate.jsonl: not a file this version imports');

    const noFolder = await cli(['/nonexistent/dataset'], { DATABASE_URL: db.url });
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain('cannot read the dataset folder /nonexistent/dataset: ENOENT');

    expect((await cli([], { DATABASE_URL: db.url })).code).toBe(2);
  }, 120_000);
});
