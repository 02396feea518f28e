import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Incremental refresh as a BI tool does it through the gateway (docs/bi.md, "Incremental refresh"):
 * a full pull of a measure's dossiers in change order (changedAfter: ""), then pulls from the
 * watermark each one returned. Demo data of the small profile, plus dossiers written here.
 */
let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(() => graph?.stop());

interface PulledDossier {
  id: string;
  status: string;
  receivedAt: string;
  updatedAt: string;
  events: Array<{ type: string; updatedAt: string }>;
  payments: Array<{ id: string; amount: string; updatedAt: string }>;
}
interface Page {
  totalCount: number;
  watermark: string;
  pageInfo: { hasNextPage: boolean };
  nodes: PulledDossier[];
}

const PAGE = `query ($w: String!, $first: Int!) { measure(code: "LDE") {
  dossiers(first: $first, filter: { changedAfter: $w }) {
    totalCount watermark pageInfo { hasNextPage }
    nodes { id status receivedAt updatedAt events { type updatedAt } payments { id amount updatedAt } } } } }`;

async function page(watermark: string, first: number): Promise<Page> {
  return (await graph.data<{ measure: { dossiers: Page } }>(PAGE, { w: watermark, first })).measure.dossiers;
}

/** Every page from `watermark` on, until one says nothing follows. */
async function pullAll(watermark: string, first = 500): Promise<{ watermark: string; rows: PulledDossier[] }> {
  const rows: PulledDossier[] = [];
  for (;;) {
    const p = await page(watermark, first);
    rows.push(...p.nodes);
    watermark = p.watermark;
    if (!p.pageInfo.hasNextPage) return { watermark, rows };
  }
}

let counter = 0;
const key = () => `incremental-${++counter}-${Date.now()}`;
const KBO = '0449.859.670';

async function mutate(op: string, inputType: string, input: Record<string, unknown>, selection = 'id') {
  const data = await graph.data<{ socialEconomy: Record<string, { id: string }> }>(
    `mutation ($input: ${inputType}!) { socialEconomy { ${op}(input: $input) { ${selection} } } }`,
    { input: { ...input, idempotencyKey: key() } },
  );
  return data.socialEconomy[op]!;
}
const submit = (receivedAt: string) =>
  mutate('submitDossier', 'SubmitDossierInput', {
    measureCode: 'LDE',
    kind: 'APPLICATION',
    channel: 'ONLINE',
    applicantKbo: KBO,
    receivedAt,
  });
const admit = (dossierId: string, at: string) =>
  mutate('declareAdmissibility', 'DeclareAdmissibilityInput', { dossierId, admissible: true, at });

describe('incremental refresh of a measure’s dossiers', () => {
  let full: { watermark: string; rows: PulledDossier[] };
  let received: { id: string };
  let granted: { id: string };

  beforeAll(async () => {
    received = await submit('2021-02-01T09:00');
    granted = await submit('2021-02-02T09:00');
    await admit(granted.id, '2021-02-10T09:00');
    await mutate('decideDossier', 'DecideDossierInput', {
      dossierId: granted.id,
      granted: true,
      at: '2021-03-01T09:00',
    });
    full = await pullAll('');
  });

  it('a full pull (changedAfter "") returns every dossier of the measure once, with updatedAt', async () => {
    const { measure } = await graph.data<{ measure: { dossiers: { totalCount: number } } }>(
      '{ measure(code: "LDE") { dossiers(first: 1) { totalCount } } }',
    );
    const ids = full.rows.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(measure.dossiers.totalCount);
    expect(ids).toContain(received.id);
    expect(full.rows.every((d) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(d.updatedAt))).toBe(true);
  });

  it('a pull against an unchanged database returns no dossier and the same watermark', async () => {
    const again = await page(full.watermark, 100);
    expect(again).toMatchObject({
      totalCount: 0,
      nodes: [],
      watermark: full.watermark,
      pageInfo: { hasNextPage: false },
    });
  });

  it('the next pull returns a back-dated insert and an updated dossier, each once, and nothing else', async () => {
    const before = full.rows.find((d) => d.id === received.id)!;
    // Received long before every dossier the full pull returned last: a pull by receipt date
    // (keyset on receivedAt) that had passed 2019 would never see it.
    const backDated = await submit('2019-01-03T08:00');
    await admit(received.id, '2021-02-15T09:00');

    const next = await pullAll(full.watermark);
    expect(next.rows.map((d) => d.id).sort()).toEqual([backDated.id, received.id].sort());
    const updated = next.rows.find((d) => d.id === received.id)!;
    expect(updated.status).toBe('ADMISSIBLE');
    expect(updated.events.map((e) => e.type)).toEqual(['RECEIVED', 'ADMISSIBLE']);
    expect(updated.updatedAt > before.updatedAt).toBe(true);
    expect(next.rows.find((d) => d.id === backDated.id)!.receivedAt).toBe('2019-01-03T08:00:00');
    expect(next.watermark).not.toBe(full.watermark);
    full = next;

    expect(await page(next.watermark, 100)).toMatchObject({ nodes: [], watermark: next.watermark });
  });

  it('a payment changes its dossier; a change made while a pull pages is in a later page of it', async () => {
    await mutate(
      'registerPayment',
      'RegisterPaymentInput',
      {
        dossierId: granted.id,
        kind: 'PAYMENT',
        period: '2021-03-01',
        requestedAt: '2021-03-05T09:00',
        paidAt: '2021-03-20T09:00',
        amount: '1250.5',
      },
      'id updatedAt',
    );
    const first = await page(full.watermark, 1);
    expect(first.nodes.map((d) => d.id)).toEqual([granted.id]);
    const [payment] = first.nodes[0]!.payments;
    expect(payment).toMatchObject({ amount: '1250.50' });
    expect(first.nodes[0]!.updatedAt >= payment!.updatedAt).toBe(true);

    // Written after the pull's first page, received before anything else: the next page has it.
    const late = await submit('2019-01-02T08:00');
    const rest = await pullAll(first.watermark);
    expect(rest.rows.map((d) => d.id)).toEqual([late.id]);
    expect(await page(rest.watermark, 100)).toMatchObject({ nodes: [], watermark: rest.watermark });
  });

  it('refuses a watermark it did not give, and a cursor beside one, with a coded error', async () => {
    const bad = await graph.query(PAGE, { w: 'not-a-watermark', first: 10 });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.changedAfter' });
    const both = await graph.query(
      `{ measure(code: "LDE") { dossiers(first: 1, after: "x", filter: { changedAfter: "" }) { totalCount } } }`,
    );
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('an organisation’s dossier list pulls incrementally too', async () => {
    const ORG = `query ($w: String!) { organisation(kboNumber: "${KBO}") {
      socialEconomyDossiers(first: 1000, changedAfter: $w) { watermark nodes { id } } } }`;
    type Org = { organisation: { socialEconomyDossiers: { watermark: string; nodes: Array<{ id: string }> } } };
    const all = (await graph.data<Org>(ORG, { w: '' })).organisation.socialEconomyDossiers;
    expect(all.nodes.map((d) => d.id)).toContain(received.id);
    const none = (await graph.data<Org>(ORG, { w: all.watermark })).organisation.socialEconomyDossiers;
    expect(none).toEqual({ watermark: all.watermark, nodes: [] });
    const fresh = await submit('2020-07-01T09:00');
    const changed = (await graph.data<Org>(ORG, { w: all.watermark })).organisation.socialEconomyDossiers;
    expect(changed.nodes.map((d) => d.id)).toEqual([fresh.id]);
  });
});

describe('incremental refresh of an organisation’s inspections', () => {
  const INSPECTIONS = `query ($w: String!) { organisation(kboNumber: "${KBO}") {
    inspections(first: 1000, changedAfter: $w) { watermark nodes { id outcome updatedAt findings { ruleCode } } } } }`;
  type Pulled = { watermark: string; nodes: Array<{ id: string; outcome: string | null; updatedAt: string }> };
  const pull = async (w: string) =>
    (await graph.data<{ organisation: { inspections: Pulled } }>(INSPECTIONS, { w })).organisation.inspections;

  it('returns a new inspection, then the same one again once its outcome and findings are recorded', async () => {
    const start = await pull('');
    expect(await pull(start.watermark)).toEqual({ watermark: start.watermark, nodes: [] });
    const { inspection } = await graph.data<{ inspection: { recordInspection: { id: string } } }>(
      `mutation ($input: RecordInspectionInput!) { inspection { recordInspection(input: $input) { id } } }`,
      {
        input: {
          kbo: KBO,
          domainCode: 'LDE',
          inspectedOn: '2019-03-04',
          kind: 'TARGETED_CONTROL',
          unit: 'VSI Limburg',
          idempotencyKey: key(),
        },
      },
    );
    const recorded = await pull(start.watermark);
    expect(recorded.nodes.map((i) => i.id)).toEqual([inspection.recordInspection.id]);
    await graph.data(
      `mutation ($input: RecordInspectionOutcomeInput!) { inspection { recordInspectionOutcome(input: $input) { id } } }`,
      {
        input: {
          inspectionId: inspection.recordInspection.id,
          outcome: 'WARNING',
          findings: [{ ruleCode: 'LDE_POP_NOT_FORMALISED', description: 'No written plan' }],
          recordedOn: '2019-03-10',
        },
      },
    );
    const outcome = await pull(recorded.watermark);
    expect(outcome.nodes).toMatchObject([{ id: inspection.recordInspection.id, outcome: 'WARNING' }]);
    expect(outcome.nodes[0]!.updatedAt > recorded.nodes[0]!.updatedAt).toBe(true);
    expect(await pull(outcome.watermark)).toEqual({ watermark: outcome.watermark, nodes: [] });
  });
});

describe('the sector’s records', () => {
  it('carry updatedAt, set by the database (contingents, settlements, growth-path allocations)', async () => {
    const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    const { organisation, growthPathCalls } = await graph.data<{
      organisation: { contingents: Array<{ updatedAt: string }>; settlements: Array<{ updatedAt: string }> };
      growthPathCalls: Array<{ applications: Array<{ allocation: { updatedAt: string } | null }> }>;
    }>(`{ organisation(kboNumber: "${KBO}") { contingents { updatedAt } settlements { updatedAt } }
          growthPathCalls { applications { allocation { updatedAt } } } }`);
    const stamps = [
      ...organisation.contingents,
      ...organisation.settlements,
      ...growthPathCalls.flatMap((c) => c.applications.flatMap((a) => (a.allocation ? [a.allocation] : []))),
    ].map((r) => r.updatedAt);
    expect(organisation.contingents.length).toBeGreaterThan(0);
    expect(stamps.every((t) => ISO_UTC.test(t))).toBe(true);
  });
});
