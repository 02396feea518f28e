import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@measure-graph/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestStack, type TestStack } from '../support/stack.ts';

let graph: TestStack;
let hanging: http.Server;
let slowGateway: RunningGateway;
const seenByHangingSubgraph: Array<string | undefined> = [];
beforeAll(async () => {
  graph = await startTestStack();
  // A "subgraph" that accepts requests and never answers.
  hanging = http.createServer((req) => seenByHangingSubgraph.push(req.headers['x-request-id'] as string | undefined));
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const env: NodeJS.ProcessEnv = { PORT: '0', SUBGRAPH_TIMEOUT_MS: '500' };
  for (const s of graph.stack.subgraphs) env[`${s.name.toUpperCase().replace(/-/g, '_')}_URL`] = s.url;
  env.INSPECTION_URL = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`;
  slowGateway = await startGateway(loadGatewayConfig(env));
}, 300_000);
afterAll(async () => {
  await slowGateway?.stop();
  hanging?.closeAllConnections();
  await new Promise((resolve) => hanging?.close(resolve));
  await graph?.stop();
});

describe('operational endpoints', () => {
  it('/health answers while the process lives; /ready when every subgraph and its database answer', async () => {
    const health = await fetch(graph.url.replace('/graphql', '/health'));
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(graph.url.replace('/graphql', '/ready'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      subgraphs: { activation: 'ok', competences: 'ok', inspection: 'ok', registry: 'ok', 'social-economy': 'ok' },
    });
  });
});

describe('a subgraph that hangs', () => {
  it('is cut at its timeout: the rest of the data, a coded error at the failing path', async () => {
    const res = await post(
      slowGateway.url,
      JSON.stringify({
        query: '{ provinces { code } measure(code: "VOP") { code inspectionStats(year: 2020) { controls } } }',
      }),
    );
    expect(res.status).toBe(200);
    const data = res.data as { provinces: unknown[]; measure: unknown };
    expect(data.provinces.length).toBe(6);
    expect(data.measure).toBeNull();
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'inspection' });
    expect(res.text).not.toContain('127.0.0.1');
  });

  it('makes the gateway not ready, naming it', async () => {
    const ready = await fetch(slowGateway.url.replace('/graphql', '/ready'));
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { subgraphs: Record<string, string> }).subgraphs).toMatchObject({
      inspection: 'timeout',
      registry: 'ok',
    });
  });
});

describe('observability', () => {
  it('passes the request id to the subgraphs and answers with it', async () => {
    const res = await fetch(slowGateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'test-request-42' },
      body: JSON.stringify({ query: '{ measure(code: "VOP") { inspectionStats(year: 2020) { controls } } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('test-request-42');
    expect(seenByHangingSubgraph).toContain('test-request-42');
    const generated = await fetch(graph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'not a sane id!' },
      body: JSON.stringify({ query: '{ provinces { code } }' }),
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics: requests by operation, errors by code, subgraph latency and failures', async () => {
    await post(slowGateway.url, JSON.stringify({ query: 'query Provinces { provinces { code } }' }));
    await post(slowGateway.url, JSON.stringify({ query: `{ ${'a { '.repeat(30)}b${' }'.repeat(30)} }` }));
    const res = await fetch(slowGateway.url.replace('/graphql', '/metrics'));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/graphql_requests_total\{operation="Provinces",status="200"\} [1-9]/);
    expect(text).toMatch(/graphql_request_duration_seconds_count\{operation="Provinces"\} [1-9]/);
    expect(text).toMatch(/graphql_errors_total\{code="QUERY_TOO_DEEP"\} [1-9]/);
    expect(text).toMatch(/subgraph_fetch_duration_seconds_count\{subgraph="registry"\} [1-9]/);
    expect(text).toMatch(/subgraph_fetch_errors_total\{subgraph="inspection",code="SUBGRAPH_TIMEOUT"\} [1-9]/);
  });
});
