import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@measure-graph/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestStack, type TestStack } from '../support/stack.ts';

let graph: TestStack;
const health = () => graph.url.replace('/graphql', '/health');

beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(async () => {
  await graph?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fragments that each spread the next one twice: 2^levels copies of the last one once expanded. */
function doubling(levels: number): string {
  let doc = '{ measures { ...F0 } }\n';
  for (let i = 0; i < levels; i++) doc += `fragment F${i} on Measure { code ...F${i + 1} ...F${i + 1} }\n`;
  return `${doc}fragment F${levels} on Measure { norms { id label } }\n`;
}

/**
 * Sends a hostile request and, while it is in flight, asks /health; returns both durations. The
 * best of three attempts is kept, so a noisy machine does not fail the test, while a check that
 * blocks the event loop (as fragment expansion did, 12 s) fails all three.
 */
async function timed(
  send: () => Promise<{ status: number; errors?: Array<{ extensions?: Record<string, unknown> }> }>,
) {
  let best = { refusedMs: Infinity, healthMs: Infinity, status: 0, code: undefined as unknown };
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    const refused = send().then((res) => ({ res, ms: performance.now() - started }));
    const healthStarted = performance.now();
    const healthy = await fetch(health());
    const healthMs = performance.now() - healthStarted;
    expect(healthy.status).toBe(200);
    const { res, ms } = await refused;
    best = {
      refusedMs: Math.min(best.refusedMs, ms),
      healthMs: Math.min(best.healthMs, healthMs),
      status: res.status,
      code: res.errors?.[0]?.extensions?.code,
    };
  }
  return best;
}

describe('hostile documents are refused fast with a 4xx and a code, /health keeps answering', () => {
  // 50 measures x 50 dossiers (the schema's default page) x 50 events and 50 payments each: 757,550.
  const costly = '{ measures { dossiers { nodes { id events { type occurredAt } payments { kind amount } } } } }';
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['fragment doubling at 30 levels', { query: doubling(30) }, 'QUERY_TOO_COSTLY'],
    [
      'a page size from a variable default',
      { query: 'query ($n: Int = 1000) { measures { dossiers(first: $n) { nodes { id events { type } } } } }' },
      'QUERY_TOO_COSTLY',
    ],
    ['a page size left to the schema default', { query: costly }, 'QUERY_TOO_COSTLY'],
    [
      'an unknown operation name',
      { query: 'query A { provinces { code } }', operationName: 'B' },
      'OPERATION_RESOLUTION_FAILURE',
    ],
    ['two unnamed operations', { query: '{ provinces { code } } { measures { code } }' }, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'two named operations and no operationName',
      { query: 'query A { provinces { code } } query B { measures { code } }' },
      'OPERATION_RESOLUTION_FAILURE',
    ],
    ['year -1', { query: '{ measures { code normResults(year: -1) { result } } }' }, 'BAD_USER_INPUT'],
    [
      'year 2147483647',
      { query: '{ measure(code: "VOP") { volumes(year: 2147483647) { value } } }' },
      'BAD_USER_INPUT',
    ],
    [
      'a NUL byte in a string argument',
      { query: 'query ($c: String!) { measure(code: $c) { code } }', variables: { c: 'VO\u0000P' } },
      'BAD_USER_INPUT',
    ],
  ];
  it.each(cases)('%s', async (_, body, code) => {
    const result = await timed(() => graph.post(JSON.stringify(body)));
    expect(result.status).toBe(400);
    expect(result.code).toBe(code);
    expect(result.refusedMs).toBeLessThan(200);
    expect(result.healthMs).toBeLessThan(50);
  });

  it('names the accepted range of a year', async () => {
    const res = await graph.query('{ measures { code normResults(year: -1) { result } } }');
    expect(res.errors![0]!.message).toMatch(/between 2000 and 2100, got -1/);
  });

  it('refuses the same limits on a GET and on a persisted query sent by hash only', async () => {
    const query = 'query Page($n: Int!) { measures { dossiers(first: $n) { nodes { id events { type } } } } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    // Registered with a cheap page, then replayed by hash with a costly one.
    const cheap = await graph.post(JSON.stringify({ query, variables: { n: 1 }, extensions }));
    expect(cheap.status).toBe(200);
    const byHash = await graph.post(JSON.stringify({ variables: { n: 1000 }, extensions }));
    expect([byHash.status, byHash.errors![0]!.extensions!.code]).toEqual([400, 'QUERY_TOO_COSTLY']);

    const url = new URL(graph.url);
    url.searchParams.set('query', query);
    url.searchParams.set('variables', JSON.stringify({ n: 1000 }));
    const get = await fetch(url, {
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${graph.allScopesToken}` },
    });
    expect(get.status).toBe(400);
    expect(((await get.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe(
      'QUERY_TOO_COSTLY',
    );
  });
});

describe('metrics stay bounded', () => {
  it('10,000 requests with distinct operation names leave the scrape within a fixed bound', async () => {
    const scrape = async () => (await fetch(graph.url.replace('/graphql', '/metrics'))).text();
    const before = (await scrape()).length;
    for (let batch = 0; batch < 100; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          post(graph.url, JSON.stringify({ query: `query Op${batch}x${i} { __typename }` })),
        ),
      );
    }
    const after = await scrape();
    // 50 names of their own (METRICS_MAX_OPERATIONS) and one shared label: ~1.5 KB of series each.
    expect(after.length - before).toBeLessThan(150_000);
    const other = /graphql_requests_total\{operation="__other",status="200"\} (\d+)/.exec(after);
    expect(Number(other?.[1])).toBeGreaterThanOrEqual(9_950);
    // Registered operations keep their own name.
    await graph.post(JSON.stringify({ query: 'query NormTable { measures { code } }' }));
    expect(await scrape()).toMatch(/graphql_requests_total\{operation="NormTable",status="200"\} 1/);
  }, 120_000);
});

/**
 * A stand-in in front of the real inspection subgraph that forwards requests, or holds them
 * unanswered while `hang` is set (a subgraph that hangs), and lets them go when it recovers.
 */
async function switchableProxy(target: string) {
  const held: http.ServerResponse[] = [];
  const state = { hang: false, seen: 0 };
  const server = http.createServer(async (req, res) => {
    state.seen++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (state.hang) {
      held.push(res);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers[k] = v;
    const answer = await fetch(target, { method: 'POST', headers, body: Buffer.concat(chunks) });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    state,
    recover() {
      state.hang = false;
      for (const res of held.splice(0)) res.destroy();
    },
    async close() {
      this.recover();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function gatewayEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...graph.authEnv, PORT: '0', ...extra };
  for (const s of graph.stack.subgraphs) env[`${s.name.toUpperCase().replace(/-/g, '_')}_URL`] ??= s.url;
  return env;
}

describe('a hung subgraph: circuit breaker and request deadline', () => {
  const PROBE_MS = 1_000;
  let proxy: Awaited<ReturnType<typeof switchableProxy>>;
  let gateway: RunningGateway;
  const query = JSON.stringify({ query: '{ measure(code: "VOP") { code inspectionStats(year: 2020) { controls } } }' });

  beforeAll(async () => {
    proxy = await switchableProxy(graph.stack.subgraphs.find((s) => s.name === 'inspection')!.url);
    gateway = await startGateway(
      loadGatewayConfig(
        gatewayEnv({
          INSPECTION_URL: proxy.url,
          SUBGRAPH_TIMEOUT_MS: '400',
          CIRCUIT_MIN_REQUESTS: '3',
          CIRCUIT_PROBE_MS: String(PROBE_MS),
        }),
      ),
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
  });

  it('opens after failures, then fails fast; is used again within one probe interval of recovering', async () => {
    const ok = await post(gateway.url, query);
    expect(ok.errors).toBeUndefined();

    proxy.state.hang = true;
    const failing = await Promise.all(Array.from({ length: 4 }, () => post(gateway.url, query)));
    for (const res of failing) expect(res.errors![0]!.extensions!.code).toBe('SUBGRAPH_TIMEOUT');

    const seenBefore = proxy.state.seen;
    const started = performance.now();
    const fast = await post(gateway.url, query);
    expect(performance.now() - started).toBeLessThan(100);
    expect(fast.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'inspection' });
    expect(proxy.state.seen).toBe(seenBefore); // not even sent

    const ready = await fetch(gateway.url.replace('/graphql', '/ready'));
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { circuits: Record<string, string> }).circuits.inspection).toBe('open');
    const metrics = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/subgraph_circuit_state\{subgraph="inspection"\} 2/);
    expect(metrics).toMatch(/subgraph_circuit_rejections_total\{subgraph="inspection"\} [1-9]/);

    proxy.recover();
    const recovered = performance.now();
    let answer = await post(gateway.url, query);
    while (answer.errors && performance.now() - recovered < 3 * PROBE_MS) {
      await sleep(50);
      answer = await post(gateway.url, query);
    }
    expect(answer.errors).toBeUndefined();
    expect(performance.now() - recovered).toBeLessThan(PROBE_MS + 500);
    const after = await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
    expect(after).toMatch(/subgraph_circuit_state\{subgraph="inspection"\} 0/);
  });

  it('cuts every subgraph fetch at the request deadline', async () => {
    const hung = await switchableProxy(graph.stack.subgraphs.find((s) => s.name === 'inspection')!.url);
    hung.state.hang = true;
    const short = await startGateway(
      loadGatewayConfig(
        gatewayEnv({ INSPECTION_URL: hung.url, SUBGRAPH_TIMEOUT_MS: '5000', REQUEST_DEADLINE_MS: '300' }),
      ),
    );
    try {
      const started = performance.now();
      const res = await post(short.url, query);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'inspection' });
      expect(res.errors![0]!.message).toMatch(/deadline of 300 ms/);
    } finally {
      await short.stop();
      await hung.close();
    }
  });
});

describe('shutdown deadline', () => {
  it('closes slow-body clients once the grace period is over, and stops', async () => {
    const gateway = await startGateway(loadGatewayConfig(gatewayEnv({ SHUTDOWN_GRACE_MS: '500' })));
    const { port } = new URL(gateway.url);
    const sockets = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(Number(port), '127.0.0.1', () => {
              // Headers and a part of the body, then nothing: a slow-body client.
              socket.write(
                'POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query":',
              );
              resolve(socket);
            });
            socket.on('error', () => {});
          }),
      ),
    );
    await sleep(100);
    const started = performance.now();
    await gateway.stop();
    expect(performance.now() - started).toBeLessThan(3_000);
    await sleep(50);
    expect(sockets.every((s) => s.destroyed || s.readableEnded)).toBe(true);
    for (const s of sockets) s.destroy();
  });
});
