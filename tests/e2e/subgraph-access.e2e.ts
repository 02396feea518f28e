import { loadGatewayConfig, startGateway, subgraphUrlVar } from '@measure-graph/gateway';
import { showcaseEmployer } from '@measure-graph/demo-data';
import { generateSubgraphSecret, SUBGRAPH_CREDENTIAL_HEADER } from '@measure-graph/subgraph-platform/credential';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack.ts';

/**
 * Subgraphs serve only the gateway (issue 12, part 7): reached directly, without the gateway's
 * credential, they answer nothing, `_service`, introspection and `_entities` included; with it,
 * the body, the document and the `_entities` batch are bounded, errors are JSON, and no CORS.
 */
let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(() => graph?.stop());

const employer = showcaseEmployer();
const subgraphUrl = (name = 'registry') => graph.stack.subgraphs.find((s) => s.name === name)!.url;
const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
const gateway = () => ({ [SUBGRAPH_CREDENTIAL_HEADER]: graph.subgraphSecret });
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

const SERVICE = '{ _service { sdl } }';
const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';
const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Organisation { kboNumber name } } }`;
const organisation = () => ({ __typename: 'Organisation', kboNumber: employer.kboNumber });
const REQUESTS: Array<[string, string]> = [
  ['_service { sdl }', body(SERVICE)],
  ['an introspection query', body(INTROSPECTION)],
  ['_entities', body(ENTITIES, { representations: [organisation()] })],
];

/** Nothing a refusal says may point inside the service: no stack, no file path, no HTML. */
function expectNothingInternal(text: string) {
  expect(text).not.toMatch(/<html|<!doctype|<pre/i);
  expect(text).not.toMatch(/\bat \S+ \(|node:internal|node_modules|\/work\/|\.ts:\d+/);
}

describe('a subgraph reached without the gateway credential', () => {
  it.each(REQUESTS)('refuses %s with 401 SUBGRAPH_CREDENTIAL_REQUIRED, in every subgraph', async (_, request) => {
    for (const s of graph.stack.subgraphs) {
      const started = performance.now();
      const res = await post(s.url, request, { authorization: `Bearer ${graph.allScopesToken}` });
      expect(performance.now() - started).toBeLessThan(200);
      expect(res.status).toBe(401);
      expect(res.data).toBeUndefined();
      expect(res.errors).toEqual([
        { message: expect.any(String), extensions: { code: 'SUBGRAPH_CREDENTIAL_REQUIRED' } },
      ]);
      expect(res.text).not.toContain('Query');
      expectNothingInternal(res.text);
    }
  });

  it('refuses GET, another path and a body that is not even JSON the same way', async () => {
    for (const res of [
      await fetch(`${subgraphUrl()}?query=${encodeURIComponent(SERVICE)}`),
      await fetch(subgraphUrl().replace('/graphql', '/anything')),
      await fetch(subgraphUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q' }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await res.json()) as GraphQLResponse).errors![0]!.extensions!.code).toBe('SUBGRAPH_CREDENTIAL_REQUIRED');
    }
  });

  it.each(REQUESTS)('refuses %s with a wrong credential: 403 SUBGRAPH_CREDENTIAL_INVALID', async (_, request) => {
    for (const wrong of [generateSubgraphSecret(), graph.subgraphSecret.slice(1), `${graph.subgraphSecret}x`, 'x']) {
      const res = await post(subgraphUrl(), request, { [SUBGRAPH_CREDENTIAL_HEADER]: wrong });
      expect(res.status).toBe(403);
      expect(codes(res)).toEqual(['SUBGRAPH_CREDENTIAL_INVALID']);
      expect(res.data).toBeUndefined();
      expectNothingInternal(res.text);
    }
  });

  it('does not take the credential from the Authorization header', async () => {
    const res = await post(subgraphUrl(), body(SERVICE), { authorization: `Bearer ${graph.subgraphSecret}` });
    expect(res.status).toBe(401);
  });
});

describe('a subgraph reached with the gateway credential', () => {
  it('answers _service { sdl }, introspection (outside production) and _entities', async () => {
    const service = await post(subgraphUrl(), body(SERVICE), gateway());
    expect(service.status).toBe(200);
    expect(service.data!._service.sdl).toContain('type Organisation');
    const introspection = await post(subgraphUrl(), body(INTROSPECTION), gateway());
    expect(introspection.data!.__schema.queryType.name).toBe('Query');
    const entities = await post(subgraphUrl(), body(ENTITIES, { representations: [organisation()] }), gateway());
    expect(entities.errors).toBeUndefined();
    expect(entities.data!._entities).toEqual([{ kboNumber: employer.kboNumber, name: expect.any(String) }]);
  });

  it('keeps the GraphQL path of the composed supergraph (/graphql) and the stack URLs of before (/)', async () => {
    expect(new URL(subgraphUrl()).pathname).toBe('/graphql');
    const root = await post(subgraphUrl().replace(/\/graphql$/, '/'), body('{ _ready }'), gateway());
    expect(root.data).toEqual({ _ready: true });
  });

  it('answers malformed JSON with 400 BAD_REQUEST as JSON: no HTML, no stack, no file path', async () => {
    for (const raw of ['{"query": ', '{"query": "{ _ready }"', '\u0000\u0001', '[{"query": "{ _ready }"}]', '"text"']) {
      const res = await post(subgraphUrl(), raw, gateway());
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(['BAD_REQUEST']);
      expectNothingInternal(res.text);
    }
    const syntax = await post(subgraphUrl(), body('{ _ready '), gateway());
    expect(syntax.status).toBe(400);
    expect(codes(syntax)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expectNothingInternal(syntax.text);
  });

  it('refuses a body over SUBGRAPH_MAX_BODY_BYTES (5 MB) with 413, declared or not', async () => {
    const big = body(`{ _ready } # ${'x'.repeat(5_100_000)}`);
    const declared = await post(subgraphUrl(), big, gateway());
    expect(declared.status).toBe(413);
    expect(codes(declared)).toEqual(['PAYLOAD_TOO_LARGE']);
    // Sent in chunks without a length: cut once the limit is passed.
    const chunks = [big.slice(0, 3_000_000), big.slice(3_000_000)];
    const streamed = await fetch(subgraphUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...gateway() },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next) controller.enqueue(new TextEncoder().encode(next));
          else controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit).catch((err: Error) => err);
    // The connection is closed after the answer: a client still sending may see the close first.
    if (!(streamed instanceof Error)) {
      expect(streamed.status).toBe(413);
      expect(((await streamed.json()) as GraphQLResponse).errors![0]!.extensions!.code).toBe('PAYLOAD_TOO_LARGE');
    }
    expect((await post(subgraphUrl(), body('{ _ready }'), gateway())).data).toEqual({ _ready: true });
  });

  it('refuses more than SUBGRAPH_MAX_REPRESENTATIONS (50,000) _entities representations before executing', async () => {
    const started = performance.now();
    const res = await post(
      subgraphUrl(),
      body(ENTITIES, { representations: Array.from({ length: 50_001 }, organisation) }),
      gateway(),
    );
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['TOO_MANY_REPRESENTATIONS']);
    expect(performance.now() - started).toBeLessThan(1000);
    // Aliases do not split a batch past the limit.
    const split = await post(
      subgraphUrl(),
      body(
        `query ($a: [_Any!]!, $b: [_Any!]!) {
          a: _entities(representations: $a) { __typename } b: _entities(representations: $b) { __typename } }`,
        {
          a: Array.from({ length: 25_001 }, organisation),
          b: Array.from({ length: 25_000 }, organisation),
        },
      ),
      gateway(),
    );
    expect(codes(split)).toEqual(['TOO_MANY_REPRESENTATIONS']);
  });

  it('refuses a document over the depth or token limit with 400 and a code', async () => {
    const deep = await post(subgraphUrl(), body(`{ ${'a { '.repeat(31)}b${' }'.repeat(31)} }`), gateway());
    expect(deep.status).toBe(400);
    expect(codes(deep)).toEqual(['QUERY_TOO_DEEP']);
    // Fragments are measured once each, whatever their spreads: 30 levels of doubling cost nothing.
    const levels = 30;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on Query { ${i + 1 < levels ? `a: _ready ...F${i + 1} ...F${i + 1}` : '_ready'} }`,
    );
    const started = performance.now();
    const doubling = await post(subgraphUrl(), body(`{ ...F0 } ${fragments.join(' ')}`), gateway());
    expect(performance.now() - started).toBeLessThan(200);
    expect(doubling.data).toEqual({ a: true, _ready: true });
    const cycle = await post(subgraphUrl(), body('{ ...A } fragment A on Query { _ready ...A }'), gateway());
    expect(codes(cycle)).toEqual(['QUERY_TOO_DEEP']);
    const many = await post(subgraphUrl(), body(`{ ${'_ready '.repeat(100_001)}}`), gateway());
    expect(many.status).toBe(400);
    expect(codes(many)).toEqual(['TOO_MANY_TOKENS']);
  });

  it('sends no CORS headers, even to a caller that names its Origin; OPTIONS is 405', async () => {
    const origin = { origin: 'https://evil.example' };
    const answered = await fetch(subgraphUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...origin, ...gateway() },
      body: body('{ _ready }'),
    });
    expect(answered.status).toBe(200);
    const preflight = await fetch(subgraphUrl(), {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'POST', ...gateway() },
    });
    expect(preflight.status).toBe(405);
    expect(((await preflight.json()) as GraphQLResponse).errors![0]!.extensions!.code).toBe('METHOD_NOT_ALLOWED');
    const anonymousPreflight = await fetch(subgraphUrl(), {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'POST' },
    });
    expect(anonymousPreflight.status).toBe(401);
    for (const res of [answered, preflight, anonymousPreflight]) {
      for (const header of res.headers.keys()) expect(header).not.toMatch(/^access-control-/);
    }
  });

  it('accepts POST only', async () => {
    const get = await fetch(`${subgraphUrl()}?query=${encodeURIComponent('{ _ready }')}`, { headers: gateway() });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('the gateway', () => {
  it('still answers through the subgraphs, and its /ready probe passes the credential', async () => {
    const res = await graph.query<{ measures: unknown[]; organisation: { name: string } }>(
      `{ measures { code } organisation(kboNumber: "${employer.kboNumber}") { name } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.measures.length).toBeGreaterThan(0);
    expect(res.data!.organisation.name).toEqual(expect.any(String));
    const ready = await fetch(graph.url.replace('/graphql', '/ready'));
    expect(ready.status).toBe(200);
  });

  it('with another SUBGRAPH_SECRET gets nothing from the subgraphs, and /ready says so', async () => {
    const env: NodeJS.ProcessEnv = { ...graph.authEnv, PORT: '0', SUBGRAPH_SECRET: generateSubgraphSecret() };
    for (const s of graph.stack.subgraphs) env[subgraphUrlVar(s.name)] = s.url;
    const other = await startGateway(loadGatewayConfig(env));
    try {
      // A deployment fault, not the caller's: the service is unavailable (never FORBIDDEN or UNAUTHENTICATED).
      const res = await post(other.url, body('{ measures { code } }'));
      expect(res.data?.measures ?? null).toBeNull();
      expect(res.errors![0]!.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'registry' });
      expect(res.text).not.toContain(graph.subgraphSecret);
      expect(res.text).not.toContain('127.0.0.1');
      const ready = await fetch(other.url.replace('/graphql', '/ready'));
      expect(ready.status).toBe(503);
      const { subgraphs } = (await ready.json()) as { subgraphs: Record<string, string> };
      expect(Object.values(subgraphs)).toEqual(Array(5).fill('refused'));
    } finally {
      await other.stop();
    }
  });
});
