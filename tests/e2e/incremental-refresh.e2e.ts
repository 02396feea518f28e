import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importDataset } from '@measure-graph/data-import';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import pg from 'pg';
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
    received = await submit('2021-02-01T09:00:00+01:00');
    granted = await submit('2021-02-02T09:00:00+01:00');
    await admit(granted.id, '2021-02-10T09:00:00+01:00');
    await mutate('decideDossier', 'DecideDossierInput', {
      dossierId: granted.id,
      granted: true,
      at: '2021-03-01T09:00:00+01:00',
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
    expect(
      full.rows.every((d) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?(Z|[+-]\d\d:\d\d)$/.test(d.updatedAt)),
    ).toBe(true);
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
    const backDated = await submit('2019-01-03T08:00:00+01:00');
    await admit(received.id, '2021-02-15T09:00:00+01:00');

    const next = await pullAll(full.watermark);
    expect(next.rows.map((d) => d.id).sort()).toEqual([backDated.id, received.id].sort());
    const updated = next.rows.find((d) => d.id === received.id)!;
    expect(updated.status).toBe('ADMISSIBLE');
    expect(updated.events.map((e) => e.type)).toEqual(['RECEIVED', 'ADMISSIBLE']);
    // DateTime has second precision on the wire: not before, possibly the same second.
    expect(Date.parse(updated.updatedAt) >= Date.parse(before.updatedAt)).toBe(true);
    expect(next.rows.find((d) => d.id === backDated.id)!.receivedAt).toBe('2019-01-03T08:00:00+01:00');
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
        requestedAt: '2021-03-05T09:00:00+01:00',
        paidAt: '2021-03-20T09:00:00+01:00',
        amount: '1250.5',
      },
      'id updatedAt',
    );
    const first = await page(full.watermark, 1);
    expect(first.nodes.map((d) => d.id)).toEqual([granted.id]);
    const [payment] = first.nodes[0]!.payments;
    expect(payment).toMatchObject({ amount: '1250.50' });
    expect(Date.parse(first.nodes[0]!.updatedAt) >= Date.parse(payment!.updatedAt)).toBe(true);

    // Written after the pull's first page, received before anything else: the next page has it.
    const late = await submit('2019-01-02T08:00:00+01:00');
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
    const fresh = await submit('2020-07-01T09:00:00+02:00');
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
    expect(Date.parse(outcome.nodes[0]!.updatedAt) >= Date.parse(recorded.nodes[0]!.updatedAt)).toBe(true);
    expect(await pull(outcome.watermark)).toEqual({ watermark: outcome.watermark, nodes: [] });
  });
});

describe('the sector’s records', () => {
  it('carry updatedAt, set by the database (contingents, settlements, growth-path allocations)', async () => {
    const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?(Z|[+-]\d\d:\d\d)$/;
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
    expect(stamps.every((t) => ISO_INSTANT.test(t))).toBe(true);
  });
});

/**
 * The sector-wide change lists (contingentChanges, settlementChanges, growthPathAllocationChanges):
 * rows written and tombstones of rows removed, in one change order; removals made by the import.
 */
describe('incremental refresh of contingents, settlements and growth-path allocations', () => {
  type Changes<N> = { watermark: string; hasNextPage: boolean; deletedIds: string[]; nodes: N[] };
  type Row = { id: string; organisation: { kboNumber: string } };
  const LISTS = {
    contingentChanges: 'id organisation { kboNumber } measureCode fte validFrom validTo reason updatedAt',
    settlementChanges:
      'id organisation { kboNumber } quarter contingentFte filledFte advances balance settledOn updatedAt',
    growthPathAllocationChanges: 'id organisation { kboNumber } call { id } fte rule explanation updatedAt',
    targetGroupEmploymentChanges:
      'id organisation: employer { kboNumber } person { id } startedOn endedOn sampledForEvaluation updatedAt',
    transitionTrajectoryChanges: 'id organisation: employer { kboNumber } person { id } esfCall startedOn updatedAt',
  } as const;
  type List = keyof typeof LISTS;
  const pageOf = async <N = Row & Record<string, unknown>>(list: List, w: string, first = 1000) =>
    (
      await graph.data<Record<List, Changes<N>>>(
        `query ($w: String!, $first: Int) { ${list}(changedAfter: $w, first: $first) {
           watermark hasNextPage deletedIds nodes { ${LISTS[list]} } } }`,
        { w, first },
      )
    )[list];
  /** Every page from `w` on: the rows (latest state per id) and the removed ids. */
  async function pull(list: List, w: string, first = 1000) {
    const nodes: Array<Row & Record<string, unknown>> = [];
    const deletedIds: string[] = [];
    for (;;) {
      const p = await pageOf(list, w, first);
      nodes.push(...p.nodes);
      deletedIds.push(...p.deletedIds);
      w = p.watermark;
      if (!p.hasNextPage) return { watermark: w, nodes, deletedIds };
    }
  }
  const sql = async (text: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: graph.database.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows;
    } finally {
      await client.end();
    }
  };
  const runImport = async (files: Record<string, object[]>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incremental-import-'));
    for (const [name, rows] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    }
    const report = await importDataset({ dir, urlFor: () => graph.database.url, subgraphs });
    expect(report.files.map((f) => [f.file, f.loaded, f.errors])).toEqual(Object.keys(files).map((f) => [f, true, []]));
  };
  const kbo = KBO.replace(/\D/g, '');

  it('a full pull returns every row once; an unchanged pull returns nothing and the same watermark', async () => {
    for (const list of Object.keys(LISTS) as List[]) {
      const full = await pull(list, '', 150);
      const ids = full.nodes.map((n) => n.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThan(0);
      expect(await pageOf(list, full.watermark)).toEqual({
        watermark: full.watermark,
        hasNextPage: false,
        deletedIds: [],
        nodes: [],
      });
    }
    const { organisation } = await graph.data<{ organisation: { contingents: unknown[]; settlements: unknown[] } }>(
      `{ organisation(kboNumber: "${KBO}") { contingents { fte } settlements { quarter } } }`,
    );
    const full = await pull('contingentChanges', '');
    expect(full.nodes.filter((n) => n.organisation.kboNumber === kbo)).toHaveLength(organisation.contingents.length);
    const settlements = await pull('settlementChanges', '');
    expect(settlements.nodes.filter((n) => n.organisation.kboNumber === kbo)).toHaveLength(
      organisation.settlements.length,
    );
  });

  it('the next pull has the rows the import wrote and the ids of those it removed, then nothing', async () => {
    const [contingents, settlements] = await Promise.all([
      pull('contingentChanges', ''),
      pull('settlementChanges', ''),
    ]);
    const mine = contingents.nodes.filter((n) => n.organisation.kboNumber === kbo && n.reason !== 'GROWTH_PATH');
    const quarters = settlements.nodes.filter((n) => n.organisation.kboNumber === kbo);
    expect(mine.length).toBeGreaterThan(0);
    expect(quarters.length).toBeGreaterThan(1);
    // A writer closes a row in place (an update); the import keeps it, removes the others, adds one.
    const [kept, ...removed] = mine;
    await sql(`UPDATE social_economy.contingent SET valid_to = '2030-12-31' WHERE id = $1`, [kept!.id]);
    const [changedQuarter, droppedQuarter, ...otherQuarters] = quarters;
    const settlementRow = (s: Record<string, unknown>, balance = s.balance) => ({
      quarter: s.quarter,
      contingentFte: s.contingentFte,
      filledFte: s.filledFte,
      advances: s.advances,
      balance,
      ...(s.settledOn ? { settledOn: s.settledOn } : {}),
    });
    await runImport({
      'contingents.jsonl': [
        {
          kboNumber: kbo,
          contingents: [
            {
              measureCode: kept!.measureCode,
              fte: kept!.fte,
              validFrom: kept!.validFrom,
              validTo: '2030-12-31',
              reason: kept!.reason,
            },
            { measureCode: kept!.measureCode, fte: '1.25', validFrom: '2031-01-01', reason: 'REDISTRIBUTION' },
          ],
          settlements: [
            settlementRow(changedQuarter!, (Number(changedQuarter!.balance) + 1).toFixed(2)),
            ...otherQuarters.map((s) => settlementRow(s)),
          ],
        },
      ],
    });

    const next = await pull('contingentChanges', contingents.watermark);
    expect(next.nodes.map((n) => n.id)).toContain(kept!.id);
    expect(next.nodes.find((n) => n.id === kept!.id)).toMatchObject({ validTo: '2030-12-31' });
    const added = next.nodes.filter((n) => n.id !== kept!.id);
    expect(added).toMatchObject([{ fte: '1.25', validFrom: '2031-01-01', reason: 'REDISTRIBUTION' }]);
    expect(next.deletedIds.sort()).toEqual(removed.map((r) => r.id).sort());
    expect(await pageOf('contingentChanges', next.watermark)).toMatchObject({ nodes: [], deletedIds: [] });

    const nextSettlements = await pull('settlementChanges', settlements.watermark);
    expect(nextSettlements.nodes.map((n) => n.id)).toEqual([changedQuarter!.id]);
    expect(nextSettlements.deletedIds).toEqual([droppedQuarter!.id]);
    expect(await pageOf('settlementChanges', nextSettlements.watermark)).toMatchObject({
      nodes: [],
      deletedIds: [],
      watermark: nextSettlements.watermark,
    });
  });

  it('allocations: new ones, and those the import replaces (removed, written again) come once each', async () => {
    const start = await pull('growthPathAllocationChanges', '');
    const lde = await sql(
      `SELECT kbo FROM social_economy.sector_organisation WHERE sector = 'LDE' ORDER BY kbo LIMIT 2`,
    );
    const call = (applications: object[]) => ({
      id: 'GP-E2E-INCREMENTAL',
      name: 'Groeipad incremental refresh',
      measureCode: 'LDE',
      sector: 'LDE',
      budgetFte: '3',
      unitFte: '1',
      ruleSet: 'LDE_PRIORITY',
      deadline: '2018-04-30',
      effectiveFrom: '2018-07-01',
      distributedAt: '2018-04-30T12:00',
      provinceWeights: { ANT: 74300, LIM: 28900 },
      applications,
    });
    const application = (kboNumber: string, fte: string) => ({
      kboNumber,
      requestedFte: '2',
      submittedOn: '2018-04-01',
      allocation: { fte, rule: 'PRIORITY_SMALL', explanation: 'priority 1' },
    });
    await runImport({
      'growth-paths.jsonl': [call([application(lde[0].kbo, '1'), application(lde[1].kbo, '2')])],
    });
    const written = await pull('growthPathAllocationChanges', start.watermark);
    expect(written.deletedIds).toEqual([]);
    expect(written.nodes.map((n) => [n.organisation.kboNumber, n.fte, (n.call as { id: string }).id])).toEqual([
      [lde[0].kbo, '1.00', 'GP-E2E-INCREMENTAL'],
      [lde[1].kbo, '2.00', 'GP-E2E-INCREMENTAL'],
    ]);
    expect(await pageOf('growthPathAllocationChanges', written.watermark)).toMatchObject({
      watermark: written.watermark,
      nodes: [],
      deletedIds: [],
    });

    // The second application leaves the call; the first is given 2 FTE instead of 1.
    await runImport({ 'growth-paths.jsonl': [call([application(lde[0].kbo, '2')])] });
    const replaced = await pull('growthPathAllocationChanges', written.watermark);
    expect(replaced.deletedIds.sort()).toEqual(written.nodes.map((n) => n.id).sort());
    expect(replaced.nodes.map((n) => [n.organisation.kboNumber, n.fte])).toEqual([[lde[0].kbo, '2.00']]);
    expect(await pageOf('growthPathAllocationChanges', replaced.watermark)).toMatchObject({
      nodes: [],
      deletedIds: [],
    });
  });

  it('employments and trajectories: an update (an evaluation sample too) and an insert come once each', async () => {
    const [employments, trajectories] = await Promise.all([
      pull('targetGroupEmploymentChanges', ''),
      pull('transitionTrajectoryChanges', ''),
    ]);
    const employment = employments.nodes.find((n) => n.organisation.kboNumber === kbo)!;
    const trajectory = trajectories.nodes[0]!;
    await sql(`INSERT INTO social_economy.evaluation_sample (employee_id, year) VALUES ($1, 2031)`, [employment.id]);
    await sql(`UPDATE social_economy.transition_trajectory SET referred_by_vdab = NOT referred_by_vdab WHERE id = $1`, [
      trajectory.id,
    ]);
    const [{ id: employed }] = await sql(
      `INSERT INTO social_economy.target_group_employee (person_id, kbo, started_on, support_package)
       VALUES ($1, $2, '2024-01-01', 'WOP 40 Laag') RETURNING id::text`,
      [(employment.person as { id: string }).id, kbo],
    );
    const [{ id: started }] = await sql(
      `INSERT INTO social_economy.transition_trajectory (person_id, employer_kbo, esf_call, referred_by_vdab, started_on)
       VALUES ($1, $2, 432, true, '2024-02-01') RETURNING id::text`,
      [(trajectory.person as { id: string }).id, kbo],
    );
    const nextEmployments = await pull('targetGroupEmploymentChanges', employments.watermark);
    expect(nextEmployments.nodes.map((n) => n.id)).toEqual([employment.id, employed]);
    expect(nextEmployments.nodes[0]!.sampledForEvaluation).toContain(2031);
    const nextTrajectories = await pull('transitionTrajectoryChanges', trajectories.watermark);
    expect(nextTrajectories.nodes.map((n) => n.id)).toEqual([trajectory.id, started]);
    for (const [list, w] of [
      ['targetGroupEmploymentChanges', nextEmployments.watermark],
      ['transitionTrajectoryChanges', nextTrajectories.watermark],
    ] as const) {
      expect(await pageOf(list, w)).toEqual({ watermark: w, hasNextPage: false, deletedIds: [], nodes: [] });
    }
  });

  it('refuses a watermark it did not give', async () => {
    const bad = await graph.query('{ contingentChanges(changedAfter: "nope") { watermark } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'changedAfter' });
  });
});

describe('incremental refresh of training leave, vouchers, dual agreements and appeals', () => {
  const LISTS = {
    trainingLeaveChanges: ['competences.training_leave', 'id person { id } updatedAt'],
    trainingVoucherChanges: ['competences.training_voucher', 'id person { id } updatedAt'],
    dualAgreementChanges: ['competences.dual_agreement', 'id learner { id } updatedAt'],
    appealChanges: ['activation.appeal', 'id measureCode outcome updatedAt'],
  } as const;
  // Appeal ids are ACT-APPEAL-<row id>; the others are the row id.
  const rowId = (id: string) => id.replace(/^\D+-/, '');
  type List = keyof typeof LISTS;
  type Changes = { watermark: string; hasNextPage: boolean; deletedIds: string[]; nodes: Array<{ id: string }> };
  const pageOf = async (list: List, w: string, first = 1000) =>
    (
      await graph.data<Record<List, Changes>>(
        `query ($w: String!, $first: Int) { ${list}(changedAfter: $w, first: $first) {
           watermark hasNextPage deletedIds nodes { ${LISTS[list][1]} } } }`,
        { w, first },
      )
    )[list];
  async function pull(list: List, w: string, first = 1000) {
    const ids: string[] = [];
    const deletedIds: string[] = [];
    for (;;) {
      const p = await pageOf(list, w, first);
      ids.push(...p.nodes.map((n) => n.id));
      deletedIds.push(...p.deletedIds);
      w = p.watermark;
      if (!p.hasNextPage) return { watermark: w, ids, deletedIds };
    }
  }
  const sql = async (text: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: graph.database.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows;
    } finally {
      await client.end();
    }
  };

  it.each(Object.keys(LISTS) as List[])(
    '%s: full pull, an update, an insert (a copy of a row) and a removal, each once; unchanged: nothing',
    async (list) => {
      const table = LISTS[list][0];
      const [schema, tableName] = table.split('.');
      const full = await pull(list, '', 300);
      expect(full.ids.length).toBeGreaterThan(1);
      expect(new Set(full.ids).size).toBe(full.ids.length);
      expect(await pageOf(list, full.watermark)).toEqual({
        watermark: full.watermark,
        hasNextPage: false,
        deletedIds: [],
        nodes: [],
      });
      const [updated, removed] = full.ids;
      await sql(`UPDATE ${table} SET id = id WHERE id = $1`, [rowId(updated!)]);
      // A copy of the updated row under a new id: an insert whatever the table's columns.
      const columns = (
        await sql(
          `SELECT string_agg(quote_ident(column_name), ', ') AS c FROM information_schema.columns
            WHERE table_schema = $1 AND table_name = $2 AND column_name NOT IN ('id', 'updated_at', 'change_xid')
              AND is_generated = 'NEVER'`,
          [schema, tableName],
        )
      )[0].c as string;
      // The unique source reference (of the import) is left out of the copy; an appeal's copy is
      // lodged by a copy of its lodging event (one event lodges one appeal), and pending.
      const values = columns.replace('source_ref', 'NULL');
      const eventColumns = (
        await sql(
          `SELECT string_agg(quote_ident(column_name), ', ') AS c FROM information_schema.columns
            WHERE table_schema = 'activation' AND table_name = 'dossier_event'
              AND column_name NOT IN ('id', 'updated_at', 'change_xid') AND is_generated = 'NEVER'`,
        )
      )[0].c as string;
      const [{ id: inserted }] = await sql(
        list === 'appealChanges'
          ? `WITH e AS (INSERT INTO activation.dossier_event (${eventColumns})
                        SELECT ${eventColumns} FROM activation.dossier_event
                         WHERE id = (SELECT lodged_event_id FROM activation.appeal WHERE id = $1) RETURNING id)
             INSERT INTO activation.appeal (dossier_id, measure_code, lodged_event_id, lodged_at, grounds)
             SELECT a.dossier_id, a.measure_code, e.id, a.lodged_at, a.grounds FROM activation.appeal a, e
              WHERE a.id = $1 RETURNING id::text`
          : `INSERT INTO ${table} (${columns}) SELECT ${values} FROM ${table} WHERE id = $1 RETURNING id::text`,
        [rowId(updated!)],
      );
      await sql(`DELETE FROM ${table} WHERE id = $1`, [rowId(removed!)]);
      const next = await pull(list, full.watermark);
      expect(next.ids.map(rowId)).toEqual([rowId(updated!), inserted]);
      expect(next.deletedIds).toEqual([removed]);
      expect(await pageOf(list, next.watermark)).toEqual({
        watermark: next.watermark,
        hasNextPage: false,
        deletedIds: [],
        nodes: [],
      });
    },
  );
});

describe('incremental refresh of allDossiers (every domain, one composite watermark)', () => {
  type Page = {
    watermark: string;
    totalCount: number;
    pageInfo: { hasNextPage: boolean };
    nodes: Array<{ id: string }>;
  };
  const ALL = `query ($w: String!, $first: Int) { allDossiers(first: $first, changedAfter: $w) {
    watermark totalCount pageInfo { hasNextPage } nodes { id } } }`;
  const pageOf = async (w: string, first = 1000) =>
    (await graph.data<{ allDossiers: Page }>(ALL, { w, first })).allDossiers;
  async function pull(w: string, first = 1000) {
    const ids: string[] = [];
    for (;;) {
      const p = await pageOf(w, first);
      ids.push(...p.nodes.map((n) => n.id));
      w = p.watermark;
      if (!p.pageInfo.hasNextPage) return { watermark: w, ids };
    }
  }

  it('a full pull has every dossier of every domain once; then an update and an insert; unchanged: nothing', async () => {
    const { allDossiers } = await graph.data<{ allDossiers: { totalCount: number } }>(
      '{ allDossiers(first: 1) { totalCount } }',
    );
    const full = await pull('', 700);
    expect(new Set(full.ids).size).toBe(full.ids.length);
    expect(full.ids.length).toBe(allDossiers.totalCount);
    expect(new Set(full.ids.map((id) => id.split('-')[0])).size).toBeGreaterThan(1);
    expect(await pageOf(full.watermark)).toEqual({
      watermark: full.watermark,
      totalCount: 0,
      pageInfo: { hasNextPage: false },
      nodes: [],
    });
    const fresh = await submit('2018-05-02T09:00:00+02:00');
    const next = await pull(full.watermark);
    expect(next.ids).toEqual([fresh.id]);
    await admit(fresh.id, '2018-05-03T09:00:00+02:00');
    const admitted = await pull(next.watermark);
    expect(admitted.ids).toEqual([fresh.id]);
    expect(await pageOf(admitted.watermark)).toMatchObject({ watermark: admitted.watermark, nodes: [] });
  });

  it('refuses a watermark it did not give, and a cursor beside one', async () => {
    const bad = await graph.query(ALL, { w: 'nope' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'changedAfter' });
    const both = await graph.query('{ allDossiers(first: 1, after: "x", changedAfter: "") { totalCount } }');
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
