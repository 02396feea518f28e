import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueMeasureCount } from '@measure-graph/demo-data/testing';
import { post, startTestStack, type TestStack } from '../support/stack.ts';

describe('development mode (the embedded default)', () => {
  let graph: TestStack;
  beforeAll(async () => {
    graph = await startTestStack();
  });
  afterAll(() => graph?.stop());

  it('serves the GraphQL IDE and its assets from the gateway itself', async () => {
    const page = await fetch(graph.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/); // nothing from a CDN
    const script = await fetch(new URL('/ide/graphiql.js', graph.url));
    expect(script.status).toBe(200);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it('allows introspection', async () => {
    const res = await graph.query<{ __schema: { queryType: { name: string } } }>('{ __schema { queryType { name } } }');
    expect(res.data!.__schema.queryType.name).toBe('Query');
  });
});

describe('production mode (NODE_ENV=production)', () => {
  let graph: TestStack;
  beforeAll(async () => {
    graph = await startTestStack({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => graph?.stop());

  it('serves no IDE', async () => {
    const page = await fetch(graph.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('GraphiQL');
    expect((await fetch(new URL('/ide/graphiql.js', graph.url))).status).toBe(404);
  });

  it('refuses introspection but answers queries', async () => {
    const intro = await graph.query('{ __schema { queryType { name } } }');
    expect(intro.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const res = await graph.query<{ measures: unknown[] }>('{ measures { code } }');
    expect(res.data!.measures).toHaveLength(catalogueMeasureCount());
  });

  it('turns introspection off on the subgraphs too, even for the gateway credential', async () => {
    const registry = graph.stack.subgraphs.find((s) => s.name === 'registry')!.url;
    const gateway = { 'x-gateway-credential': graph.subgraphSecret };
    const intro = await post(registry, JSON.stringify({ query: '{ __schema { queryType { name } } }' }), gateway);
    expect(intro.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const ready = await post(registry, JSON.stringify({ query: '{ _ready }' }), gateway);
    expect(ready.data).toEqual({ _ready: true });
  });
});
