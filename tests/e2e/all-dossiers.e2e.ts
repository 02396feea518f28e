import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '@measure-graph/auth';
import { startTestStack, type GraphQLResponse, type TestStack } from '../support/stack.ts';

/**
 * Query.allDossiers through the gateway: the registry merges every domain's keyset pages, the
 * gateway fetches each dossier's fields from its domain. Every expectation is compared with the
 * measures' own dossier lists (or the full list itself), never with a number written here.
 */

interface Node {
  __typename: string;
  id: string;
  measureCode: string;
  kind: string;
  status: string;
  receivedAt: string;
  applicant: { kboNumber?: string; id?: string };
}
interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ cursor: string; node: Node }>;
}

const ALL = `query ($first: Int, $after: String, $filter: AllDossiersFilter) {
  allDossiers(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { __typename id measureCode kind status receivedAt
      applicant { ... on Organisation { kboNumber } ... on Person { id } } } }
  }
}`;

let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(() => graph?.stop());

const page = async (variables: Record<string, unknown>) =>
  (await graph.data<{ allDossiers: Page }>(ALL, variables)).allDossiers;

/** Every page of the list for a filter, at `first` per page. */
async function everything(filter: Record<string, unknown>, first = 1000) {
  const nodes: Node[] = [];
  let after: string | null = null;
  let totalCount = -1;
  let pages = 0;
  for (;;) {
    const p: Page = await page({ first, after, filter });
    totalCount = p.totalCount;
    nodes.push(...p.edges.map((e) => e.node));
    pages++;
    if (!p.pageInfo.hasNextPage) break;
    after = p.pageInfo.endCursor;
  }
  return { nodes, totalCount, pages };
}

interface MeasureCount {
  code: string;
  domain: string;
  dossiers: { totalCount: number } | null;
}
/** Each measure's own count of its dossiers for a per-measure filter. */
async function measureCounts(filter: Record<string, unknown>): Promise<MeasureCount[]> {
  const { measures } = await graph.data<{ measures: MeasureCount[] }>(
    `query ($filter: DossierFilter) { measures { code domain dossiers(first: 1, filter: $filter) { totalCount } } }`,
    { filter },
  );
  return measures;
}
const sum = (ms: MeasureCount[]) => ms.reduce((n, m) => n + (m.dossiers?.totalCount ?? 0), 0);

interface IdPage {
  measure: { dossiers: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };
}
interface EventPage {
  measure: {
    dossiers: {
      nodes: Array<{ id: string; events: Array<{ type: string; occurredAt: string }> }>;
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  };
}

/** The ids of a measure's own dossier list (all pages). */
async function measureIds(code: string, filter: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { measure }: IdPage = await graph.data<IdPage>(
      `query ($code: ID!, $after: String, $filter: DossierFilter) {
        measure(code: $code) { dossiers(first: 1000, after: $after, filter: $filter) { nodes { id } pageInfo { hasNextPage endCursor } } } }`,
      { code, after, filter },
    );
    ids.push(...measure.dossiers.nodes.map((n) => n.id));
    if (!measure.dossiers.pageInfo.hasNextPage) return ids;
    after = measure.dossiers.pageInfo.endCursor;
  }
}

const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);
const sorted = (ids: Iterable<string>) => [...ids].sort();

let all2020: Node[];

describe('allDossiers: every 2020 dossier of every domain', () => {
  it('pages through all of them at first 1000: exactly totalCount rows, no duplicates, newest received first', async () => {
    const { nodes, totalCount, pages } = await everything({ year: 2020 });
    all2020 = nodes;
    expect(pages).toBeGreaterThan(1);
    expect(nodes).toHaveLength(totalCount);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
    for (let i = 1; i < nodes.length; i++) expect(nodes[i - 1]!.receivedAt >= nodes[i]!.receivedAt).toBe(true);
    expect(nodes.every((n) => n.receivedAt.startsWith('2020-'))).toBe(true);
    // Every domain is in it, each dossier with the fields its own domain gave it.
    expect(new Set(nodes.map((n) => n.__typename))).toEqual(
      new Set(['ActivationDossier', 'CompetencesDossier', 'SocialEconomyDossier', 'InspectionDossier']),
    );
    // totalCount is the sum of the measures' own counts of 2020.
    expect(totalCount).toBe(sum(await measureCounts({ year: 2020 })));
  });

  it('gives the same rows at any page size', async () => {
    const small = await everything({ year: 2020, receivedFrom: '2020-11-01' }, 37);
    expect(small.nodes.map((n) => n.id)).toEqual(all2020.filter((n) => n.receivedAt >= '2020-11-01').map((n) => n.id));
  });
});

describe('allDossiers filters narrow like the measures’ own lists', () => {
  it('measureCodes: exactly the dossiers of those measures (of two domains)', async () => {
    const counts = (await measureCounts({ year: 2020 })).filter((m) => (m.dossiers?.totalCount ?? 0) > 0);
    const picked = ['ACTIVATION', 'SOCIAL_ECONOMY'].map((d) => counts.find((m) => m.domain === d)!);
    const { nodes, totalCount } = await everything({ year: 2020, measureCodes: picked.map((m) => m.code) });
    expect(totalCount).toBe(sum(picked));
    const expected = (await Promise.all(picked.map((m) => measureIds(m.code, { year: 2020 })))).flat();
    expect(sorted(nodes.map((n) => n.id))).toEqual(sorted(expected));
  });

  it('domains: the dossiers of the measures of those domains', async () => {
    const counts = await measureCounts({ year: 2020 });
    const { nodes, totalCount } = await everything({ year: 2020, domains: ['COMPETENCES', 'INSPECTION'] });
    expect(totalCount).toBe(sum(counts.filter((m) => m.domain === 'COMPETENCES' || m.domain === 'INSPECTION')));
    expect(nodes).toHaveLength(totalCount);
    expect(new Set(nodes.map((n) => n.__typename))).toEqual(new Set(['CompetencesDossier', 'InspectionDossier']));
    expect(sorted(nodes.map((n) => n.id))).toEqual(
      sorted(all2020.filter((n) => /^(COM|INS)-/.test(n.id)).map((n) => n.id)),
    );
  });

  it('statuses: the dossiers in one of those statuses', async () => {
    const granted = sum(await measureCounts({ year: 2020, status: 'GRANTED' }));
    const refused = sum(await measureCounts({ year: 2020, status: 'REFUSED' }));
    const { nodes, totalCount } = await everything({ year: 2020, statuses: ['GRANTED', 'REFUSED'] });
    expect(totalCount).toBe(granted + refused);
    expect(sorted(nodes.map((n) => n.id))).toEqual(
      sorted(all2020.filter((n) => n.status === 'GRANTED' || n.status === 'REFUSED').map((n) => n.id)),
    );
  });

  it('receivedFrom/receivedTo: days inclusive', async () => {
    const { nodes, totalCount } = await everything({ receivedFrom: '2020-03-01', receivedTo: '2020-03-31' });
    const expected = all2020.filter((n) => n.receivedAt >= '2020-03-01' && n.receivedAt < '2020-04-01');
    expect(expected.length).toBeGreaterThan(0);
    expect(totalCount).toBe(expected.length);
    expect(nodes.map((n) => n.id)).toEqual(expected.map((n) => n.id));
  });

  it('decidedFrom/decidedTo: granted or refused on a day of the range', async () => {
    // Two measures' whole lists (any year) with their events give the expected set.
    const counts = (await measureCounts({})).filter((m) => (m.dossiers?.totalCount ?? 0) > 0);
    const picked = ['ACTIVATION', 'COMPETENCES'].map((d) => counts.find((m) => m.domain === d)!);
    const expected: string[] = [];
    for (const m of picked) {
      let after: string | null = null;
      for (;;) {
        const { measure }: EventPage = await graph.data<EventPage>(
          `query ($code: ID!, $after: String) { measure(code: $code) { dossiers(first: 1000, after: $after) {
            nodes { id events { type occurredAt } } pageInfo { hasNextPage endCursor } } } }`,
          { code: m.code, after },
        );
        for (const d of measure.dossiers.nodes) {
          const decided = d.events.some(
            (e) =>
              (e.type === 'GRANTED' || e.type === 'REFUSED') &&
              e.occurredAt >= '2020-06-01' &&
              e.occurredAt < '2020-07-01',
          );
          if (decided) expected.push(d.id);
        }
        if (!measure.dossiers.pageInfo.hasNextPage) break;
        after = measure.dossiers.pageInfo.endCursor;
      }
    }
    expect(expected.length).toBeGreaterThan(0);
    const { nodes, totalCount } = await everything({
      measureCodes: picked.map((m) => m.code),
      decidedFrom: '2020-06-01',
      decidedTo: '2020-06-30',
    });
    expect(totalCount).toBe(expected.length);
    expect(sorted(nodes.map((n) => n.id))).toEqual(sorted(expected));
  });
});

describe('allDossiers refuses what it cannot answer', () => {
  it.each([
    [{ receivedFrom: '2020-02-30' }, 'filter.receivedFrom'],
    [{ decidedTo: '20-01-2020' }, 'filter.decidedTo'],
    [{ receivedFrom: '2020-05-01', receivedTo: '2020-04-30' }, 'filter.receivedFrom'],
    [{ decidedFrom: '2020-05-01', decidedTo: '2020-04-30' }, 'filter.decidedFrom'],
  ])('a bad day or range (%j) is BAD_USER_INPUT naming the field', async (filter, field) => {
    const res = await graph.query(ALL, { first: 10, filter });
    expect(res.data?.allDossiers ?? null).toBeNull();
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions).toMatchObject({ field });
  });

  it('a bad cursor, or first above 1000, is BAD_USER_INPUT; an unknown measure code NOT_FOUND', async () => {
    expect(codes(await graph.query(ALL, { first: 10, after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await graph.query(ALL, { first: 1001 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await graph.query(ALL, { first: 10, filter: { measureCodes: ['NO-SUCH'] } }))).toEqual(['NOT_FOUND']);
  });

  it('refuses an anonymous caller and one without dossiers:read, like the measures’ dossier lists', async () => {
    const body = JSON.stringify({ query: ALL, variables: { first: 5 } });
    const anonymous = await graph.post(body, { authorization: '' });
    expect(anonymous.data?.allDossiers ?? null).toBeNull();
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const token = await graph.token({ scopes: [SCOPES.personsRead] });
    const withoutScope = await graph.post(body, { authorization: `Bearer ${token}` });
    expect(withoutScope.data).toEqual({ allDossiers: null });
    expect(codes(withoutScope)).toEqual(['FORBIDDEN']);
  });
});

describe('allDossiers cursors', () => {
  it('keep their place when a dossier is received before them after the first page was read', async () => {
    const filter = { year: 2020 };
    const first = await page({ first: 50, filter });
    const second = await page({ first: 50, after: first.pageInfo.endCursor, filter });
    // A new dossier, received after every one of the list (so before the cursor in its order).
    const model = first.edges.map((e) => e.node).find((n) => n.__typename === 'ActivationDossier')!;
    const applicant = model.applicant.kboNumber
      ? { applicantKbo: model.applicant.kboNumber }
      : { applicantPersonId: model.applicant.id };
    const submitted = await graph.data<{ activation: { submitDossier: { id: string } } }>(
      `mutation ($input: SubmitDossierInput!) { activation { submitDossier(input: $input) { id } } }`,
      {
        input: {
          measureCode: model.measureCode,
          kind: model.kind,
          channel: 'ONLINE',
          ...applicant,
          receivedAt: '2020-12-31T23:59:59+01:00',
          idempotencyKey: `all-dossiers-${Date.now()}`,
        },
      },
    );
    const again = await page({ first: 50, after: first.pageInfo.endCursor, filter });
    expect(again.edges.map((e) => e.node.id)).toEqual(second.edges.map((e) => e.node.id));
    expect(again.totalCount).toBe(second.totalCount + 1);
    // The new dossier heads a fresh first page.
    const fresh = await page({ first: 1, filter });
    expect(fresh.edges[0]!.node.id).toBe(submitted.activation.submitDossier.id);
  });
});

// Last: it stops a domain subgraph of the stack.
describe('allDossiers with a domain down', () => {
  it('is SUBGRAPH_UNAVAILABLE naming the domain, never a list without its dossiers; other domains still answer', async () => {
    await graph.stack.subgraphs.find((s) => s.name === 'inspection')!.stop();
    const res = await graph.query(ALL, { first: 10, filter: { year: 2020 } });
    expect(res.data?.allDossiers ?? null).toBeNull();
    expect(codes(res)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(res.errors![0]!.message).toContain('inspection');
    expect(res.text).not.toMatch(/127\.0\.0\.1|localhost/);
    const activation = await page({ first: 10, filter: { year: 2020, domains: ['ACTIVATION'] } });
    expect(activation.edges.map((e) => e.node.__typename)).toEqual(Array(10).fill('ActivationDossier'));
  });
});
