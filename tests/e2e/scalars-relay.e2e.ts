import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The wire formats of the graph's scalars (Date, DateTime, Decimal, Share) and the Relay connection
 * shape, through the gateway over the small demo profile. See docs/architecture.md, "Scalars" and "Relay".
 */

let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(() => graph?.stop());

const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

/** The Brussels wall time of an instant, computed by Intl, independently of the scalar's code. */
const brusselsWall = (iso: string) =>
  new Date(iso).toLocaleString('sv-SE', { timeZone: 'Europe/Brussels', hour12: false }).replace(' ', 'T');

/** A DateTime is the Brussels wall time followed by the Brussels offset of that instant. */
function expectBrusselsDateTime(value: string) {
  expect(value).toMatch(OFFSET_TIME);
  expect(brusselsWall(value)).toBe(value.slice(0, 19));
}

interface Page {
  edges: Array<{ cursor: string; node: { id: string } }>;
  nodes: Array<{ id: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** What every connection promises: edges and nodes agree, the page info names the first and last cursors. */
function expectRelayPage(page: Page) {
  expect(page.edges.map((e) => e.node.id)).toEqual(page.nodes.map((n) => n.id));
  expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
  expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
  expect(page.pageInfo.hasPreviousPage).toBe(false);
  expect(new Set(page.edges.map((e) => e.cursor)).size).toBe(page.edges.length);
}
const PAGE = (node: string) =>
  `edges { cursor node { ${node} } } nodes { ${node} } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

describe('scalars on the wire', () => {
  it('gives dossier, event and payment times with the Brussels offset of their instant, amounts as exact decimal strings', async () => {
    type DossierTimes = {
      receivedAt: string;
      completedAt: string | null;
      events: Array<{ occurredAt: string }>;
      payments: Array<{ period: string; paidAt: string; amount: string }>;
    };
    // Granted dossiers of every measure: some of them have payments.
    const { measures } = await graph.data<{ measures: Array<{ dossiers: { nodes: DossierTimes[] } | null }> }>(
      `{ measures { dossiers(first: 20, filter: { status: GRANTED }) { nodes {
          receivedAt completedAt events { occurredAt } payments { period paidAt amount } } } } }`,
    );
    const dossiers = measures.flatMap((m) => m.dossiers?.nodes ?? []);
    expect(dossiers.length).toBeGreaterThan(0);
    const times = dossiers.flatMap((d) => [
      d.receivedAt,
      ...(d.completedAt ? [d.completedAt] : []),
      ...d.events.map((e) => e.occurredAt),
      ...d.payments.map((p) => p.paidAt),
    ]);
    // Each offset is the one Brussels had at that instant (+01:00 in winter, +02:00 in summer; the
    // transitions themselves are in the scalar's unit test).
    times.forEach(expectBrusselsDateTime);
    const payments = dossiers.flatMap((d) => d.payments);
    expect(payments.length).toBeGreaterThan(0);
    for (const p of payments) {
      expect(p.period).toMatch(/^\d{4}-\d{2}-01$/);
      expect(typeof p.amount).toBe('string');
      expect(p.amount).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it('gives budget amounts as exact decimal strings, and shares with at most 4 decimal places', async () => {
    const { measures, normResultsTable } = await graph.data<{
      measures: Array<{ code: string; budget: { vekRealised: string | null; vakRealised: string | null } | null }>;
      normResultsTable: Array<{
        result: number | null;
        target: number | null;
        changeVsPreviousYearPpt: number | null;
        resultVsTarget: number | null;
      }>;
    }>(`{ measures { code budget(year: 2020) { vekRealised vakRealised } }
          normResultsTable(year: 2020) { result target changeVsPreviousYearPpt resultVsTarget } }`);
    const amounts = measures.flatMap((m) => [m.budget?.vekRealised, m.budget?.vakRealised]).filter((a) => a != null);
    expect(amounts.length).toBeGreaterThan(0);
    for (const a of amounts) expect(a).toMatch(/^\d+\.\d{2}$/);
    const shares = normResultsTable
      .flatMap((r) => [r.result, r.target, r.changeVsPreviousYearPpt, r.resultVsTarget])
      .filter((s): s is number => s != null);
    expect(shares.length).toBeGreaterThan(0);
    for (const s of shares) {
      expect(typeof s).toBe('number');
      expect(Number(s.toFixed(4))).toBe(s);
    }
  });

  it('refuses a day that does not exist in a Date argument, as a literal and as a variable', async () => {
    const literal = await graph.query(`{ trainingVoucherFigures(from: "2024-02-30", to: "2024-03-31") { issued } }`);
    expect(literal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(literal.errors?.[0]?.message).toContain('2024-02-30');
    const variable = await graph.query(
      `query ($from: Date!) { trainingVoucherFigures(from: $from, to: "2024-03-31") { issued } }`,
      { from: '2023-02-29' },
    );
    expect(variable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(variable.errors?.[0]?.message).toContain('2023-02-29');
    const fine = await graph.query(`{ trainingVoucherFigures(from: "2024-02-29", to: "2024-03-31") { issued } }`);
    expect(fine.errors).toBeUndefined();
  });

  it('refuses a date-time input without an offset, saying so, and writes nothing', async () => {
    const res = await graph.query(
      `mutation ($input: SubmitDossierInput!) { activation { submitDossier(input: $input) { id } } }`,
      {
        input: {
          measureCode: 'VOP',
          kind: 'NEW_APPLICATION',
          channel: 'ONLINE',
          applicantKbo: '0449.859.670',
          receivedAt: '2021-03-01T09:00:00',
          idempotencyKey: `scalars-e2e-${Date.now()}`,
        },
      },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/offset/);
    expect(res.data?.activation ?? null).toBeNull();
  });
});

describe('Relay connections', () => {
  it('dossiers: edges, nodes and page info, page after page', async () => {
    const first = await graph.data<{ measure: { dossiers: Page } }>(
      `{ measure(code: "VOP") { dossiers(first: 3) { ${PAGE('id')} } } }`,
    );
    expectRelayPage(first.measure.dossiers);
    expect(first.measure.dossiers.pageInfo.hasNextPage).toBe(true);
    const next = await graph.data<{ measure: { dossiers: Page } }>(
      `query ($after: String) { measure(code: "VOP") { dossiers(first: 3, after: $after) { ${PAGE('id')} } } }`,
      { after: first.measure.dossiers.pageInfo.endCursor },
    );
    expectRelayPage(next.measure.dossiers);
    const ids = [...first.measure.dossiers.nodes, ...next.measure.dossiers.nodes].map((n) => n.id);
    expect(new Set(ids).size).toBe(6);
  });

  it('norm items, inspections and the access log have edges too', async () => {
    const { measure } = await graph.data<{
      measure: {
        normResults: Array<{ items: { edges: Array<{ cursor: string; node: unknown }> } & Omit<Page, 'edges'> }>;
      };
    }>(`{ measure(code: "VOP") { normResults(year: 2020) { items(first: 2) {
          edges { cursor node { dossier { id } } } nodes { dossier { id } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }`);
    const items = measure.normResults.map((r) => r.items).find((i) => i.nodes.length > 0)!;
    expect(items).toBeDefined();
    const asPage = (c: typeof items): Page => ({
      ...c,
      edges: c.edges.map((e) => ({
        cursor: e.cursor,
        node: { id: (e.node as { dossier: { id: string } }).dossier.id },
      })),
      nodes: c.nodes.map((n) => ({ id: (n as unknown as { dossier: { id: string } }).dossier.id })),
    });
    expectRelayPage(asPage(items));

    const { measure: dc } = await graph.data<{
      measure: {
        dossiers: { nodes: Array<{ applicant: { kboNumber?: string; inspections?: Page & { totalCount: number } } }> };
      };
    }>(`{ measure(code: "DIENSTENCHEQUES") { dossiers(first: 50) { nodes { applicant { ... on Organisation {
          kboNumber inspections(first: 2) { totalCount ${PAGE('id')} } } } } } } }`);
    const inspected = dc.dossiers.nodes.map((n) => n.applicant.inspections).find((i) => i && i.totalCount > 0);
    expect(inspected).toBeDefined();
    expectRelayPage(inspected!);

    const { personalDataAccessLog } = await graph.data<{ personalDataAccessLog: Page }>(
      `{ personalDataAccessLog(first: 5) { ${PAGE('id')} } }`,
    );
    expectRelayPage(personalDataAccessLog);
  });
});
