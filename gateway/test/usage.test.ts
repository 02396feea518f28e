import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { parse } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { configErrorOf } from '@measure-graph/db/testing';
import { openUsageStore } from '@measure-graph/schema-usage';
import { loadGatewayConfig } from '../src/config.ts';
import { clientLabel, readUsageRecordingConfig, startUsageRecording, storedDocument } from '../src/usage.ts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-usage-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const env = (more: NodeJS.ProcessEnv = {}) => ({ AUTH_DEV_KEYS_DIR: path.join(scratch, 'dev-auth'), ...more });

describe('usage recording configuration', () => {
  it('is on by default, with the file in the embedded database folder', () => {
    const { usage } = loadGatewayConfig(env({ PGLITE_DATA_DIR: path.join(scratch, 'pglite') }));
    expect(usage).toMatchObject({ enabled: true, flushMs: 30_000, store: { kind: 'file', retentionDays: 90 } });
    expect(usage.store).toMatchObject({ path: path.join(scratch, 'pglite', 'usage.json') });
  });

  it('uses PostgreSQL with USAGE_DATABASE_URL and turns off with USAGE_RECORDING=off', () => {
    const { usage } = loadGatewayConfig(
      env({ USAGE_DATABASE_URL: 'postgres://u@db.example/usage', USAGE_RECORDING: 'off', USAGE_FLUSH_SECONDS: '5' }),
    );
    expect(usage).toMatchObject({
      enabled: false,
      flushMs: 5_000,
      store: { kind: 'postgresql', url: 'postgres://u@db.example/usage' },
    });
  });

  it('refuses bad values with the variable named', () => {
    const err = configErrorOf(() =>
      loadGatewayConfig(env({ USAGE_RECORDING: 'sometimes', USAGE_FLUSH_SECONDS: '0', USAGE_RETENTION_DAYS: '-1' })),
    );
    expect(err.problems).toEqual([
      'USAGE_RECORDING must be on or off, got "sometimes"',
      'USAGE_RETENTION_DAYS must be an integer between 1 and 3650, got "-1"',
      'USAGE_FLUSH_SECONDS must be an integer between 1 and 3600, got "0"',
    ]);
  });
});

describe('what is recorded', () => {
  it('labels clients by header, capped, `unknown` when absent', () => {
    expect(clientLabel(undefined)).toBe('unknown');
    expect(clientLabel('  ')).toBe('unknown');
    expect(clientLabel('web\u0000app\n')).toBe('webapp');
    expect(clientLabel('x'.repeat(500))).toHaveLength(64);
  });

  it('stores documents without their string literals', () => {
    expect(storedDocument(parse('{ person(ssn: "85073003328") { name } org(q: """Jan Peeters""") { id } }'))).toBe(
      '{\n  person(ssn: "") {\n    name\n  }\n  org(q: "") {\n    id\n  }\n}',
    );
  });
});

/** A real Apollo Server with the recorder's plugin: the gateway's wiring without the subgraphs. */
async function serverWith(file: string) {
  const problems: string[] = [];
  const config = readUsageRecordingConfig({ USAGE_FILE: file, USAGE_FLUSH_SECONDS: '3600' }, problems);
  expect(problems).toEqual([]);
  const recorder = startUsageRecording(config);
  const server = new ApolloServer({
    typeDefs: `enum Color { RED GREEN } type Query { paint(color: Color!): String, hello: String }`,
    resolvers: { Query: { paint: (_: unknown, args: { color: string }) => args.color, hello: () => 'hi' } },
    plugins: [recorder.plugin],
  });
  await server.start();
  const send = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const http = { method: 'POST', headers: new HeaderMap(Object.entries(headers)), search: '', body: {} };
    const res = await server.executeOperation({ query, variables, http });
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    return res.body.singleResult;
  };
  return { recorder, send, stop: () => server.stop() };
}

describe('the recorder', () => {
  it('counts executions per client, with the enum values of variables, and writes them on flush', async () => {
    const file = path.join(scratch, 'recorded', 'usage.json');
    const { recorder, send, stop } = await serverWith(file);
    const paint = 'query Paint($c: Color!) { paint(color: $c) }';
    for (let i = 0; i < 3; i++)
      await send(paint, { c: 'RED' }, { 'apollographql-client-name': 'web', 'apollographql-client-version': '2.1' });
    await send(paint, { c: 'GREEN' });
    // Invalid documents never execute: nothing to record.
    expect((await send('{ nope }')).errors).toBeDefined();
    expect(fs.existsSync(file)).toBe(false);
    await recorder.flush();
    await send('{ hello }');
    await recorder.stop();
    await stop();
    const ops = await openUsageStore({ USAGE_FILE: file }).operations({ sinceDay: '2000-01-01' });
    const painted = ops.find((o) => o.name === 'Paint')!;
    expect(painted.count).toBe(4);
    expect(painted.coordinates).toEqual([
      'Color',
      'Color.GREEN',
      'Color.RED',
      'Query',
      'Query.paint',
      'Query.paint(color:)',
    ]);
    expect(painted.clients.map((c) => [c.name, c.version, c.count]).sort()).toEqual([
      ['unknown', 'unknown', 1],
      ['web', '2.1', 3],
    ]);
    // Written on stop, after the last flush.
    expect(ops.find((o) => o.name === null)).toMatchObject({
      document: '{\n  hello\n}',
      count: 1,
      coordinates: ['Query', 'Query.hello'],
    });
  });

  it('never fails a request when the store fails', async () => {
    const blocker = path.join(scratch, 'a-file');
    fs.writeFileSync(blocker, '');
    // A path below a regular file: every write fails.
    const { recorder, send, stop } = await serverWith(path.join(blocker, 'usage.json'));
    expect(await send('{ hello }')).toEqual({ data: { hello: 'hi' } });
    await expect(recorder.flush()).resolves.toBeUndefined();
    expect(await send('{ hello }')).toEqual({ data: { hello: 'hi' } });
    await recorder.stop();
    await stop();
  });
});
