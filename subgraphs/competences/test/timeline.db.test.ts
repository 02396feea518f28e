import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competencesSubgraph } from '../src/subgraph.ts';

/** The domain's timeline events: its dossiers' events and its own objects, in date order. */
let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(competencesSubgraph);
}, 120_000);
afterAll(() => subgraph?.stop());

interface Event {
  /** The instant, null for a day event. */
  at: string | null;
  day: string;
  type: string;
  reference: string;
}
const sql = (text: string) => subgraph.dataSource.query(text);

async function timelineOf(typename: 'Person' | 'Organisation', key: Record<string, string>): Promise<Event[]> {
  const res = await subgraph.execute<{ _entities: Array<{ competencesTimelineEvents: Event[] }> }>(
    `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Person { competencesTimelineEvents { at day type reference } }
      ... on Organisation { competencesTimelineEvents { at day type reference } } } }`,
    { r: [{ __typename: typename, ...key }] },
  );
  expect(res.errors).toBeUndefined();
  return res.data!._entities[0]!.competencesTimelineEvents;
}

describe('competences timeline events', () => {
  it('give a person’s vouchers and leave beside their dossiers, oldest first', async () => {
    const [row] = await sql(`
      SELECT v.person_id AS id, v.id::text AS voucher, l.id::text AS leave
        FROM competences.training_voucher v LEFT JOIN competences.training_leave l ON l.person_id = v.person_id
       WHERE v.used_on IS NOT NULL ORDER BY l.id NULLS LAST, v.id LIMIT 1`);
    const events = await timelineOf('Person', { id: row.id });
    const of = (reference: string) => events.filter((e) => e.reference === reference).map((e) => e.type);
    expect(of(`voucher:${row.voucher}`)).toEqual(expect.arrayContaining(['VOUCHER_ISSUED', 'VOUCHER_USED']));
    if (row.leave) expect(of(`leave:${row.leave}`)).toContain('TRAINING_LEAVE_REQUESTED');
    // Oldest first: by day, a day event before that day's timed events.
    const order = events.map((e) => [e.day, e.at === null ? -Infinity : Date.parse(e.at)] as const);
    expect(order).toEqual([...order].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]));
    // The voucher's dossier is the person's own: its events are there too.
    expect(events.some((e) => e.reference.startsWith('COM-'))).toBe(true);
  });

  it('give a learner’s dual-learning agreement', async () => {
    const [row] = await sql(
      `SELECT person_id AS id, id::text AS agreement FROM competences.dual_agreement ORDER BY id LIMIT 1`,
    );
    const events = await timelineOf('Person', { id: row.id });
    expect(events.filter((e) => e.reference === `agreement:${row.agreement}`).map((e) => e.type)).toEqual([
      'DUAL_AGREEMENT_STARTED',
      'DUAL_AGREEMENT_ENDED',
    ]);
  });

  it('give an enterprise’s workplace applications and recognitions', async () => {
    const [row] = await sql(`
      SELECT enterprise_kbo AS kbo, id::text AS workplace FROM competences.dual_workplace
       WHERE recognised_on IS NOT NULL ORDER BY id LIMIT 1`);
    const events = await timelineOf('Organisation', { kboNumber: row.kbo });
    expect(events.filter((e) => e.reference === `workplace:${row.workplace}`).map((e) => e.type)).toEqual([
      'DUAL_WORKPLACE_APPLIED',
      'DUAL_WORKPLACE_RECOGNISED',
    ]);
  });
});
