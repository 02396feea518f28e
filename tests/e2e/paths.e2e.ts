import { showcaseEmployer, showcasePerson } from '@measure-graph/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * One request follows a person and an employer across every domain (the graph's promise): each
 * part answered by its own subgraph, statement counts independent of how much comes back.
 */
let graph: TestStack;
const statements = new Map<string, number>();
beforeAll(async () => {
  graph = await startTestStack({
    onQuery: (subgraph) => statements.set(subgraph, (statements.get(subgraph) ?? 0) + 1),
  });
}, 300_000);
afterAll(() => graph?.stop());

interface TimelineEvent {
  /** The instant, null for a day event (the scalars' split of the old date-or-time field). */
  at: string | null;
  day: string;
  domain: string;
  type: string;
  reference: string;
}

async function run<T>(query: string, variables: Record<string, unknown>) {
  statements.clear();
  const res = await graph.query<T>(query, variables);
  expect(res.errors).toBeUndefined();
  return { data: res.data!, statements: Object.fromEntries(statements) as Record<string, number> };
}

const PERSON = `query ($id: ID!, $first: Int!) { person(id: $id) {
  givenName familyName province { code }
  activationDossiers(first: $first) { totalCount nodes { id measureCode status } }
  competencesDossiers(first: $first) { totalCount nodes { id measureCode status } }
  targetGroupEmployments {
    supportPackage startedOn
    employer { kboNumber name socialEconomy { sector contingentOn(day: "2020-06-30") } lastInspection { id inspectedOn outcome } }
  }
  transitionTrajectories { esfCall startedOn employer { kboNumber } }
  timeline { at day domain type measureCode reference summary }
} }`;

describe("a person's path across all four domains", () => {
  it('returns dossiers, employment with contingent, trajectory, the employer’s inspections and one merged timeline', async () => {
    const { data, statements: perSubgraph } = await run<{
      person: {
        givenName: string;
        activationDossiers: { totalCount: number; nodes: Array<{ id: string; measureCode: string }> };
        competencesDossiers: { totalCount: number; nodes: Array<{ id: string; measureCode: string }> };
        targetGroupEmployments: Array<{
          supportPackage: string;
          employer: {
            kboNumber: string;
            name: string;
            socialEconomy: { sector: string; contingentOn: string };
            lastInspection: { id: string } | null;
          };
        }>;
        transitionTrajectories: Array<{ esfCall: number; startedOn: string }>;
        timeline: TimelineEvent[];
      };
    }>(PERSON, { id: showcasePerson().id, first: 10 });
    const p = data.person;
    expect(p.givenName).toBe(showcasePerson().givenName);
    expect(p.activationDossiers.totalCount).toBeGreaterThan(0);
    expect(p.activationDossiers.nodes.every((d) => d.id.startsWith('ACT-'))).toBe(true);
    expect(p.competencesDossiers.nodes.every((d) => d.id.startsWith('COM-'))).toBe(true);
    expect(p.competencesDossiers.totalCount).toBeGreaterThan(0);
    const [job] = p.targetGroupEmployments;
    expect(job!.employer.kboNumber).toBe(showcaseEmployer().kboNumber);
    expect(job!.employer.socialEconomy.sector).toBe('BW');
    expect(Number(job!.employer.socialEconomy.contingentOn)).toBeGreaterThan(0);
    expect(job!.employer.lastInspection?.id).toMatch(/^VSI-\d+$/);
    expect(p.transitionTrajectories.map((t) => t.esfCall)).toContain(380);
    // The timeline merges every domain in date order and refers to the dossiers listed above.
    expect(new Set(p.timeline.map((e) => e.domain))).toEqual(new Set(['ACTIVATION', 'COMPETENCES', 'SOCIAL_ECONOMY']));
    // Day order, a day event before that day's timed events, timed events by instant.
    const order = p.timeline.map((e) => [e.day, e.at === null ? -Infinity : Date.parse(e.at)] as const);
    expect(order).toEqual([...order].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]));
    for (const e of p.timeline) if (e.at !== null) expect(e.at.slice(0, 10)).toBe(e.day);
    expect(p.timeline.some((e) => e.at === null)).toBe(true);
    const references = new Set(p.timeline.map((e) => e.reference));
    for (const d of [...p.activationDossiers.nodes, ...p.competencesDossiers.nodes]) expect(references).toContain(d.id);
    expect(p.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['EMPLOYMENT_STARTED', 'TRAJECTORY_STARTED', 'TRAINING_LEAVE_REQUESTED']),
    );
    // Each part was answered by its own subgraph.
    expect(Object.keys(perSubgraph).sort()).toEqual([
      'activation',
      'competences',
      'inspection',
      'registry',
      'social-economy',
    ]);
  });

  it('sends as many statements for one dossier per domain as for fifty', async () => {
    const few = await run(PERSON, { id: showcasePerson().id, first: 1 });
    const many = await run(PERSON, { id: showcasePerson().id, first: 50 });
    expect(many.statements).toEqual(few.statements);
  });
});

const EMPLOYER = `query ($kbo: ID!, $first: Int!) { organisation(kboNumber: $kbo) {
  name province { code }
  activationDossiers(first: $first) { totalCount nodes { id measureCode kind status events { type occurredAt } payments { amount } } }
  activationDossiersPerYear { year received }
  competencesDossiers(first: $first) { totalCount nodes { id measureCode status } }
  competencesDossiersPerYear { year received }
  socialEconomyDossiers(first: $first) { totalCount nodes { id measureCode status } }
  inspectionDossiers(first: $first) { totalCount }
  socialEconomy { sector labels { label validFrom } }
  contingents { reason fte validFrom growthPathCallId }
  settlements(from: "2019-Q1") { quarter contingentFte filledFte occupancyRate }
  trajectories { esfCall person { id } }
  inspections(first: $first) { totalCount nodes { id inspectedOn outcome findings { ruleCode } } }
  timeline(from: "2016-01-01") { at day domain type reference }
} }`;

describe("an employer's full picture", () => {
  it('brings every dossier (with totals per year), contingent, settlement, trajectory and inspection', async () => {
    const { data, statements: perSubgraph } = await run<{
      organisation: {
        name: string;
        activationDossiers: { totalCount: number; nodes: Array<{ id: string }> };
        activationDossiersPerYear: Array<{ year: number; received: number }>;
        competencesDossiers: { totalCount: number };
        socialEconomyDossiers: { totalCount: number };
        contingents: Array<{ reason: string }>;
        settlements: Array<{ quarter: string }>;
        trajectories: Array<{ esfCall: number }>;
        inspections: { totalCount: number; nodes: Array<{ id: string }> };
        timeline: TimelineEvent[];
      };
    }>(EMPLOYER, { kbo: showcaseEmployer().kboNumber, first: 20 });
    const o = data.organisation;
    expect(o.name).toBe(showcaseEmployer().name);
    expect(o.activationDossiers.totalCount).toBeGreaterThan(5);
    expect(o.activationDossiersPerYear.reduce((a, y) => a + y.received, 0)).toBe(o.activationDossiers.totalCount);
    expect(o.competencesDossiers.totalCount).toBeGreaterThan(0);
    expect(o.socialEconomyDossiers.totalCount).toBeGreaterThan(0);
    expect(o.contingents.map((c) => c.reason)).toContain('INITIAL');
    expect(o.settlements.map((s) => s.quarter).slice(0, 2)).toEqual(['2019-Q1', '2019-Q2']);
    expect(o.trajectories.length).toBeGreaterThan(0);
    expect(o.inspections.totalCount).toBeGreaterThan(0);
    const domains = new Set(o.timeline.map((e) => e.domain));
    expect(domains).toEqual(new Set(['ACTIVATION', 'COMPETENCES', 'SOCIAL_ECONOMY', 'INSPECTION']));
    const references = new Set(o.timeline.map((e) => e.reference));
    for (const i of o.inspections.nodes) expect(references).toContain(i.id);
    expect(o.timeline.every((e) => e.day >= '2016-01-01')).toBe(true);
    expect(Object.keys(perSubgraph).sort()).toEqual([
      'activation',
      'competences',
      'inspection',
      'registry',
      'social-economy',
    ]);
  });

  it('sends as many statements for 2 items per list as for 50', async () => {
    const few = await run(EMPLOYER, { kbo: showcaseEmployer().kboNumber, first: 2 });
    const many = await run(EMPLOYER, { kbo: showcaseEmployer().kboNumber, first: 50 });
    expect(many.statements).toEqual(few.statements);
  });

  it('rejects a timeline bound that is not a day', async () => {
    const res = await graph.query(
      `{ organisation(kboNumber: "${showcaseEmployer().kboNumber}") { timeline(from: "2019") { at } } }`,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
