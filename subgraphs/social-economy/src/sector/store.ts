import { changedRecords, UPDATED_AT, type ChangePage, type ChangeWatermark } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';

const S = 'social_economy';

export interface SectorOrganisationRecord {
  kbo: string;
  sector: 'BW' | 'SW' | 'LDE';
  provinceCode: string;
  mergedOn: string | null;
  labels: Array<{ label: string; validFrom: string; validTo: string | null }>;
}

export interface ContingentRecord {
  /** The row's id (bigint as text): what a removal's tombstone names. */
  id: string;
  kbo: string;
  measureCode: string;
  fte: string;
  validFrom: string;
  validTo: string | null;
  reason: string;
  growthPathCallId: string | null;
  /** When the row was last written (set by the database): ISO 8601 in UTC. */
  updatedAt: string;
}

export interface SettlementRecord {
  /** The row's id (bigint as text): what a removal's tombstone names. */
  id: string;
  kbo: string;
  quarter: string;
  contingentFte: string;
  filledFte: string;
  advances: string;
  balance: string;
  settledOn: string | null;
  /** When the row was last written (set by the database): ISO 8601 in UTC. */
  updatedAt: string;
}

export interface ContingentTotalRecord {
  sector: SectorOrganisationRecord['sector'] | null;
  measureCode: string | null;
  provinceCode: string | null;
  organisations: number;
  contingentFte: string;
  filledFte: string;
  vacantFte: string;
}

export interface EmploymentRecord {
  id: string;
  personId: string;
  kbo: string;
  startedOn: string;
  endedOn: string | null;
  supportPackage: string;
  nextEvaluationOn: string | null;
  popFormalisedOn: string | null;
  sampledForEvaluation: number[];
  /** When the row was last written (set by the database): ISO 8601 in UTC. */
  updatedAt: string;
}

export interface TrajectoryRecord {
  id: string;
  personId: string;
  employerKbo: string;
  esfCall: number;
  referredByVdab: boolean;
  referredOn: string | null;
  startedOn: string | null;
  endedOn: string | null;
  outcome: string | null;
  regularEmployerKbo: string | null;
  hiredOn: string | null;
  aftercareUntil: string | null;
  /** When the row was last written (set by the database): ISO 8601 in UTC. */
  updatedAt: string;
}

const date = (column: string, as: string) => `to_char(${column}, 'YYYY-MM-DD') AS "${as}"`;
/** The sector of a measure: custom work is the former BW and SW. */
const SECTORS_OF_MEASURE = `CASE $3::text WHEN 'MAATWERK' THEN ARRAY['BW', 'SW'] WHEN 'LDE' THEN ARRAY['LDE'] END`;

const CONTINGENT_SELECT = `SELECT c.id::text, c.kbo, c.measure_code AS "measureCode", c.fte::text AS fte,
       ${date('c.valid_from', 'validFrom')}, ${date('c.valid_to', 'validTo')}, c.reason, a.call_id AS "growthPathCallId",
       ${UPDATED_AT('c.updated_at')} AS "updatedAt"
  FROM ${S}.contingent c LEFT JOIN ${S}.growth_path_application a ON a.id = c.allocation_id`;
const EMPLOYMENT_SELECT = `SELECT e.id::text, e.person_id AS "personId", e.kbo, ${date('e.started_on', 'startedOn')},
       ${date('e.ended_on', 'endedOn')}, e.support_package AS "supportPackage", ${date('e.next_evaluation_on', 'nextEvaluationOn')},
       ${date('e.pop_formalised_on', 'popFormalisedOn')},
       coalesce((SELECT array_agg(s.year ORDER BY s.year) FROM ${S}.evaluation_sample s WHERE s.employee_id = e.id), '{}')
         AS "sampledForEvaluation", ${UPDATED_AT('e.updated_at')} AS "updatedAt"
  FROM ${S}.target_group_employee e`;
const SETTLEMENT_SELECT = `SELECT id::text, kbo, ${date('quarter', 'quarter')}, contingent_fte::text AS "contingentFte",
       filled_fte::text AS "filledFte", (advances_cents / 100.0)::numeric(14, 2)::text AS advances,
       (balance_cents / 100.0)::numeric(14, 2)::text AS balance, ${date('settled_on', 'settledOn')},
       ${UPDATED_AT('updated_at')} AS "updatedAt"
  FROM ${S}.settlement`;

function trajectorySelect(where: string) {
  return `SELECT id::text, person_id AS "personId", employer_kbo AS "employerKbo", esf_call AS "esfCall",
                 referred_by_vdab AS "referredByVdab", ${date('referred_on', 'referredOn')}, ${date('started_on', 'startedOn')},
                 ${date('ended_on', 'endedOn')}, outcome, regular_employer_kbo AS "regularEmployerKbo",
                 ${date('hired_on', 'hiredOn')}, ${date('aftercare_until', 'aftercareUntil')},
                 ${UPDATED_AT('updated_at')} AS "updatedAt"
            FROM ${S}.transition_trajectory WHERE ${where} ORDER BY coalesce(started_on, referred_on), id`;
}

/** The records of the tables with an incremental pull, by table. */
interface ChangeRecords {
  contingent: ContingentRecord;
  settlement: SettlementRecord;
  target_group_employee: EmploymentRecord;
  transition_trajectory: TrajectoryRecord;
}
/** The rows of those tables by id ($1, bigint ids as text). */
const CHANGED_ROWS: Record<keyof ChangeRecords, string> = {
  contingent: `${CONTINGENT_SELECT} WHERE c.id = ANY ($1::bigint[])`,
  settlement: `${SETTLEMENT_SELECT} WHERE id = ANY ($1::bigint[])`,
  target_group_employee: `${EMPLOYMENT_SELECT} WHERE e.id = ANY ($1::bigint[])`,
  transition_trajectory: trajectorySelect('id = ANY ($1::bigint[])'),
};

/** Organisations, contingents, settlements, employees and trajectories: the only place with their SQL. */
export class SectorStore {
  constructor(private readonly ds: DataSource) {}

  async organisations(kbos: readonly string[]): Promise<SectorOrganisationRecord[]> {
    return this.ds.query(
      `SELECT o.kbo, o.sector, o.province_code AS "provinceCode", ${date('o.merged_on', 'mergedOn')},
              (SELECT json_agg(json_build_object('label', l.label, 'validFrom', to_char(l.valid_from, 'YYYY-MM-DD'),
                                                 'validTo', to_char(l.valid_to, 'YYYY-MM-DD')) ORDER BY l.valid_from)
                 FROM ${S}.sector_label l WHERE l.kbo = o.kbo) AS labels
         FROM ${S}.sector_organisation o WHERE o.kbo = ANY ($1::text[])`,
      [kbos],
    );
  }

  async contingents(kbos: readonly string[]): Promise<ContingentRecord[]> {
    return this.ds.query(`${CONTINGENT_SELECT} WHERE c.kbo = ANY ($1::text[]) ORDER BY c.kbo, c.valid_from, c.id`, [
      kbos,
    ]);
  }

  async settlements(kbos: readonly string[]): Promise<SettlementRecord[]> {
    return this.ds.query(`${SETTLEMENT_SELECT} WHERE kbo = ANY ($1::text[]) ORDER BY kbo, quarter`, [kbos]);
  }

  /**
   * The rows of a table with change tracking written or removed after a watermark, in change order:
   * an incremental pull (docs/bi.md, "Incremental refresh").
   */
  async changes<T extends keyof ChangeRecords>(
    table: T,
    from: ChangeWatermark,
    first: number,
  ): Promise<ChangePage & { nodes: Array<ChangeRecords[T]> }> {
    return changedRecords(this.ds, S, table, from, first, (ids) => this.ds.query(CHANGED_ROWS[table], [ids]));
  }

  /** Sums of one quarter's settlements: per sector (or for a measure's sectors), optionally per province. */
  async contingentTotals(filter: {
    quarter: string;
    sector: string | null;
    measureCode: string | null;
    perProvince: boolean;
    asOf: string | null;
  }): Promise<ContingentTotalRecord[]> {
    const province = filter.perProvince ? 'o.province_code' : 'NULL::text';
    return this.ds.query(
      `SELECT $2::text AS sector, $3::text AS "measureCode", ${province} AS "provinceCode", count(*)::int AS organisations,
              sum(s.contingent_fte)::numeric(10, 2)::text AS "contingentFte", sum(s.filled_fte)::numeric(10, 2)::text AS "filledFte",
              (sum(s.contingent_fte) - sum(s.filled_fte))::numeric(10, 2)::text AS "vacantFte"
         FROM ${S}.settlement s JOIN ${S}.sector_organisation o ON o.kbo = s.kbo
        WHERE s.quarter = $1::date
          AND ($2::text IS NULL OR o.sector = $2) AND ($3::text IS NULL OR o.sector = ANY (${SECTORS_OF_MEASURE}))
          AND ($4::date IS NULL OR s.settled_on <= $4::date)
        GROUP BY 3 ORDER BY 3`,
      [filter.quarter, filter.sector, filter.measureCode, filter.asOf],
    );
  }

  /** The last quarter of a sector whose every settlement was done on `asOf`; null when none was. */
  async lastSettledQuarter(sector: string, asOf: string): Promise<string | null> {
    const [row] = await this.ds.query(
      `SELECT to_char(max(quarter), 'YYYY-MM-DD') AS quarter FROM (
         SELECT s.quarter FROM ${S}.settlement s JOIN ${S}.sector_organisation o ON o.kbo = s.kbo
          WHERE o.sector = $1 GROUP BY s.quarter HAVING bool_and(s.settled_on IS NOT NULL AND s.settled_on <= $2::date)) q`,
      [sector, asOf],
    );
    return row?.quarter ?? null;
  }

  /** Unique persons employed at some time in a year, for a sector or a measure's sectors. */
  async employedPersons(year: number, sector: string | null, measureCode: string | null): Promise<number> {
    const [row] = await this.ds.query(
      `SELECT count(DISTINCT e.person_id)::int AS n
         FROM ${S}.target_group_employee e JOIN ${S}.sector_organisation o ON o.kbo = e.kbo
        WHERE e.started_on < make_date($1, 12, 31) + 1 AND (e.ended_on IS NULL OR e.ended_on >= make_date($1, 1, 1))
          AND ($2::text IS NULL OR o.sector = $2) AND ($3::text IS NULL OR o.sector = ANY (${SECTORS_OF_MEASURE}))`,
      [year, sector, measureCode],
    );
    return row.n;
  }

  /** Employees of the organisations employed in a year, per organisation. */
  async employeeCounts(kbos: readonly string[], year: number): Promise<Map<string, number>> {
    const rows: Array<{ kbo: string; n: number }> = await this.ds.query(
      `SELECT kbo, count(*)::int AS n FROM ${S}.target_group_employee
        WHERE kbo = ANY ($1::text[]) AND started_on < make_date($2, 12, 31) + 1
          AND (ended_on IS NULL OR ended_on >= make_date($2, 1, 1))
        GROUP BY kbo`,
      [kbos, year],
    );
    return new Map(rows.map((r) => [r.kbo, r.n]));
  }

  async employmentsOfPersons(personIds: readonly string[]): Promise<EmploymentRecord[]> {
    return this.ds.query(`${EMPLOYMENT_SELECT} WHERE e.person_id = ANY ($1::text[]) ORDER BY e.started_on`, [
      personIds,
    ]);
  }

  async trajectoriesOfEmployers(kbos: readonly string[]): Promise<TrajectoryRecord[]> {
    return this.ds.query(trajectorySelect('employer_kbo = ANY ($1::text[])'), [kbos]);
  }

  async trajectoriesOfPersons(personIds: readonly string[]): Promise<TrajectoryRecord[]> {
    return this.ds.query(trajectorySelect('person_id = ANY ($1::text[])'), [personIds]);
  }

  /** Per province of the employer: referrals, started, stopped, succeeded, failed, without outcome. */
  async transitionCall(call: number) {
    return this.ds.query(
      `SELECT o.province_code AS "provinceCode",
              count(*) FILTER (WHERE t.referred_by_vdab AND t.referred_on IS NOT NULL)::int AS referrals,
              count(t.started_on)::int AS started,
              count(*) FILTER (WHERE t.outcome = 'STOPPED')::int AS stopped,
              count(*) FILTER (WHERE t.outcome = 'SUCCEEDED')::int AS succeeded,
              count(*) FILTER (WHERE t.outcome = 'FAILED')::int AS failed,
              count(*) FILTER (WHERE t.started_on IS NOT NULL AND t.outcome IS NULL)::int AS "withoutOutcome"
         FROM ${S}.transition_trajectory t JOIN ${S}.sector_organisation o ON o.kbo = t.employer_kbo
        WHERE t.esf_call = $1 GROUP BY o.province_code ORDER BY o.province_code`,
      [call],
    ) as Promise<
      Array<{
        provinceCode: string;
        referrals: number;
        started: number;
        stopped: number;
        succeeded: number;
        failed: number;
        withoutOutcome: number;
      }>
    >;
  }

  /** KBO numbers of a sector; with a year and a share, those whose yearly occupancy was below it. */
  async organisationsOf(sector: string, year: number | null, occupancyBelow: number | null): Promise<string[]> {
    const rows: Array<{ kbo: string }> = await this.ds.query(
      `SELECT o.kbo FROM ${S}.sector_organisation o
        WHERE o.sector = $1 AND ($3::float IS NULL OR (
          SELECT sum(s.filled_fte) / nullif(sum(s.contingent_fte), 0) FROM ${S}.settlement s
           WHERE s.kbo = o.kbo AND s.quarter >= make_date($2, 1, 1) AND s.quarter < make_date($2 + 1, 1, 1)) < $3)
        ORDER BY o.kbo`,
      [sector, year, occupancyBelow],
    );
    return rows.map((r) => r.kbo);
  }

  /** Action plans of LDE initiatives, per organisation and year. */
  async actionPlans(kbos: readonly string[]): Promise<Array<{ kbo: string; year: number; submittedOn: string }>> {
    return this.ds.query(
      `SELECT kbo, year, ${date('submitted_on', 'submittedOn')} FROM ${S}.lde_action_plan WHERE kbo = ANY ($1::text[])`,
      [kbos],
    );
  }
}
