import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Appeals (beroepsprocedures) and the combined procedure of single permits, through the gateway.
 * The seed's follow-up events (appeals among them) are generated in every profile, so the small
 * profile already has the card's published appeals.
 */
let graph: TestStack;
const statements = new Map<string, number>();
beforeAll(async () => {
  graph = await startTestStack({
    onQuery: (subgraph) => statements.set(subgraph, (statements.get(subgraph) ?? 0) + 1),
  });
}, 300_000);
afterAll(() => graph?.stop());

/** The published BEROEPSKAARTEN row "beroepsprocedures" (db/seed-data/measures-2020.json). */
const PUBLISHED_APPEALS = { 2019: 141, 2020: 73 };

interface AppealNode {
  id: string;
  lodgedOn: string;
  outcome: string;
  decidedOn: string | null;
  dossier: { id: string; status: string; events: Array<{ type: string }>; appeals: Array<{ id: string }> };
}

const APPEALS = `query ($code: ID!, $year: Int!, $first: Int!) { measure(code: $code) {
  volumes(year: $year) { label value }
  ... on ActivationMeasure { appeals(year: $year, first: $first) { totalCount
    nodes { id lodgedOn outcome decidedOn dossier { id status events { type } appeals { id } } } } } } }`;

const appealsOf = (code: string, year: number, first = 10) =>
  graph.data<{
    measure: {
      volumes: Array<{ label: string; value: number }>;
      appeals: { totalCount: number; nodes: AppealNode[] };
    };
  }>(APPEALS, { code, year, first });

describe('appeals as objects', () => {
  it('gives the published BEROEPSKAARTEN appeals lodged in 2019 and 2020, equal to the card row', async () => {
    for (const year of [2019, 2020] as const) {
      const { measure } = await appealsOf('BEROEPSKAARTEN', year);
      expect(measure.appeals.totalCount).toBe(PUBLISHED_APPEALS[year]);
      expect(measure.volumes.find((v) => v.label === 'beroepsprocedures')!.value).toBe(PUBLISHED_APPEALS[year]);
    }
  });

  it('brings each appeal with its dossier, whose events hold the appeal and whose appeals list it', async () => {
    const { measure } = await appealsOf('BEROEPSKAARTEN', 2020, 5);
    expect(measure.appeals.nodes).toHaveLength(5);
    for (const a of measure.appeals.nodes) {
      expect(a.id).toMatch(/^ACT-APPEAL-\d+$/);
      expect(a.lodgedOn.startsWith('2020-')).toBe(true);
      expect(a.dossier.id).toMatch(/^ACT-\d+$/);
      expect(a.dossier.appeals.map((x) => x.id)).toContain(a.id);
      expect(a.dossier.events.map((e) => e.type)).toContain('APPEALED');
      if (a.outcome !== 'PENDING') {
        expect(a.decidedOn! >= a.lodgedOn).toBe(true);
        expect(a.dossier.events.map((e) => e.type)).toContain('APPEAL_DECIDED');
      }
    }
  });

  it('sends as many statements to the activation subgraph for 2 appeals as for 50', async () => {
    const count = async (first: number) => {
      await appealsOf('BEROEPSKAARTEN', 2019, first);
      statements.clear();
      await appealsOf('BEROEPSKAARTEN', 2019, first);
      return statements.get('activation');
    };
    expect(await count(50)).toBe(await count(2));
  });

  it('keeps appeals behind dossiers:read', async () => {
    const token = await graph.token({ scopes: [] });
    const res = await graph.post(
      JSON.stringify({ query: APPEALS, variables: { code: 'BEROEPSKAARTEN', year: 2019, first: 1 } }),
      { authorization: `Bearer ${token}` },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.text).not.toContain('ACT-APPEAL-');
  });

  it('lodges and decides an appeal through the gateway; the card row of the year counts it', async () => {
    const refused = await graph.data<{ measure: { dossiers: { nodes: Array<{ id: string; appeals: unknown[] }> } } }>(
      `{ measure(code: "BEROEPSKAARTEN") { dossiers(first: 20, filter: { year: 2020, status: REFUSED }) {
          nodes { id ... on ActivationDossier { appeals { id } } } } } }`,
    );
    const dossier = refused.measure.dossiers.nodes.find((d) => d.appeals.length === 0)!;
    expect(dossier).toBeDefined();
    const lodged = await graph.data<{ activation: { lodgeAppeal: { id: string; outcome: string } } }>(
      `mutation ($input: LodgeAppealInput!) { activation { lodgeAppeal(input: $input) { id outcome } } }`,
      {
        input: {
          dossierId: dossier.id,
          lodgedOn: '2023-03-06T10:00:00+01:00',
          grounds: 'Betwist de motivering van de weigering',
          idempotencyKey: `e2e-lodge-${dossier.id}`,
        },
      },
    );
    expect(lodged.activation.lodgeAppeal.outcome).toBe('PENDING');
    const after = await appealsOf('BEROEPSKAARTEN', 2023);
    expect(after.measure.appeals.totalCount).toBe(1);
    expect(after.measure.volumes.find((v) => v.label === 'beroepsprocedures')!.value).toBe(1);
    const again = await graph.query(
      `mutation ($input: LodgeAppealInput!) { activation { lodgeAppeal(input: $input) { id } } }`,
      {
        input: {
          dossierId: dossier.id,
          lodgedOn: '2023-04-06T10:00:00+02:00',
          grounds: 'Tweede beroep',
          idempotencyKey: `e2e-lodge-2-${dossier.id}`,
        },
      },
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'dossierId' });
    const decided = await graph.data<{ activation: { decideAppeal: { outcome: string; decidedOn: string } } }>(
      `mutation ($input: DecideAppealInput!) { activation { decideAppeal(input: $input) { outcome decidedOn } } }`,
      {
        input: {
          appealId: lodged.activation.lodgeAppeal.id,
          outcome: 'REJECTED',
          decidedOn: '2023-06-01T00:00:00+02:00',
          idempotencyKey: `e2e-decide-${dossier.id}`,
        },
      },
    );
    expect(decided.activation.decideAppeal).toEqual({ outcome: 'REJECTED', decidedOn: '2023-06-01' });
  });
});

describe('the combined procedure of single permits', () => {
  const PERMITS = `{ measure(code: "ARBEIDSKAARTEN") { dossiers(first: 30, filter: { status: GRANTED }) { nodes {
      id kind ... on ActivationDossier { combinedProcedure { stage flemishDecision flemishDecidedOn sentToFederalOn
        federalReference federalDecision federalDecidedOn dossier { id } } } } } } }`;
  interface Procedure {
    stage: string;
    flemishDecision: string;
    flemishDecidedOn: string;
    sentToFederalOn: string;
    federalReference: string | null;
    federalDecision: string;
    federalDecidedOn: string | null;
    dossier: { id: string };
  }

  it('brings the federal part of granted single permits, none for other dossiers', async () => {
    const { measure } = await graph.data<{
      measure: { dossiers: { nodes: Array<{ id: string; kind: string; combinedProcedure: Procedure | null }> } };
    }>(PERMITS);
    const permits = measure.dossiers.nodes.filter((d) => ['APPLICATION', 'EXTENSION'].includes(d.kind));
    expect(permits.length).toBeGreaterThan(0);
    for (const d of permits) {
      const p = d.combinedProcedure!;
      expect(p.dossier.id).toBe(d.id);
      expect(p.flemishDecision).toBe('GRANTED');
      expect(p.sentToFederalOn).toBe(p.flemishDecidedOn);
      expect(['GRANTED', 'REFUSED']).toContain(p.federalDecision);
      expect(p.stage).toBe(p.federalDecision === 'GRANTED' ? 'GRANTED' : 'REFUSED_BY_FEDERAL');
      expect(p.federalReference).toMatch(/^DVZ-\d{4}-\d{7}$/);
      expect(p.federalDecidedOn! >= p.sentToFederalOn).toBe(true);
    }
    const card = await graph.data<{ measure: { dossiers: { nodes: Array<{ combinedProcedure: unknown }> } } }>(
      `{ measure(code: "BEROEPSKAARTEN") { dossiers(first: 5) { nodes { ... on ActivationDossier { combinedProcedure { stage } } } } } }`,
    );
    expect(card.measure.dossiers.nodes.every((d) => d.combinedProcedure === null)).toBe(true);
  });

  it('refuses a second federal decision with CONFLICT', async () => {
    const { measure } = await graph.data<{ measure: { dossiers: { nodes: Array<{ id: string; kind: string }> } } }>(
      PERMITS,
    );
    const permit = measure.dossiers.nodes.find((d) => d.kind === 'APPLICATION')!;
    const res = await graph.query(
      `mutation ($input: RecordFederalDecisionInput!) { activation { recordFederalDecision(input: $input) { stage } } }`,
      {
        input: {
          dossierId: permit.id,
          decision: 'GRANTED',
          decidedOn: '2021-01-04',
          idempotencyKey: `e2e-federal-${permit.id}`,
        },
      },
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'dossierId' });
  });
});
