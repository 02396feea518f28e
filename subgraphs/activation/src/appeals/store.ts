import { badInput, DomainError, notFound } from '@measure-graph/errors';
import {
  changedRecords,
  checkIdempotencyKey,
  parseLocalTime,
  UPDATED_AT,
  type ChangeWatermark,
} from '@measure-graph/measure-module';
import type { DataSource, EntityManager } from 'typeorm';
import { dossierLocalId, idempotent, recordEvent } from './command-support.ts';
import { APPEALABLE_STATUSES, checkDecisionOutcome, checkGrounds, type AppealOutcome } from './rules.ts';

const S = 'activation';

export { APPEAL_OUTCOMES, APPEALABLE_STATUSES, type AppealOutcome } from './rules.ts';

export interface AppealRecord {
  /** Local number; the graph shows ACT-APPEAL-<n>. */
  id: string;
  /** Local dossier number. */
  dossierId: string;
  measureCode: string;
  lodgedAt: string;
  lodgedOn: string;
  grounds: string;
  outcome: AppealOutcome;
  decidedAt: string | null;
  decidedOn: string | null;
  /** When the row was last written (set by the database): ISO 8601 in UTC. */
  updatedAt: string;
}

export interface AppealCursor {
  lodgedAt: string;
  id: string;
}

export interface LodgeAppealInput {
  dossierId: string;
  lodgedOn: string;
  grounds: string;
  idempotencyKey: string;
}

export interface DecideAppealInput {
  appealId: string;
  outcome: string;
  decidedOn: string;
  idempotencyKey: string;
}

const TS = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS')`;
const COLUMNS = `
  a.id::text AS id, a.dossier_id::text AS "dossierId", a.measure_code AS "measureCode",
  ${TS('a.lodged_at')} AS "lodgedAt", to_char(a.lodged_at, 'YYYY-MM-DD') AS "lodgedOn", a.grounds, a.outcome,
  ${TS('a.decided_at')} AS "decidedAt", to_char(a.decided_at, 'YYYY-MM-DD') AS "decidedOn",
  ${UPDATED_AT('a.updated_at')} AS "updatedAt"`;

/** "ACT-APPEAL-12" <-> "12". */
export const appealGlobalId = (id: string): string => `ACT-APPEAL-${id}`;
export function appealLocalId(appealId: string): string {
  const m = /^ACT-APPEAL-(\d{1,15})$/.exec(appealId);
  if (!m) throw notFound('Appeal', 'appealId', appealId);
  return m[1]!;
}

/**
 * Locks a dossier, then reads what the appeal commands check: in a statement of its own, so it sees
 * whatever a command that held the lock before committed.
 */
async function lockDossier(em: EntityManager, dossierId: string) {
  const [locked] = await em.query(`SELECT id FROM ${S}.dossier WHERE id = $1 FOR UPDATE`, [dossierId]);
  if (!locked) return null;
  const [dossier] = await em.query(
    `SELECT d.measure_code AS "measureCode", d.status,
            to_char((SELECT max(e.occurred_at) FROM ${S}.dossier_event e WHERE e.dossier_id = d.id),
                    'YYYY-MM-DD HH24:MI:SS') AS "lastEventAt",
            EXISTS (SELECT 1 FROM ${S}.appeal a WHERE a.dossier_id = d.id AND a.outcome = 'PENDING') AS pending
       FROM ${S}.dossier d WHERE d.id = $1`,
    [dossierId],
  );
  return dossier as { measureCode: string; status: string; lastEventAt: string; pending: boolean };
}

/** Appeals against activation decisions (beroepsprocedures): the only place with their SQL. */
export class AppealStore {
  constructor(private readonly ds: DataSource) {}

  async byIds(ids: readonly string[]): Promise<AppealRecord[]> {
    return this.ds.query(`SELECT ${COLUMNS} FROM ${S}.appeal a WHERE a.id = ANY ($1::bigint[])`, [ids]);
  }

  /** Appeals written or removed after a watermark, in change order (docs/bi.md, "Incremental refresh"). */
  changes(from: ChangeWatermark, first: number) {
    return changedRecords(this.ds, S, 'appeal', from, first, (ids) => this.byIds(ids));
  }

  /** Every appeal of the dossiers, oldest first. */
  async ofDossiers(dossierIds: readonly string[]): Promise<AppealRecord[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM ${S}.appeal a WHERE a.dossier_id = ANY ($1::bigint[]) ORDER BY a.lodged_at, a.id`,
      [dossierIds],
    );
  }

  /**
   * One page of each measure's appeals lodged in `year` (oldest first), plus one extra row per
   * measure to tell whether more follow: one statement for any number of measures.
   */
  async pages(
    measureCodes: readonly string[],
    year: number,
    first: number,
    after: AppealCursor | null,
  ): Promise<AppealRecord[]> {
    return this.ds.query(
      `SELECT p.* FROM unnest($1::text[]) AS m (code)
       CROSS JOIN LATERAL (
         SELECT ${COLUMNS} FROM ${S}.appeal a
          WHERE a.measure_code = m.code AND a.lodged_at >= make_date($2, 1, 1) AND a.lodged_at < make_date($2 + 1, 1, 1)
            AND ($4::timestamp IS NULL OR (a.lodged_at, a.id) > ($4::timestamp, $5::bigint))
          ORDER BY a.lodged_at, a.id LIMIT $3) p`,
      [measureCodes, year, first + 1, after?.lodgedAt ?? null, after?.id ?? null],
    );
  }

  /** Appeals lodged in `year` per measure, in one statement. */
  async counts(measureCodes: readonly string[], year: number): Promise<Map<string, number>> {
    const rows: Array<{ code: string; n: number }> = await this.ds.query(
      `SELECT a.measure_code AS code, count(*)::int AS n FROM ${S}.appeal a
        WHERE a.measure_code = ANY ($1::text[]) AND a.lodged_at >= make_date($2, 1, 1) AND a.lodged_at < make_date($2 + 1, 1, 1)
        GROUP BY a.measure_code`,
      [measureCodes, year],
    );
    return new Map(rows.map((r) => [r.code, r.n]));
  }

  /**
   * Lodges an appeal against a decided dossier (granted or refused), not while another is pending,
   * not before the dossier's last event; writes the dossier's APPEALED event (the card row
   * "beroepsprocedures" counts it) and the appeal in one transaction. Returns the appeal's number.
   */
  async lodge(input: LodgeAppealInput): Promise<string> {
    const key = checkIdempotencyKey(input.idempotencyKey);
    const dossierId = dossierLocalId(input.dossierId);
    const lodgedAt = parseLocalTime(input.lodgedOn, 'lodgedOn');
    const grounds = checkGrounds(input.grounds);
    return idempotent(this.ds, key, 'lodgeAppeal', { ...input, grounds }, async (em) => {
      const dossier = await lockDossier(em, dossierId);
      if (!dossier) throw notFound('Dossier', 'dossierId', input.dossierId);
      if (!APPEALABLE_STATUSES.includes(dossier.status)) {
        throw new DomainError(
          'CONFLICT',
          `Only a decided dossier (granted or refused) can be appealed; this one is ${dossier.status}`,
          { field: 'dossierId' },
        );
      }
      if (dossier.pending) {
        throw new DomainError('CONFLICT', 'An appeal against this dossier is still pending', { field: 'dossierId' });
      }
      if (lodgedAt < dossier.lastEventAt) {
        throw badInput(`lodgedOn must not be before the dossier's last event (${dossier.lastEventAt})`, 'lodgedOn');
      }
      const eventId = await recordEvent(em, dossierId, 'APPEALED', lodgedAt);
      const [{ id }] = await em.query(
        `INSERT INTO ${S}.appeal (dossier_id, measure_code, lodged_event_id, lodged_at, grounds)
         VALUES ($1, $2, $3, $4, $5) RETURNING id::text`,
        [dossierId, dossier.measureCode, eventId, lodgedAt, grounds],
      );
      return id as string;
    });
  }

  /**
   * Decides a pending appeal (any outcome but PENDING), not before it was lodged nor before the
   * dossier's last event; writes the dossier's APPEAL_DECIDED event. Returns the appeal's number.
   */
  async decide(input: DecideAppealInput): Promise<string> {
    const key = checkIdempotencyKey(input.idempotencyKey);
    const id = appealLocalId(input.appealId);
    checkDecisionOutcome(input.outcome);
    const decidedAt = parseLocalTime(input.decidedOn, 'decidedOn');
    return idempotent(this.ds, key, 'decideAppeal', input, async (em) => {
      // The dossier first, then the appeal: the same lock order as lodging.
      const [appeal] = await em.query(`SELECT a.dossier_id::text AS "dossierId" FROM ${S}.appeal a WHERE a.id = $1`, [
        id,
      ]);
      if (!appeal) throw notFound('Appeal', 'appealId', input.appealId);
      const dossier = (await lockDossier(em, appeal.dossierId))!;
      const [locked] = await em.query(
        `SELECT a.outcome, to_char(a.lodged_at, 'YYYY-MM-DD HH24:MI:SS') AS "lodgedAt"
           FROM ${S}.appeal a WHERE a.id = $1 FOR UPDATE`,
        [id],
      );
      if (locked.outcome !== 'PENDING') {
        throw new DomainError('CONFLICT', `The appeal was already decided (${locked.outcome})`, { field: 'appealId' });
      }
      if (decidedAt < locked.lodgedAt) {
        throw badInput(`decidedOn must not be before the appeal was lodged (${locked.lodgedAt})`, 'decidedOn');
      }
      if (decidedAt < dossier.lastEventAt) {
        throw badInput(`decidedOn must not be before the dossier's last event (${dossier.lastEventAt})`, 'decidedOn');
      }
      const eventId = await recordEvent(em, appeal.dossierId, 'APPEAL_DECIDED', decidedAt);
      await em.query(`UPDATE ${S}.appeal SET outcome = $2, decided_at = $3, decided_event_id = $4 WHERE id = $1`, [
        id,
        input.outcome,
        decidedAt,
        eventId,
      ]);
      return id;
    });
  }
}
