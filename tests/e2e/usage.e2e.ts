import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@measure-graph/db';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { openUsageStore, type UsageOperation } from '@measure-graph/schema-usage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-e2e-'));
const usageFile = path.join(scratch, 'usage.json');
let graph: TestStack | undefined;
let database: TestDatabase;
/** The store as the suite's database says: PostgreSQL (schema `usage` of the test database) on a server, the file otherwise. */
let storeEnv: NodeJS.ProcessEnv;
beforeAll(async () => {
  database = await createTestDatabase();
  storeEnv =
    database.kind === 'server'
      ? { USAGE_DATABASE_URL: database.url, USAGE_FILE: '' }
      : { USAGE_FILE: usageFile, USAGE_DATABASE_URL: '' };
  graph = await startTestStack({
    database,
    env: { USAGE_RECORDING: 'on', USAGE_FLUSH_SECONDS: '1', ...storeEnv },
    seedProfile: null,
  });
});
afterAll(async () => {
  await graph?.stop();
  await database?.drop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const BY_STATUS =
  'query ByStatus($status: MeasureStatus) { measures(domain: ACTIVATION, status: $status) { code name } }';
const ONE = 'query OneMeasure { measure(code: "VOP") { name } }';
const client = (name: string, version: string) => ({
  'apollographql-client-name': name,
  'apollographql-client-version': version,
});

async function send(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await graph!.post(JSON.stringify({ query, variables }), headers);
  expect(res.status).toBe(200);
}

const run = promisify(execFile);
/** `npm run schema:usage` as a user runs it: a real process reading the store the gateway wrote. */
const schemaUsage = (...args: string[]) =>
  run('npm', ['run', '--silent', 'schema:usage', '--', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...storeEnv },
  });

describe('usage recording through the gateway', () => {
  it('records coordinates per client and day, flushed in the background and on shutdown, shown by schema:usage', async () => {
    for (let i = 0; i < 3; i++) await send(BY_STATUS, { status: 'ACTIVE' }, client('bi-tool', '3.2'));
    await send(BY_STATUS, { status: 'PHASING_OUT' });
    await send(ONE, {}, client('web', '1.0'));
    await send(ONE, {}, client('web', '1.0'));

    // The background flush (every second here) writes them without a restart.
    const store = openUsageStore(storeEnv);
    const deadline = Date.now() + 20_000;
    let seen: UsageOperation[] = [];
    while (Date.now() < deadline) {
      seen = await store.operations({ sinceDay: '2000-01-01' });
      if (seen.reduce((n, o) => n + o.count, 0) === 6) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await store.close();
    expect(seen.map((o) => [o.name, o.count]).sort()).toEqual([
      ['ByStatus', 4],
      ['OneMeasure', 2],
    ]);

    // Sent just before shutdown: the gateway writes it as it stops.
    await send(BY_STATUS, { status: 'ACTIVE' }, client('web', '1.0'));
    await graph!.stop();
    graph = undefined;

    const [json, text] = await Promise.all([schemaUsage('--json', '--days', '2'), schemaUsage()]);
    const operations = JSON.parse(json.stdout) as UsageOperation[];
    const byStatus = operations.find((o) => o.name === 'ByStatus')!;
    expect(byStatus.count).toBe(5);
    // Stored as printed by graphql-js; the same document, with no literal string in it to strip.
    expect(byStatus.document.replace(/\s+/g, ' ')).toBe(BY_STATUS);
    expect(byStatus.coordinates).toEqual(
      expect.arrayContaining([
        'Query.measures',
        'Query.measures(domain:)',
        'Query.measures(status:)',
        'Domain.ACTIVATION',
        'MeasureStatus.ACTIVE',
        'MeasureStatus.PHASING_OUT',
        'Measure.code',
        'Measure.name',
      ]),
    );
    expect(byStatus.coordinates).not.toContain('MeasureStatus.REFORM');
    expect(byStatus.clients.map((c) => [c.name, c.version, c.count]).sort()).toEqual([
      ['bi-tool', '3.2', 3],
      ['unknown', 'unknown', 1],
      ['web', '1.0', 1],
    ]);
    const one = operations.find((o) => o.name === 'OneMeasure')!;
    expect(one).toMatchObject({
      count: 2,
      clients: [expect.objectContaining({ name: 'web', version: '1.0', count: 2 })],
    });
    expect(one.coordinates).toEqual(expect.arrayContaining(['Query.measure', 'Query.measure(code:)']));
    // The literal "VOP" is not kept: a literal may be personal data.
    expect(one.document).not.toContain('VOP');
    const today = new Date().toISOString().slice(0, 10);
    expect(byStatus.lastSeen).toBe(today);

    expect(text.stdout).toContain('2 operations, 7 executions, 3 clients');
    expect(text.stdout).toMatch(/5 +1 +\d{4}-\d{2}-\d{2} +Query\.measures\(domain:\) +bi-tool 3\.2 \(3\)/);
  });

  it('refuses a bad window with a code', async () => {
    const err = await schemaUsage('--since', 'yesterday').catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toContain(
      'USAGE_BAD_ARGUMENT: --since must be a day YYYY-MM-DD, got "yesterday"',
    );
  });
});
