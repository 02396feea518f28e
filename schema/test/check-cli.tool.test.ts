import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CheckInputError,
  parseCheckOptions,
  readAcknowledgements,
  readRepoOperations,
  readUsageFile,
} from '../src/check.ts';
import { repoRoot } from '../src/locate.ts';
import { openUsageStore } from '@measure-graph/schema-usage';

const run = promisify(execFile);
const cli = path.join(repoRoot, 'schema/src/check.ts');

/** The CLI as CI runs it, a real process; resolves with its exit code and output. */
async function schemaCheck(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: repoRoot,
      env: { ...process.env, SCHEMA_CHECK_BASE: '', SCHEMA_CHECK_WINDOW_DAYS: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tmpFile = (name: string, text: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-check-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CheckInputError) return `${err.code}: ${err.message}`;
    throw err;
  }
  throw new Error('no error');
};

describe('the operations the check knows', () => {
  it("include every document of the persisted-document manifests (the dashboard's), by operation name", () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'schema/persisted-documents/dashboard.json'), 'utf8'),
    ) as Record<string, string>;
    const known = readRepoOperations();
    expect(Object.keys(manifest).length).toBeGreaterThan(0);
    for (const document of Object.values(manifest)) {
      const op = known.find((o) => o.document === document);
      expect(op?.file).toMatch(/^schema\/persisted-documents\/dashboard\.json \(Dashboard\w+\)$/);
      expect(op?.file).toContain(`(${op?.name})`);
    }
  });
});

describe('npm run schema:check', () => {
  it('passes on the current tree, against its own committed supergraph', async () => {
    const result = await schemaCheck(['--base', 'HEAD']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('schema:check passed.');
    expect(result.code).toBe(0);
  }, 120_000);

  it('fails with exit code 2 and a coded message on a bad input, before composing', async () => {
    const usage = tmpFile('usage.json', '[{"hash": 1}]');
    const result = await schemaCheck(['--base', 'HEAD', '--usage', usage]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`schema:check BAD_USAGE_FILE: ${usage}[0].hash: expected a string\n`);
  }, 60_000);

  it('reads the operations the gateway recorded from its usage store, and names one that no longer validates', async () => {
    // The embedded default's store: a file, written as the gateway writes it.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'schema-check-usage-')), 'usage.json');
    const store = openUsageStore({ USAGE_FILE: file });
    const today = new Date().toISOString().slice(0, 10);
    const document = 'query RetiredColumn { measures { code retiredColumn } }';
    await store.record({
      records: [
        {
          day: today,
          hash: 'cd'.repeat(32),
          name: 'RetiredColumn',
          document,
          coordinates: ['Query.measures', 'Measure.code'],
          clientName: 'bi-dashboard',
          clientVersion: '3.1.0',
          count: 5,
        },
      ],
    });
    await store.close();
    const result = await schemaCheck(['--base', 'HEAD'], { USAGE_FILE: file, USAGE_DATABASE_URL: '' });
    expect(result.stdout).toContain('1 recorded operation(s)');
    expect(result.stdout).toContain('RetiredColumn');
    expect(result.code).toBe(1);
  }, 120_000);
});

describe("the check's inputs", () => {
  it('refuses unknown options, a bad window and two bases', () => {
    expect(codeOf(() => parseCheckOptions(['--bsae', 'main'], {}))).toMatch(/^BAD_OPTION: Unknown option --bsae/);
    expect(codeOf(() => parseCheckOptions(['--window-days', '0'], {}))).toMatch(/^BAD_OPTION: --window-days/);
    expect(codeOf(() => parseCheckOptions([], { SCHEMA_CHECK_WINDOW_DAYS: '7d' }))).toMatch(/^BAD_OPTION/);
    expect(codeOf(() => parseCheckOptions(['--base', 'main', '--base-supergraph', 'x.graphql'], {}))).toMatch(
      /^BAD_OPTION: Give --base or --base-supergraph/,
    );
    expect(codeOf(() => parseCheckOptions(['--base'], {}))).toMatch(/^BAD_OPTION: --base needs a value/);
    expect(parseCheckOptions(['--window-days', '90', '--json'], { SCHEMA_CHECK_BASE: 'origin/main' })).toEqual({
      base: 'origin/main',
      windowDays: 90,
      json: true,
    });
  });

  it('takes acknowledgements only with what, why and when', () => {
    const entry = {
      coordinate: 'Course.hours',
      change: 'FIELD_TYPE_CHANGED',
      reason: 'agreed with BI',
      date: '2026-11-20',
    };
    expect(readAcknowledgements(tmpFile('a.json', JSON.stringify({ acknowledged: [entry] })))).toEqual([entry]);
    expect(
      codeOf(() =>
        readAcknowledgements(tmpFile('a.json', JSON.stringify({ acknowledged: [{ ...entry, reason: ' ' }] }))),
      ),
    ).toMatch(/^BAD_ACKNOWLEDGEMENT: .*acknowledged\[0\]\.reason is missing/);
    expect(
      codeOf(() =>
        readAcknowledgements(tmpFile('a.json', JSON.stringify({ acknowledged: [{ ...entry, date: '20-11-2026' }] }))),
      ),
    ).toMatch(/^BAD_ACKNOWLEDGEMENT: .*date must be YYYY-MM-DD/);
    // The committed file is valid.
    expect(Array.isArray(readAcknowledgements())).toBe(true);
  });

  it('reads recorded operations as schema:usage --json prints them, naming the first bad field', () => {
    const op = {
      hash: 'ab'.repeat(32),
      name: null,
      document: '{ measures { code } }',
      coordinates: ['Query.measures', 'Measure.code'],
      clients: [{ name: 'unknown', version: 'unknown' }],
      firstSeen: '2026-11-01',
      lastSeen: '2026-11-30',
      count: 3,
    };
    expect(readUsageFile(tmpFile('u.json', JSON.stringify([op])))).toEqual([op]);
    expect(codeOf(() => readUsageFile(tmpFile('u.json', JSON.stringify([{ ...op, lastSeen: 'yesterday' }]))))).toMatch(
      /^BAD_USAGE_FILE: .*\[0\]\.lastSeen: expected YYYY-MM-DD/,
    );
    expect(codeOf(() => readUsageFile(tmpFile('u.json', '{')))).toMatch(/^BAD_USAGE_FILE: Cannot read/);
  });
});
