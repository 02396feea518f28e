import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
});
afterAll(() => graph?.stop());

describe('hostile documents are refused with 400 before any subgraph is asked', () => {
  // Limits are checked on the document before validation, so the nesting need not be valid fields.
  const nested = (depth: number) => `{ ${'measures { '.repeat(depth - 1)}code${' }'.repeat(depth - 1)} }`;
  it.each([
    { name: 'a depth-50 query', query: nested(50), code: 'QUERY_TOO_DEEP' },
    {
      name: '1000 aliases',
      query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: provinces { code }`).join(' ')} }`,
      code: 'TOO_MANY_ALIASES',
    },
    { name: 'a 1 MB document', query: `{ provinces { code } }${' '.repeat(1_048_576)}`, code: 'DOCUMENT_TOO_LARGE' },
  ])('$name: 400 $code', async ({ query, code }) => {
    const res = await graph.query(query);
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe(code);
  });
});

describe('bad requests get coded errors, never a crash', () => {
  it('a malformed query: 400 GRAPHQL_PARSE_FAILED', async () => {
    const res = await graph.query('{ measures { code ');
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('an unknown field or enum value: 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const field = await graph.query('{ measures { code budgetz } }');
    expect(field.status).toBe(400);
    expect(field.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const enumValue = await graph.query('{ measures(domain: HEALTH) { code } }');
    expect(enumValue.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('a variable of the wrong type: 400 BAD_USER_INPUT', async () => {
    const res = await graph.query('query ($d: Domain) { measures(domain: $d) { code } }', { d: 'HEALTH' });
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('a body that is not JSON: 400 BAD_REQUEST', async () => {
    const res = await graph.post('{"query": ');
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
  });

  it('a body without a query: 400 BAD_REQUEST', async () => {
    const res = await graph.post('{"variables": {}}');
    expect(res.status).toBe(400);
    expect(res.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
  });

  it('an unknown path: 404', async () => {
    const res = await fetch(graph.url.replace('/graphql', '/nothing-here'));
    expect(res.status).toBe(404);
  });

  it('keeps serving after all of the above', async () => {
    const res = await graph.query<{ measure: { code: string } }>('{ measure(code: "VOP") { code } }');
    expect(res.data!.measure.code).toBe('VOP');
  });

  it('a subgraph that is down: the rest of the data, a masked error, no internal address', async () => {
    const competences = graph.stack.subgraphs.find((s) => s.name === 'competences')!;
    const port = new URL(competences.url).port;
    await competences.stop();
    const res = await graph.query<{ measures: Array<{ code: string; name: string; norms: unknown[] | null }> | null }>(
      '{ measures(domain: COMPETENCES) { code name norms { id } } }',
    );
    expect(res.status).toBe(200);
    expect(res.errors!.length).toBeGreaterThan(0);
    expect(res.errors!.every((e) => e.extensions!.code === 'SUBGRAPH_UNAVAILABLE')).toBe(true);
    expect(res.errors![0]!.extensions!.serviceName).toBe('competences');
    expect(res.text).not.toContain(port);
    expect(res.text).not.toContain('ECONNREFUSED');
    // The registry still answered: the gateway did not crash and other domains still work.
    const other = await graph.query<{ measure: { norms: unknown[] } }>('{ measure(code: "VOP") { norms { id } } }');
    expect(other.data!.measure.norms).toHaveLength(5);
    // Readiness names the subgraph that is down, never its address.
    const ready = await fetch(graph.url.replace('/graphql', '/ready'));
    expect(ready.status).toBe(503);
    const body = await ready.text();
    expect(JSON.parse(body).subgraphs).toMatchObject({ competences: 'unavailable', registry: 'ok', activation: 'ok' });
    expect(body).not.toContain(port);
  });
});
