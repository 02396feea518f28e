import { generateOrganisations } from '@measure-graph/demo-data';
import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import type { QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socialEconomySubgraph } from '../src/subgraph.ts';

/**
 * The watermark of an incremental pull (changedAfter) against transactions that commit out of
 * order: the kit's change tracking, on one domain's tables. Writers are two sessions of their own,
 * so one transaction can stay open while another commits.
 */
let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(socialEconomySubgraph, null);
});
afterAll(() => subgraph?.stop());

const kbo = generateOrganisations()[0]!.kboNumber.replace(/\./g, '');
const PULL = `query ($codes: [_Any!]!, $w: String!) { _entities(representations: $codes) {
  ... on SocialEconomyMeasure { dossiers(first: 1000, filter: { changedAfter: $w }) {
    watermark nodes { id receivedAt updatedAt } } } } }`;

async function pull(watermark: string) {
  const res = await subgraph.execute<any>(PULL, {
    codes: [{ __typename: 'SocialEconomyMeasure', code: 'LDE' }],
    w: watermark,
  });
  expect(res.errors).toBeUndefined();
  const page = res.data._entities[0].dossiers;
  return { watermark: page.watermark as string, ids: (page.nodes as Array<{ id: string }>).map((d) => d.id) };
}

/** A dossier written in `qr`'s open transaction; its global id. */
async function insertDossier(qr: QueryRunner, receivedAt: string): Promise<string> {
  const [row] = await qr.query(
    `INSERT INTO social_economy.dossier (measure_code, kind, channel, applicant_kbo, status, received_at, reference_date)
     VALUES ('LDE', 'APPLICATION', 'ONLINE', $1, 'RECEIVED', $2::timestamp, $2::date) RETURNING id::text`,
    [kbo, receivedAt],
  );
  return `SE-${row.id}`;
}

// The embedded database has one session: a connection holds it while its transaction is open, so a
// transaction that starts later also commits later. A server runs them side by side.
const embedded = !process.env.DATABASE_URL;

describe('an incremental pull while transactions commit out of order', () => {
  it(
    embedded
      ? 'embedded: a later transaction waits for the earlier one, and a pull returns both in that order'
      : 'server: does not pass a change whose transaction started first and committed last',
    async () => {
      const start = await pull('');
      const early = subgraph.dataSource.createQueryRunner();
      const late = subgraph.dataSource.createQueryRunner();
      try {
        await early.startTransaction();
        const earlyId = await insertDossier(early, '2020-05-04T10:00');
        if (embedded) {
          const lateWrite = (async () => {
            await late.startTransaction();
            const id = await insertDossier(late, '2019-01-02T08:00');
            await late.commitTransaction();
            return id;
          })();
          await early.commitTransaction();
          const lateId = await lateWrite;
          const after = await pull(start.watermark);
          expect(after.ids).toEqual([earlyId, lateId]);
          expect(await pull(after.watermark)).toEqual({ watermark: after.watermark, ids: [] });
          return;
        }
        // The early transaction writes first (lower transaction id), the late one commits first.
        await late.startTransaction();
        const lateId = await insertDossier(late, '2019-01-02T08:00');
        await late.commitTransaction();

        // The late change is committed but lies beyond a transaction still in flight: a pull that
        // returned it would give a watermark past the early one, which would then never be seen.
        const during = await pull(start.watermark);
        expect(during.ids).toEqual([]);
        expect(during.watermark).toBe(start.watermark);

        await early.commitTransaction();
        const after = await pull(during.watermark);
        expect(after.ids).toEqual([earlyId, lateId]);
        const again = await pull(after.watermark);
        expect(again).toEqual({ watermark: after.watermark, ids: [] });
      } finally {
        await early.release();
        await late.release();
      }
    },
  );

  it('does not return a change whose transaction rolled back, and goes on after it', async () => {
    const start = await pull('');
    const aborted = subgraph.dataSource.createQueryRunner();
    try {
      await aborted.startTransaction();
      await insertDossier(aborted, '2020-06-01T09:00');
      await aborted.rollbackTransaction();
    } finally {
      await aborted.release();
    }
    const qr = subgraph.dataSource.createQueryRunner();
    let id: string;
    try {
      await qr.startTransaction();
      id = await insertDossier(qr, '2020-06-02T09:00');
      await qr.commitTransaction();
    } finally {
      await qr.release();
    }
    expect((await pull(start.watermark)).ids).toEqual([id]);
  });

  it('stamps a row itself: a writer that gives change_xid and updated_at is overruled', async () => {
    const start = await pull('');
    const [row] = await subgraph.dataSource.query(
      `INSERT INTO social_economy.dossier (measure_code, kind, channel, applicant_kbo, status, received_at, reference_date,
                                           change_xid, updated_at)
       VALUES ('LDE', 'APPLICATION', 'ONLINE', $1, 'RECEIVED', '2020-01-06T09:00', '2020-01-06', '1', '2000-01-01Z')
       RETURNING id::text, change_xid = pg_current_xact_id() AS stamped, updated_at = now() AS "timeStamped"`,
      [kbo],
    );
    expect(row).toEqual({ id: row.id, stamped: true, timeStamped: true });
    const next = await pull(start.watermark);
    expect(next.ids).toEqual([`SE-${row.id}`]);
  });
});

describe('a removal (tombstone) in an incremental pull of contingents', () => {
  const CHANGES = `query ($w: String!) { contingentChanges(changedAfter: $w, first: 1000) {
    watermark hasNextPage deletedIds nodes { id } } }`;
  async function pullContingents(w: string) {
    const res = await subgraph.execute<any>(CHANGES, { w });
    expect(res.errors).toBeUndefined();
    const page = res.data.contingentChanges;
    return {
      watermark: page.watermark as string,
      ids: (page.nodes as Array<{ id: string }>).map((c) => c.id),
      deletedIds: page.deletedIds as string[],
    };
  }
  const TEST_KBO = '0999000001';
  const insertContingent = async (qr: { query(sql: string, params: unknown[]): Promise<Array<{ id: string }>> }) =>
    (
      await qr.query(
        `INSERT INTO social_economy.contingent (kbo, measure_code, fte, valid_from, reason)
         VALUES ($1, 'LDE', 1.5, '2020-01-01', 'INITIAL') RETURNING id::text`,
        [TEST_KBO],
      )
    )[0]!.id;

  it(
    embedded
      ? 'embedded: a removal comes as a deleted id, in change order with the writes after it'
      : 'server: does not pass a removal whose transaction started first and committed last',
    async () => {
      await subgraph.dataSource.query(
        `INSERT INTO social_economy.sector_organisation (kbo, sector, province_code) VALUES ($1, 'LDE', 'ANT')
         ON CONFLICT DO NOTHING`,
        [TEST_KBO],
      );
      const start = await pullContingents('');
      const doomed = await insertContingent(subgraph.dataSource);
      const written = await pullContingents(start.watermark);
      expect(written).toMatchObject({ ids: [doomed], deletedIds: [] });

      const early = subgraph.dataSource.createQueryRunner();
      const late = subgraph.dataSource.createQueryRunner();
      try {
        await early.startTransaction();
        await early.query(`DELETE FROM social_economy.contingent WHERE id = $1`, [doomed]);
        let lateId: string;
        if (embedded) {
          await early.commitTransaction();
          lateId = await insertContingent(late);
        } else {
          await late.startTransaction();
          lateId = await insertContingent(late);
          await late.commitTransaction();
          // The removal is not committed yet: nothing may come, and the watermark must not move.
          expect(await pullContingents(written.watermark)).toEqual({
            watermark: written.watermark,
            ids: [],
            deletedIds: [],
          });
          await early.commitTransaction();
        }
        const after = await pullContingents(written.watermark);
        expect(after).toMatchObject({ ids: [lateId], deletedIds: [doomed] });
        expect(await pullContingents(after.watermark)).toEqual({ watermark: after.watermark, ids: [], deletedIds: [] });
      } finally {
        await early.release();
        await late.release();
      }
    },
  );
});
