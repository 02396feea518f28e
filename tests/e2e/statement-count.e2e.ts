import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueMeasureCount } from '@measure-graph/demo-data/testing';
import { startTestStack, type TestStack } from '../support/stack.ts';

let graph: TestStack;
const statements = new Map<string, number>();
beforeAll(async () => {
  graph = await startTestStack({
    onQuery: (subgraph) => statements.set(subgraph, (statements.get(subgraph) ?? 0) + 1),
  });
});
afterAll(() => graph?.stop());

const QUERY = `query ($domain: Domain, $first: Int!) {
  measures(domain: $domain) {
    code name
    normResults(year: 2020) { norm { id label } result target counted late changeVsPreviousYearPpt }
    budget(year: 2020) { vekRealised vakRealised nextYearVekBudget }
    dossiers(first: $first) {
      totalCount
      nodes { id status applicant { __typename ... on Organisation { kboNumber name } ... on Person { id givenName } } events { type } }
    }
  }
}`;

/** Statements each subgraph sent for one request. */
async function count(variables: Record<string, unknown>) {
  statements.clear();
  const res = await graph.query<{ measures: Array<{ dossiers: { nodes: unknown[] } }> }>(QUERY, variables);
  expect(res.errors).toBeUndefined();
  const rows = res.data!.measures.reduce((n, m) => n + m.dossiers.nodes.length, 0);
  return { perSubgraph: Object.fromEntries(statements), rows, measures: res.data!.measures.length };
}

describe('statements per request do not grow with the rows returned (no N+1)', () => {
  it('is the same for 5 and for 50 dossiers per measure, and for one domain or all four', async () => {
    const few = await count({ domain: 'SOCIAL_ECONOMY', first: 5 });
    const many = await count({ domain: 'SOCIAL_ECONOMY', first: 50 });
    expect(many.rows).toBeGreaterThan(few.rows * 3);
    expect(many.perSubgraph).toEqual(few.perSubgraph);

    const all = await count({ first: 50 });
    expect(all.measures).toBe(catalogueMeasureCount());
    expect(all.rows).toBeGreaterThan(many.rows);
    // Every domain answers its part of the request with the same, bounded number of statements.
    for (const domain of ['activation', 'competences', 'inspection']) {
      expect(all.perSubgraph[domain], domain).toBeLessThanOrEqual(many.perSubgraph['social-economy']!);
    }
    expect(all.perSubgraph.registry).toBeLessThanOrEqual(5);
  });
});
