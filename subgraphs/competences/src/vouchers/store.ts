import { UPDATED_AT, changedRecords, type ChangeWatermark } from '@measure-graph/measure-module';
import { badInput, DomainError, notFound } from '@measure-graph/errors';
import { normaliseDigits, requireParties, type PartyDirectory } from '@measure-graph/subgraph-platform';
import type { DataSource } from 'typeorm';
import { checkIdempotencyKey, idempotent, parseDay } from './commands.ts';
import { reimbursementConflict } from './rules.ts';

const S = 'competences';
const date = (column: string, as: string) => `to_char(${column}, 'YYYY-MM-DD') AS "${as}"`;
const euros = (cents: string) => `(${cents} / 100.0)::numeric(14, 2)::text`;

export interface TrainingVoucherRecord {
  id: string;
  personId: string;
  dossierId: string;
  issuedOn: string;
  value: string;
  usedOn: string | null;
  courseId: string | null;
  providerKbo: string | null;
  reimbursedOn: string | null;
  /** When the row was last written (set by the database): ISO 8601 in UTC. */
  updatedAt: string;
}

export interface TrainingVoucherFiguresRecord {
  from: string;
  to: string;
  issued: number;
  issuedValue: string;
  used: number;
  paid: number;
  paidValue: string;
}

export interface UseTrainingVoucherInput {
  voucherId: string;
  usedOn: string;
  courseId?: string | null;
  providerKbo?: string | null;
  idempotencyKey: string;
}

export interface ReimburseTrainingVoucherInput {
  voucherId: string;
  reimbursedOn: string;
  idempotencyKey: string;
}

const VOUCHER = `id::text, person_id AS "personId", dossier_id::text AS "dossierId", ${date('issued_on', 'issuedOn')},
  ${euros('value_cents')} AS value, ${date('used_on', 'usedOn')}, course_id::text AS "courseId",
  provider_kbo AS "providerKbo", ${date('reimbursed_on', 'reimbursedOn')},
  ${UPDATED_AT('updated_at')} AS "updatedAt"`;

/** Training vouchers: the only place with their SQL. */
export class VoucherStore {
  constructor(private readonly ds: DataSource) {}

  async vouchersOfPersons(ids: readonly string[]): Promise<TrainingVoucherRecord[]> {
    return this.ds.query(
      `SELECT ${VOUCHER} FROM ${S}.training_voucher WHERE person_id = ANY ($1::text[]) ORDER BY issued_on, id`,
      [ids],
    );
  }

  /** Vouchers written or removed after a watermark, in change order (docs/bi.md, "Incremental refresh"). */
  voucherChanges(from: ChangeWatermark, first: number) {
    return changedRecords(this.ds, S, 'training_voucher', from, first, (ids) => this.vouchersByIds(ids));
  }

  async vouchersByIds(ids: readonly string[]): Promise<TrainingVoucherRecord[]> {
    return this.ds.query(`SELECT ${VOUCHER} FROM ${S}.training_voucher WHERE id = ANY ($1::bigint[])`, [ids]);
  }

  /** Vouchers issued, used and paid (reimbursed) between two days, both included: one statement. */
  async figures(fromRaw: string, toRaw: string): Promise<TrainingVoucherFiguresRecord> {
    const from = parseDay(fromRaw, 'from');
    const to = parseDay(toRaw, 'to');
    if (to < from) throw badInput('to must not be before from', 'to');
    const [row] = await this.ds.query(
      `SELECT count(*) FILTER (WHERE issued_on BETWEEN $1 AND $2)::int AS issued,
              ${euros('coalesce(sum(value_cents) FILTER (WHERE issued_on BETWEEN $1 AND $2), 0)')} AS "issuedValue",
              count(*) FILTER (WHERE used_on BETWEEN $1 AND $2)::int AS used,
              count(*) FILTER (WHERE reimbursed_on BETWEEN $1 AND $2)::int AS paid,
              ${euros('coalesce(sum(value_cents) FILTER (WHERE reimbursed_on BETWEEN $1 AND $2), 0)')} AS "paidValue"
         FROM ${S}.training_voucher
        WHERE issued_on <= $2 AND (issued_on >= $1 OR used_on >= $1 OR reimbursed_on >= $1)`,
      [from, to],
    );
    return { from, to, ...row };
  }

  /**
   * Records that an issued voucher was used for a course of the training database (recognised on
   * the day) or at a provider (checked in the registry before the transaction): once, not before
   * it was issued. One transaction, idempotent.
   */
  async use(input: UseTrainingVoucherInput, parties: PartyDirectory): Promise<string> {
    checkIdempotencyKey(input.idempotencyKey);
    if (!/^\d{1,15}$/.test(input.voucherId)) throw notFound('TrainingVoucher', 'voucherId', input.voucherId);
    const usedOn = parseDay(input.usedOn, 'usedOn', { notFuture: true });
    if (Boolean(input.courseId) === Boolean(input.providerKbo)) {
      throw badInput('Give exactly one of courseId and providerKbo', 'courseId');
    }
    let provider: string | null = null;
    if (input.providerKbo) {
      provider = normaliseDigits(input.providerKbo);
      await requireParties(parties, [{ kind: 'organisation', id: provider, field: 'providerKbo' }]);
    } else if (!/^\d{1,15}$/.test(input.courseId!)) throw notFound('Course', 'courseId', input.courseId!);
    return idempotent(this.ds, 'useTrainingVoucher', input, async (em) => {
      const [voucher]: TrainingVoucherRecord[] = await em.query(
        `SELECT ${VOUCHER} FROM ${S}.training_voucher WHERE id = $1 FOR UPDATE`,
        [input.voucherId],
      );
      if (!voucher) throw notFound('TrainingVoucher', 'voucherId', input.voucherId);
      if (voucher.usedOn !== null) {
        throw new DomainError('CONFLICT', `The voucher was already used on ${voucher.usedOn}`, { field: 'voucherId' });
      }
      if (usedOn < voucher.issuedOn) {
        throw badInput(`usedOn must not be before the voucher was issued (${voucher.issuedOn})`, 'usedOn');
      }
      if (input.courseId) {
        const [course]: Array<{ kbo: string; from: string; until: string }> = await em.query(
          `SELECT provider_kbo AS kbo, ${date('recognised_on', 'from')}, ${date('valid_until', 'until')}
             FROM ${S}.course WHERE id = $1`,
          [input.courseId],
        );
        if (!course) throw notFound('Course', 'courseId', input.courseId);
        if (usedOn < course.from || usedOn > course.until) {
          throw new DomainError('CONFLICT', `The course is recognised from ${course.from} to ${course.until}`, {
            field: 'usedOn',
          });
        }
        provider = course.kbo;
      }
      await em.query(`UPDATE ${S}.training_voucher SET used_on = $2, course_id = $3, provider_kbo = $4 WHERE id = $1`, [
        voucher.id,
        usedOn,
        input.courseId || null,
        provider,
      ]);
      return voucher.id;
    });
  }

  /**
   * Records the reimbursement of a voucher: only an issued, used, not yet reimbursed voucher, not
   * before its use. One transaction, idempotent per idempotencyKey.
   */
  async reimburse(input: ReimburseTrainingVoucherInput): Promise<string> {
    checkIdempotencyKey(input.idempotencyKey);
    if (!/^\d{1,15}$/.test(input.voucherId)) throw notFound('TrainingVoucher', 'voucherId', input.voucherId);
    const reimbursedOn = parseDay(input.reimbursedOn, 'reimbursedOn', { notFuture: true });
    return idempotent(this.ds, 'reimburseTrainingVoucher', input, async (em) => {
      const [voucher]: TrainingVoucherRecord[] = await em.query(
        `SELECT ${VOUCHER} FROM ${S}.training_voucher WHERE id = $1 FOR UPDATE`,
        [input.voucherId],
      );
      if (!voucher) throw notFound('TrainingVoucher', 'voucherId', input.voucherId);
      const conflict = reimbursementConflict(voucher);
      if (conflict) throw new DomainError('CONFLICT', conflict, { field: 'voucherId' });
      if (reimbursedOn < voucher.usedOn!) {
        throw badInput(`reimbursedOn must not be before the voucher was used (${voucher.usedOn})`, 'reimbursedOn');
      }
      await em.query(`UPDATE ${S}.training_voucher SET reimbursed_on = $2 WHERE id = $1`, [voucher.id, reimbursedOn]);
      return voucher.id;
    });
  }
}
