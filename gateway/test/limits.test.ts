import { buildSchema, getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkLimits, measureOperation, type QueryLimits } from '../src/limits.ts';

const LIMITS: QueryLimits = {
  maxDocumentBytes: 100_000,
  maxTokens: 10_000,
  maxDepth: 15,
  maxAliases: 30,
  maxRootFields: 20,
  maxCost: 250_000,
  assumedListSize: 50,
};

// The shapes the cost model must know: plain lists, connections with a defaulted `first`, years.
const schema = buildSchema(`
  type Query {
    measures: [Measure!]!
    measure(code: String!): Measure
    provinces: [String!]!
  }
  type Measure {
    code: String!
    norms: [Norm!]!
    normResults(year: Int!, quarter: Int): [String!]
    dossiers(first: Int = 50, after: String): DossierConnection!
  }
  type Norm { id: ID! label: String }
  type DossierConnection { totalCount: Int! nodes: [Dossier!]! }
  type Dossier { id: ID! events: [String!]! }
`);

function measure(query: string, variables: Record<string, unknown> = {}, limits = LIMITS) {
  const document = parse(query);
  return measureOperation(document, getOperationAST(document)!, variables, limits, schema);
}

/** Fragments that each spread the next one twice: 2^levels copies of the last one when expanded. */
function doubling(levels: number): string {
  let doc = '{ measures { ...F0 } }\n';
  for (let i = 0; i < levels; i++) doc += `fragment F${i} on Measure { code ...F${i + 1} ...F${i + 1} }\n`;
  return `${doc}fragment F${levels} on Measure { norms { id } }\n`;
}

describe('query limits in time linear in the document', () => {
  it('refuses fragment doubling at 30 levels in a few milliseconds, with or without a schema', () => {
    const query = doubling(30);
    expect(Buffer.byteLength(query)).toBeLessThan(LIMITS.maxDocumentBytes);
    const started = performance.now();
    expect(checkLimits(query, {}, LIMITS)?.code).toBe('QUERY_TOO_COSTLY');
    expect(measure(query)?.code).toBe('QUERY_TOO_COSTLY');
    // Linear: a generous bound that exponential expansion (2^30 spreads) could never meet.
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('counts aliases as often as their fragment is spread', () => {
    let doc = '{ ...F0 }\n';
    for (let i = 0; i < 5; i++) doc += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }\n`;
    doc += 'fragment F5 on Query { a: provinces }';
    expect(measure(doc)?.code).toBe('TOO_MANY_ALIASES'); // 32 aliases once expanded
  });

  it('counts a page size given by a variable default, an argument default or a variable', () => {
    const big = { ...LIMITS, maxCost: 10_000 };
    // 50 measures x (1 + 1000 dossiers x 2): refused however `first` arrives.
    expect(measure('query ($n: Int = 1000) { measures { dossiers(first: $n) { nodes { id } } } }', {}, big)?.code).toBe(
      'QUERY_TOO_COSTLY',
    );
    expect(
      measure('query ($n: Int) { measures { dossiers(first: $n) { nodes { id } } } }', { n: 1000 }, big)?.code,
    ).toBe('QUERY_TOO_COSTLY');
    // Left out: the schema's default (50) counts, not 1.
    expect(measure('{ measures { dossiers { nodes { id events } } } }', {}, big)?.code).toBe('QUERY_TOO_COSTLY');
    expect(measure('{ measure(code: "VOP") { dossiers { nodes { id } } } }', {}, big)).toBeNull();
  });

  it('counts a list without first as the assumed list size, and a connection page once', () => {
    const limits = { ...LIMITS, maxCost: 2_600 };
    // measures (50) x (1 + code + norms (50) x (1 + id)) = 50 x (2 + 100) = 5,100 > 2,600
    expect(measure('{ measures { code norms { id } } }', {}, limits)?.code).toBe('QUERY_TOO_COSTLY');
    // measure x (1 + dossiers(first: 10) x (1 + totalCount + nodes x (1 + id))): nodes is the page, not 50 more.
    expect(
      measure('{ measure(code: "VOP") { dossiers(first: 10) { totalCount nodes { id } } } }', {}, limits),
    ).toBeNull();
  });

  it('measures the operation that will run, named by operationName', () => {
    const doc = `query Small { provinces } query Deep { measures { norms { id } } }`;
    expect(checkLimits(doc, {}, { ...LIMITS, maxDepth: 2 }, 'Small')).toBeNull();
    expect(checkLimits(doc, {}, { ...LIMITS, maxDepth: 2 }, 'Deep')?.code).toBe('QUERY_TOO_DEEP');
  });
});

describe('arguments every domain shares', () => {
  it.each([
    ['year -1', '{ measures { normResults(year: -1) } }', {}],
    ['year 2147483647', '{ measures { normResults(year: 2147483647) } }', {}],
    ['a year from a variable', 'query ($y: Int!) { measures { normResults(year: $y) } }', { y: 1800 }],
    ['quarter 5', '{ measures { normResults(year: 2020, quarter: 5) } }', {}],
    ['first 0', '{ measure(code: "VOP") { dossiers(first: 0) { totalCount } } }', {}],
    ['a NUL byte in a literal', '{ measure(code: "VO\\u0000P") { code } }', {}],
    ['a NUL byte in a variable', 'query ($c: String!) { measure(code: $c) { code } }', { c: 'VO\0P' }],
  ])('refuses %s as BAD_USER_INPUT naming the accepted range', (_, query, variables) => {
    const violation = measure(query, variables);
    expect(violation?.code).toBe('BAD_USER_INPUT');
    expect(violation?.message).toMatch(/between \d+ and \d+|NUL/);
  });

  it('accepts the years of the data', () => {
    expect(measure('{ measures { normResults(year: 2020, quarter: 4) } }')).toBeNull();
  });
});
