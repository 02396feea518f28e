import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationHash } from '@measure-graph/subgraph-platform';
import { createHttpHandler, type HttpHandlerOptions, type RequestContext } from '../src/http.ts';

const require = createRequire(import.meta.url);
const MAX_BODY = 2048;
const LIMITS = { maxDocumentBytes: 1500, maxTokens: 300, maxDepth: 4, maxAliases: 3, maxRootFields: 5, maxCost: 500 };

interface Running {
  base: string;
  server: http.Server;
  apollo: ApolloServer<Partial<RequestContext>>;
}

const running: Running[] = [];

/** A real Apollo Server over a one-field schema behind the handler, as the gateway runs it. */
async function start(options: Omit<HttpHandlerOptions, 'authenticate'>): Promise<string> {
  const apollo = new ApolloServer<Partial<RequestContext>>({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  // Callers are anonymous here; token verification is tested through the whole graph (tests/e2e/auth).
  const server = http.createServer(createHttpHandler(apollo, { ...options, authenticate: async () => null }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  running.push({ base, server, apollo });
  return base;
}

/** Sends a body without content-length (chunked), so only the streaming limit can stop it. */
function postChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const postJson = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

let withIde: string;
let withoutIde: string;

beforeAll(async () => {
  withIde = await start({ ide: true, maxBodyBytes: MAX_BODY, limits: LIMITS });
  withoutIde = await start({ ide: false, maxBodyBytes: MAX_BODY, limits: LIMITS });
});

afterAll(async () => {
  for (const { server, apollo } of running) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await apollo.stop();
  }
});

describe('GraphQL endpoint', () => {
  it('answers a POSTed JSON query', async () => {
    const res = await postJson(`${withIde}/graphql`, JSON.stringify({ query: '{ hello }' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ data: { hello: 'world' } });
  });

  it('answers a GET query when the CSRF preflight header is sent, and refuses it otherwise', async () => {
    const url = `${withoutIde}/graphql?query=${encodeURIComponent('{ hello }')}`;
    const ok = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { hello: 'world' } });

    const blocked = await fetch(url);
    expect(blocked.status).toBe(400);
    expect(await blocked.text()).toMatch(/CSRF|preflight/i);
  });

  it('passes GraphQL errors through with their status and code', async () => {
    const res = await postJson(`${withIde}/graphql`, JSON.stringify({ query: '{ hello' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses a body over maxBodyBytes with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ query: `{ hello } # ${'x'.repeat(MAX_BODY)}` });
    const res = await postJson(`${withIde}/graphql`, big);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      errors: [{ message: `Request body exceeds ${MAX_BODY} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });

  it('also refuses an oversized body sent without content-length', async () => {
    const res = await postChunked(`${withIde}/graphql`, ['{"query":"{ hello }", "pad": "', 'y'.repeat(MAX_BODY), '"}']);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');

    const small = await postChunked(`${withIde}/graphql`, ['{"query":', '"{ hello }"}']);
    expect(small.status).toBe(200);
    expect(JSON.parse(small.body)).toEqual({ data: { hello: 'world' } });
  });

  it('answers invalid JSON with 400 BAD_REQUEST', async () => {
    const res = await postJson(`${withIde}/graphql`, '{"query": "{ hello }"');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors).toEqual([{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }]);
  });

  it('answers an unknown path with 404 NOT_FOUND', async () => {
    for (const base of [withIde, withoutIde]) {
      const res = await postJson(`${base}/graphq1`, JSON.stringify({ query: '{ hello }' }));
      expect(res.status).toBe(404);
      const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(body.errors[0]!.extensions.code).toBe('NOT_FOUND');
    }
  });
});

describe('offline IDE', () => {
  const assets = [
    ['graphiql.js', 'text/javascript', 'graphiql', 'graphiql.min.js'],
    ['react.js', 'text/javascript', 'react', 'umd/react.production.min.js'],
    ['react-dom.js', 'text/javascript', 'react-dom', 'umd/react-dom.production.min.js'],
    ['graphiql.css', 'text/css', 'graphiql', 'graphiql.min.css'],
  ] as const;

  it('serves GraphiQL HTML that loads only local assets', async () => {
    const res = await fetch(`${withIde}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    for (const [name] of assets) expect(html).toContain(`/ide/${name}`);
    expect(html).toContain('GraphiQL.createFetcher');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('redirects a browser from / to /graphql', async () => {
    const res = await fetch(`${withIde}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/graphql');
  });

  it.each(assets)('serves /ide/%s as %s from the %s package', async (name, type, pkg, file) => {
    const res = await fetch(`${withIde}/ide/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBeGreaterThan(1000);
    // Byte for byte the file installed in node_modules (React's `exports` hide umd/, so go via package.json).
    const installed = fs.readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file));
    expect(body.equals(installed)).toBe(true);
  });

  it('answers an unknown asset with 404', async () => {
    const res = await fetch(`${withIde}/ide/%2e%2e%2fpackage.json`);
    expect(res.status).toBe(404);
    expect((await fetch(`${withIde}/ide/graphiql.min.js`)).status).toBe(404);
    for (const name of ['constructor', 'toString', '__proto__']) {
      expect((await fetch(`${withIde}/ide/${name}`)).status).toBe(404);
    }
  });

  it('serves neither HTML nor assets when disabled', async () => {
    const page = await fetch(`${withoutIde}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(await page.text()).not.toMatch(/<html|graphiql/i);

    const root = await fetch(`${withoutIde}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(root.status).toBe(404);

    for (const [name] of assets) {
      const res = await fetch(`${withoutIde}/ide/${name}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });
});

describe('query limits: refused with 400 and a code before execution', () => {
  const send = (query: string, variables: Record<string, unknown> = {}) =>
    postJson(`${withoutIde}/graphql`, JSON.stringify({ query, variables }));
  const codeOf = async (res: Response) =>
    ((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code;
  const nested = (depth: number) => `{ ${'hello { '.repeat(depth - 1)}hello${' }'.repeat(depth - 1)} }`;

  it.each([
    ['a query nested deeper than the limit', nested(6), 'QUERY_TOO_DEEP'],
    ['more aliases than the limit', `{ ${[1, 2, 3, 4].map((i) => `a${i}: hello`).join(' ')} }`, 'TOO_MANY_ALIASES'],
    ['more root fields than the limit', `{ ${Array(6).fill('hello').join(' ')} }`, 'TOO_MANY_ROOT_FIELDS'],
    ['more tokens than the limit', `{ ${Array(310).fill('h').join(' ')} }`, 'TOO_MANY_TOKENS'],
    ['a document over the size limit', `{ hello ${' '.repeat(1600)}}`, 'DOCUMENT_TOO_LARGE'],
    ['a list page that makes it too costly', '{ hello(first: 600) }', 'QUERY_TOO_COSTLY'],
    ['a fragment that spreads itself', '{ ...F } fragment F on Query { ...F }', 'QUERY_TOO_DEEP'],
  ])('refuses %s', async (_, query, code) => {
    const res = await send(query);
    expect(res.status).toBe(400);
    expect(await codeOf(res)).toBe(code);
  });

  it('counts a page size given as a variable, and lets a query within every limit through', async () => {
    const costly = await send('query ($n: Int) { hello(first: $n) }', { n: 1000 });
    expect(await codeOf(costly)).toBe('QUERY_TOO_COSTLY');
    const ok = await send('{ a: hello b: hello }');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { a: 'world', b: 'world' } });
  });
});

describe('safelist mode', () => {
  let safelisted: string;
  beforeAll(async () => {
    safelisted = await start({
      ide: false,
      maxBodyBytes: MAX_BODY,
      limits: LIMITS,
      safelist: new Set([operationHash('query Hello { hello }')]),
    });
  });

  it('runs a registered operation, whatever its formatting', async () => {
    const res = await postJson(
      `${safelisted}/graphql`,
      JSON.stringify({ query: 'query Hello {\n  hello # greeting\n}' }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { hello: 'world' } });
  });

  it('refuses any other document with 400 OPERATION_NOT_SAFELISTED', async () => {
    const res = await postJson(`${safelisted}/graphql`, JSON.stringify({ query: '{ hello }' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('OPERATION_NOT_SAFELISTED');
  });
});
