import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGatewayConfig, startGateway, supergraphHash, type RunningGateway } from '@measure-graph/gateway';
import { subgraphUrlVariable } from '@measure-graph/subgraph-platform/domains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestStack, type TestStack } from '../support/stack.ts';
import { committedSupergraph } from '../support/supergraph.ts';

let graph: TestStack;
let hanging: http.Server;
let slowGateway: RunningGateway;
const seenByHangingSubgraph: Array<string | undefined> = [];
beforeAll(async () => {
  graph = await startTestStack();
  // A "subgraph" that accepts requests and never answers.
  hanging = http.createServer((req) => seenByHangingSubgraph.push(req.headers['x-request-id'] as string | undefined));
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const env: NodeJS.ProcessEnv = { ...graph.authEnv, PORT: '0', SUBGRAPH_TIMEOUT_MS: '500' };
  for (const s of graph.stack.subgraphs) env[subgraphUrlVariable(s.name)] = s.url;
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
    const all = (state: string) =>
      Object.fromEntries(
        ['activation', 'competences', 'inspection', 'registry', 'social-economy'].map((n) => [n, state]),
      );
    expect(await ready.json()).toEqual({
      status: 'ready',
      subgraphs: all('ok'),
      circuits: all('closed'),
      // The supergraph being served (live reload): the committed one.
      supergraph: { hash: supergraphHash(committedSupergraph), loadedAt: expect.any(String) },
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
    // Only the field the hung subgraph supplies is empty; the registry's part of the measure stays.
    expect(data.measure).toEqual({ code: 'VOP', inspectionStats: null });
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
    // The second Provinces request was planned from the cache.
    expect(text).toMatch(/query_plan_cache_total\{result="miss"\} [1-9]/);
    expect(text).toMatch(/query_plan_cache_total\{result="hit"\} [1-9]/);
  });
});

describe('graceful shutdown', () => {
  it('finishes the requests in flight, refuses new connections, then stops', async () => {
    // A stand-in for the inspection subgraph that answers only when the test says so.
    const held: Array<() => void> = [];
    const slow = http.createServer(async (req, res) => {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const representations = (JSON.parse(raw).variables?.representations ?? []) as Array<{ __typename: string }>;
      held.push(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            data: {
              _entities: representations.map((r) => ({ __typename: r.__typename, inspectionStats: { controls: 7 } })),
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const env: NodeJS.ProcessEnv = { ...graph.authEnv, PORT: '0' };
    for (const s of graph.stack.subgraphs) env[subgraphUrlVariable(s.name)] = s.url;
    env.INSPECTION_URL = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
    const gateway = await startGateway(loadGatewayConfig(env));
    try {
      const query = JSON.stringify({
        query: '{ measure(code: "VOP") { code inspectionStats(year: 2020) { controls } } }',
      });
      const inFlight = Array.from({ length: 10 }, () => post(gateway.url, query));
      for (let waited = 0; held.length < 10 && waited < 10_000; waited += 20) await sleep(20);
      expect(held).toHaveLength(10);

      let stopped = false;
      const stopping = gateway.stop().then(() => (stopped = true));
      await sleep(100);
      await expect(fetch(gateway.url, { method: 'POST', body: query })).rejects.toThrow();
      expect(stopped).toBe(false);

      for (const answer of held) answer();
      const answers = await Promise.all(inFlight);
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      for (const a of answers) expect(a.data).toEqual({ measure: { code: 'VOP', inspectionStats: { controls: 7 } } });
      await stopping;
      expect(stopped).toBe(true);
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
