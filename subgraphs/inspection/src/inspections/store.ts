import { createHash } from 'node:crypto';
import { badInput, DomainError, notFound } from '@measure-graph/errors';
import { isValidKbo, normaliseDigits, requireParties, type PartyDirectory } from '@measure-graph/subgraph-platform';
import {
  belgianNow,
  CHANGE_KEY_COLUMNS,
  changedAfterSql,
  type ChangeWatermark,
  UPDATED_AT,
} from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';

const S = 'inspection';

export interface FiguresRecord {
  key: string;
  year: number;
  controls: number;
  warningsOrReports: number;
  officialReports: number;
  warnings: number;
  proposedRecovery: string;
}

export interface InspectionRecord {
  id: string;
  kbo: string;
  domainCode: string;
  measureCode: string | null;
  inspectedOn: string;
  kind: string;
  unit: string;
  outcome: string | null;
  proposedRecovery: string | null;
  followUp: string | null;
  followUpOn: string | null;
  /** When it or one of its findings was last written: ISO 8601 in UTC. */
  updatedAt: string;
  /** Change-order key, for watermarks. */
  changeXid: string;
}

export interface DomainRecord {
  code: string;
  position: number;
  label: string;
  measureCode: string | null;
}

export interface RecordInspectionInput {
  kbo: string;
  domainCode: string;
  inspectedOn: string;
  kind: string;
  unit: string;
  idempotencyKey: string;
}

export interface RecordOutcomeInput {
  inspectionId: string;
  outcome: string;
  proposedRecovery?: string | null;
  findings?: Array<{ ruleCode: string; description: string }> | null;
  followUp?: string | null;
  followUpOn?: string | null;
  recordedOn: string;
}

export const KINDS = ['TARGETED_CONTROL', 'PREVENTIVE_ROUND', 'ILLEGAL_WORK_DETECTION', 'FINANCIAL_ANALYSIS'];
export const OUTCOMES = ['NONE', 'WARNING', 'OFFICIAL_REPORT'];
export const FOLLOW_UPS = ['NONE', 'RE_INSPECTION', 'FINE_PROCEDURE', 'RECOVERY'];

const date = (column: string, as: string) => `to_char(${column}, 'YYYY-MM-DD') AS "${as}"`;
const euros = (column: string) => `(${column} / 100.0)::numeric(14, 2)::text`;
const INSPECTION_COLUMNS = `i.id::text, i.kbo, i.domain_code AS "domainCode", i.measure_code AS "measureCode",
  ${date('i.inspected_on', 'inspectedOn')}, i.kind, i.unit, i.outcome,
  ${euros('i.proposed_recovery_cents')} AS "proposedRecovery", i.follow_up AS "followUp", ${date('i.follow_up_on', 'followUpOn')},
  ${UPDATED_AT('i.updated_at')} AS "updatedAt", ${CHANGE_KEY_COLUMNS('i')}`;
const FIGURES = `count(*)::int AS controls,
  count(*) FILTER (WHERE i.outcome IN ('WARNING', 'OFFICIAL_REPORT'))::int AS "warningsOrReports",
  count(*) FILTER (WHERE i.outcome = 'OFFICIAL_REPORT')::int AS "officialReports",
  count(*) FILTER (WHERE i.outcome = 'WARNING')::int AS warnings,
  ${euros('coalesce(sum(i.proposed_recovery_cents), 0)')} AS "proposedRecovery"`;

/** A calendar date "YYYY-MM-DD", real, from 2000, not after today in Belgium. */
export function parseDay(value: string, field: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(`${value}T00:00:00Z`) : null;
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw badInput(`${field} must be a date YYYY-MM-DD, got "${value}"`, field);
  }
  if (value < '2000-01-01') throw badInput(`${field} must not be before 2000`, field);
  if (value > belgianNow().slice(0, 10)) throw badInput(`${field} must not be in the future`, field);
  return value;
}

/** Euros, not negative, at most two decimals, to cents. */
export function parseRecovery(value: string): bigint {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m)
    throw badInput(
      `proposedRecovery must be an amount in euros, not negative, with at most two decimals, got "${value}"`,
      'proposedRecovery',
    );
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

export const oneOf = (value: string, allowed: string[], field: string) => {
  if (!allowed.includes(value)) throw badInput(`${field} must be one of ${allowed.join(', ')}, got "${value}"`, field);
  return value;
};

/**
 * The rules of recordInspection that need no database (also used by data:import): a valid KBO
 * number (stored as 10 digits), a real inspection date from 2000 not in the future, a known kind, a
 * unit of 1 to 100 characters.
 */
export function checkInspection(input: Pick<RecordInspectionInput, 'kbo' | 'inspectedOn' | 'kind' | 'unit'>): {
  kbo: string;
  inspectedOn: string;
} {
  if (!isValidKbo(input.kbo)) throw badInput(`"${input.kbo}" is not a valid KBO number`, 'kbo');
  const kbo = normaliseDigits(input.kbo);
  const inspectedOn = parseDay(input.inspectedOn, 'inspectedOn');
  oneOf(input.kind, KINDS, 'kind');
  checkUnit(input.unit);
  return { kbo, inspectedOn };
}

/** The inspecting unit: 1 to 100 characters. */
export function checkUnit(unit: string): string {
  if (!unit || unit.length > 100) throw badInput('unit must be 1 to 100 characters', 'unit');
  return unit;
}

/**
 * The rules of recordOutcome that need no database (also used by data:import); the findings are
 * checked one by one with checkFinding. recordedOn not before the inspection needs the inspection.
 */
export function checkOutcome(input: Omit<RecordOutcomeInput, 'inspectionId'>): {
  followUp: string;
  recovery: bigint | null;
  recordedOn: string;
  followUpOn: string | null;
} {
  oneOf(input.outcome, OUTCOMES, 'outcome');
  const followUp = oneOf(input.followUp ?? 'NONE', FOLLOW_UPS, 'followUp');
  const recovery = input.proposedRecovery == null ? null : parseRecovery(input.proposedRecovery);
  const recordedOn = parseDay(input.recordedOn, 'recordedOn');
  const followUpOn = input.followUpOn == null ? null : input.followUpOn;
  if (followUpOn !== null && !/^\d{4}-\d{2}-\d{2}$/.test(followUpOn))
    throw badInput('followUpOn must be a date YYYY-MM-DD', 'followUpOn');
  for (const f of input.findings ?? []) checkFinding(f);
  return { followUp, recovery, recordedOn, followUpOn };
}

/** A finding: an upper-case rule code and a description that is not blank (stored trimmed). */
export function checkFinding(f: { ruleCode: string; description: string }): { ruleCode: string; description: string } {
  if (!/^[A-Z][A-Z0-9_]{1,60}$/.test(f.ruleCode))
    throw badInput(`ruleCode must be an upper-case code, got "${f.ruleCode}"`, 'findings');
  if (!f.description.trim()) throw badInput('a finding needs a description', 'findings');
  return { ruleCode: f.ruleCode, description: f.description.trim() };
}

/** Inspections, their figures and their recording: the only place with their SQL. */
export class InspectionStore {
  constructor(private readonly ds: DataSource) {}

  /** Figures of a year per measure (keys are measure codes). */
  async figuresByMeasure(codes: readonly string[], year: number): Promise<FiguresRecord[]> {
    return this.ds.query(
      `SELECT i.measure_code AS key, $2::int AS year, ${FIGURES}
         FROM ${S}.inspection i
        WHERE i.measure_code = ANY ($1::text[]) AND i.inspected_on >= make_date($2, 1, 1) AND i.inspected_on < make_date($2 + 1, 1, 1)
        GROUP BY i.measure_code`,
      [codes, year],
    );
  }

  /** Figures per control domain for each given year. */
  async figuresByDomain(years: number[]): Promise<FiguresRecord[]> {
    return this.ds.query(
      `SELECT i.domain_code AS key, extract(year FROM i.inspected_on)::int AS year, ${FIGURES}
         FROM ${S}.inspection i WHERE extract(year FROM i.inspected_on)::int = ANY ($1::int[])
        GROUP BY 1, 2`,
      [years],
    );
  }

  async domains(): Promise<DomainRecord[]> {
    return this.ds.query(
      `SELECT code, position, label, measure_code AS "measureCode" FROM ${S}.control_domain ORDER BY position`,
    );
  }

  async byIds(ids: readonly string[]): Promise<InspectionRecord[]> {
    return this.ds.query(`SELECT ${INSPECTION_COLUMNS} FROM ${S}.inspection i WHERE i.id = ANY ($1::bigint[])`, [ids]);
  }

  async findings(
    ids: readonly string[],
  ): Promise<Array<{ inspectionId: string; ruleCode: string; description: string }>> {
    return this.ds.query(
      `SELECT inspection_id::text AS "inspectionId", rule_code AS "ruleCode", description
         FROM ${S}.inspection_finding WHERE inspection_id = ANY ($1::bigint[]) ORDER BY id`,
      [ids],
    );
  }

  /**
   * A page of each organisation's inspections, newest first, or in change order after a watermark
   * (incremental pulls); one row more to tell a next page.
   */
  async pageOfOrganisations(
    kbos: readonly string[],
    first: number,
    after: { inspectedOn: string; id: string } | null,
    changedAfter: ChangeWatermark | null = null,
  ): Promise<InspectionRecord[]> {
    const params: unknown[] = [kbos, first + 1, after?.inspectedOn ?? null, after?.id ?? null];
    const changed = changedAfter ? ` AND ${changedAfterSql('i', changedAfter, params)}` : '';
    return this.ds.query(
      `SELECT p.* FROM unnest($1::text[]) AS k (kbo) CROSS JOIN LATERAL (
         SELECT ${INSPECTION_COLUMNS} FROM ${S}.inspection i
          WHERE i.kbo = k.kbo AND ($3::date IS NULL OR (i.inspected_on, i.id) < ($3::date, $4::bigint))${changed}
          ORDER BY ${changedAfter ? 'i.change_xid, i.id' : 'i.inspected_on DESC, i.id DESC'} LIMIT $2) p`,
      params,
    );
  }

  async countsOfOrganisations(kbos: readonly string[]): Promise<Map<string, number>> {
    const rows: Array<{ kbo: string; n: number }> = await this.ds.query(
      `SELECT kbo, count(*)::int AS n FROM ${S}.inspection WHERE kbo = ANY ($1::text[]) GROUP BY kbo`,
      [kbos],
    );
    return new Map(rows.map((r) => [r.kbo, r.n]));
  }

  /**
   * Records an inspection; a retry with the same key returns the first one, another request with it
   * is a CONFLICT. The organisation is checked in the registry before the transaction.
   */
  async record(input: RecordInspectionInput, parties: PartyDirectory): Promise<string> {
    const key = input.idempotencyKey;
    if (typeof key !== 'string' || key.length < 8 || key.length > 100) {
      throw badInput('idempotencyKey must be 8 to 100 characters', 'idempotencyKey');
    }
    const { kbo, inspectedOn } = checkInspection(input);
    await requireParties(parties, [{ kind: 'organisation', id: kbo, field: 'kbo' }]);
    const hash = createHash('sha256')
      .update(JSON.stringify({ ...input, kbo }))
      .digest('hex');
    return this.ds.transaction(async (em) => {
      const [domain] = await em.query(`SELECT measure_code AS "measureCode" FROM ${S}.control_domain WHERE code = $1`, [
        input.domainCode,
      ]);
      if (!domain) throw notFound('Control domain', 'domainCode', input.domainCode);
      // Serialise requests with the same key: the second waits, then finds the first.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [key]);
      const [seen] = await em.query(
        `SELECT request_hash, inspection_id::text AS id FROM ${S}.inspection_idempotency WHERE key = $1`,
        [key],
      );
      if (seen) {
        if (seen.request_hash !== hash)
          throw new DomainError('CONFLICT', 'idempotencyKey was used for another request', { field: 'idempotencyKey' });
        return seen.id as string;
      }
      const [{ id }] = await em.query(
        `INSERT INTO ${S}.inspection (kbo, domain_code, measure_code, inspected_on, kind, unit)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text`,
        [kbo, input.domainCode, domain.measureCode, inspectedOn, input.kind, input.unit],
      );
      await em.query(`INSERT INTO ${S}.inspection_idempotency (key, request_hash, inspection_id) VALUES ($1, $2, $3)`, [
        key,
        hash,
        id,
      ]);
      return id as string;
    });
  }

  /** Records the outcome of an inspection, once, with its findings, in one transaction. */
  async recordOutcome(id: string, input: RecordOutcomeInput): Promise<void> {
    const { followUp, recovery, recordedOn, followUpOn } = checkOutcome(input);
    await this.ds.transaction(async (em) => {
      const [row] = await em.query(
        `SELECT outcome, to_char(inspected_on, 'YYYY-MM-DD') AS "inspectedOn" FROM ${S}.inspection WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!row) throw notFound('Inspection', 'id', `VSI-${id}`);
      if (row.outcome !== null)
        throw new DomainError('CONFLICT', 'The outcome of this inspection was already recorded', {
          field: 'inspectionId',
        });
      if (recordedOn < row.inspectedOn) throw badInput('recordedOn must not be before the inspection', 'recordedOn');
      await em.query(
        `UPDATE ${S}.inspection SET outcome = $2, proposed_recovery_cents = $3, follow_up = $4, follow_up_on = $5, outcome_recorded_on = $6
          WHERE id = $1`,
        [id, input.outcome, recovery === null ? null : recovery.toString(), followUp, followUpOn, recordedOn],
      );
      for (const f of input.findings ?? []) {
        await em.query(
          `INSERT INTO ${S}.inspection_finding (inspection_id, rule_code, description) VALUES ($1, $2, $3)`,
          [id, f.ruleCode, f.description.trim()],
        );
      }
    });
  }
}
