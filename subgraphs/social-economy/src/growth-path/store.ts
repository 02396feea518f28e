import { DomainError, notFound } from '@measure-graph/errors';
import { normaliseDigits, requireParties, type PartyDirectory } from '@measure-graph/subgraph-platform';
import {
  changedRecords,
  parseLocalTime,
  UPDATED_AT,
  type ChangePage,
  type ChangeWatermark,
} from '@measure-graph/measure-module';
import type { DataSource, EntityManager } from 'typeorm';
import { distribute, parseFte, SECTORS_OF_CALL as SECTORS, type Applicant, type RuleSet } from './rules.ts';

const S = 'social_economy';

export interface CallRecord {
  id: string;
  name: string;
  measureCode: string;
  sector: string;
  budgetFte: string;
  unitFte: string;
  ruleSet: RuleSet;
  minFillRate: number | null;
  referenceFrom: string | null;
  referenceTo: string | null;
  deadline: string;
  effectiveFrom: string;
  status: 'OPEN' | 'DISTRIBUTED';
  requestedFte: string;
  allocatedFte: string;
}

export interface ApplicationRecord {
  id: string;
  callId: string;
  kbo: string;
  requestedFte: string;
  submittedOn: string;
  allocation: AllocationRecord | null;
}

/** What an application was given; id is the allocation row's (bigint as text). */
export interface AllocationRecord {
  id: string;
  callId: string;
  kbo: string;
  fte: string;
  rule: string;
  explanation: string;
  updatedAt: string;
}

export interface ApplyInput {
  callId: string;
  kbo: string;
  requestedFte: string;
  submittedOn: string;
}

const date = (column: string, as: string) => `to_char(${column}, 'YYYY-MM-DD') AS "${as}"`;
const CALL_COLUMNS = `c.id, c.name, c.measure_code AS "measureCode", c.sector, c.budget_fte::text AS "budgetFte",
  c.unit_fte::text AS "unitFte", c.rule_set AS "ruleSet", c.min_fill_rate::float AS "minFillRate",
  ${date('c.reference_from', 'referenceFrom')}, ${date('c.reference_to', 'referenceTo')}, ${date('c.deadline', 'deadline')},
  ${date('c.effective_from', 'effectiveFrom')}, c.status,
  coalesce((SELECT sum(a.requested_fte) FROM ${S}.growth_path_application a WHERE a.call_id = c.id), 0)::numeric(10, 2)::text
    AS "requestedFte",
  coalesce((SELECT sum(l.fte) FROM ${S}.growth_path_allocation l WHERE l.call_id = c.id), 0)::numeric(10, 2)::text
    AS "allocatedFte"`;

/** An allocation (l) of an application (a) as JSON fields. */
const ALLOCATION_FIELDS = `'id', l.id::text, 'callId', a.call_id, 'kbo', a.kbo, 'fte', l.fte::text, 'rule', l.rule,
  'explanation', l.explanation, 'updatedAt', ${UPDATED_AT('l.updated_at')}`;

/** Growth-path calls, applications and distributions: the only place with their SQL. */
export class GrowthPathStore {
  constructor(private readonly ds: DataSource) {}

  async calls(ids: readonly string[] | null = null): Promise<CallRecord[]> {
    return this.ds.query(
      `SELECT ${CALL_COLUMNS} FROM ${S}.growth_path_call c WHERE $1::text[] IS NULL OR c.id = ANY ($1::text[])
        ORDER BY c.deadline, c.id`,
      [ids],
    );
  }

  async applications(callIds: readonly string[]): Promise<ApplicationRecord[]> {
    return this.ds.query(
      `SELECT a.id::text, a.call_id AS "callId", a.kbo, a.requested_fte::text AS "requestedFte", ${date('a.submitted_on', 'submittedOn')},
              CASE WHEN l.id IS NULL THEN NULL
                   ELSE json_build_object(${ALLOCATION_FIELDS}) END AS allocation
         FROM ${S}.growth_path_application a LEFT JOIN ${S}.growth_path_allocation l ON l.application_id = a.id
        WHERE a.call_id = ANY ($1::text[]) ORDER BY a.call_id, l.fte DESC NULLS LAST, a.kbo`,
      [callIds],
    );
  }

  /** The allocations written or removed after a watermark, in change order (docs/bi.md, "Incremental refresh"). */
  async allocationChanges(from: ChangeWatermark, first: number): Promise<ChangePage & { nodes: AllocationRecord[] }> {
    return changedRecords(this.ds, S, 'growth_path_allocation', from, first, async (ids: string[]) =>
      (
        await this.ds.query(
          `SELECT json_build_object(${ALLOCATION_FIELDS}) AS allocation
             FROM ${S}.growth_path_allocation l JOIN ${S}.growth_path_application a ON a.id = l.application_id
            WHERE l.id = ANY ($1::bigint[])`,
          [ids],
        )
      ).map((r: { allocation: AllocationRecord }) => r.allocation),
    );
  }

  /**
   * Applies for an open call before its deadline; one application per organisation and call.
   *
   * The organisation is checked in the registry first (one call, before the transaction), like
   * every command that names a party: one the registry does not hold is NOT_FOUND (field `kbo`),
   * REGISTRY_UNAVAILABLE when it does not answer. Being an organisation of the social economy in
   * the call's sector is this domain's own rule and stays: a growth path enlarges the contingent of
   * a recognised sheltered or social workplace or LDE initiative (its distribution needs the
   * organisation's contingent, fill rate and province), so an organisation the registry knows that
   * is not one, or is one of another sector, is a CONFLICT (field `kbo`), not NOT_FOUND
   * (docs/architecture.md, "Parties").
   */
  async apply(input: ApplyInput, parties: PartyDirectory): Promise<string> {
    const submitted = parseLocalTime(input.submittedOn, 'submittedOn').slice(0, 10);
    const kbo = normaliseDigits(input.kbo);
    await requireParties(parties, [{ kind: 'organisation', id: kbo, field: 'kbo' }]);
    return this.ds.transaction(async (em) => {
      const call = await this.lockCall(em, input.callId);
      if (call.status !== 'OPEN')
        throw new DomainError('CONFLICT', `Call ${call.id} was already distributed`, { field: 'callId' });
      if (submitted > call.deadline) {
        throw new DomainError('CONFLICT', `Call ${call.id} closed on ${call.deadline}; submittedOn is ${submitted}`, {
          field: 'submittedOn',
        });
      }
      const requested = parseFte(input.requestedFte, Number(call.unitFte) === 1);
      const [org] = await em.query(`SELECT sector FROM ${S}.sector_organisation WHERE kbo = $1`, [kbo]);
      if (!org) {
        throw new DomainError(
          'CONFLICT',
          `Organisation ${kbo} is not a recognised organisation of the social economy and cannot apply for a growth path`,
          { field: 'kbo' },
        );
      }
      if (!SECTORS[call.sector]!.includes(org.sector)) {
        throw new DomainError(
          'CONFLICT',
          `Call ${call.id} is for ${call.sector}; organisation ${kbo} is ${org.sector}`,
          {
            field: 'kbo',
          },
        );
      }
      const inserted = await em.query(
        `INSERT INTO ${S}.growth_path_application (call_id, kbo, requested_fte, submitted_on) VALUES ($1, $2, $3, $4)
         ON CONFLICT (call_id, kbo) DO NOTHING RETURNING id::text`,
        [call.id, kbo, requested, submitted],
      );
      if (inserted.length === 0) {
        throw new DomainError('CONFLICT', `Organisation ${kbo} already applied for call ${call.id}`, {
          field: 'kbo',
        });
      }
      return inserted[0].id as string;
    });
  }

  /**
   * Distributes an open call by its rules in one transaction: the call row is locked first, so a
   * concurrent distribution waits and then finds it distributed (CONFLICT); the budget is never
   * given twice.
   */
  async distribute(callId: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      const call = await this.lockCall(em, callId);
      if (call.status !== 'OPEN')
        throw new DomainError('CONFLICT', `Call ${call.id} was already distributed`, { field: 'callId' });
      const weights: Array<{ provinceCode: string; weight: string }> = await em.query(
        `SELECT province_code AS "provinceCode", weight::text FROM ${S}.growth_path_province_weight WHERE call_id = $1`,
        [call.id],
      );
      const applicants: Array<
        Omit<Applicant, 'requestedFte' | 'contingentFte' | 'fillRate'> & Record<string, unknown>
      > = await em.query(
        `SELECT a.id::text AS "applicationId", a.kbo, o.province_code AS "provinceCode", a.requested_fte::float AS "requestedFte",
                  coalesce((SELECT sum(c.fte) FROM ${S}.contingent c WHERE c.kbo = a.kbo AND c.valid_from <= $2::date
                              AND (c.valid_to IS NULL OR c.valid_to >= $2::date)), 0)::float AS "contingentFte",
                  (SELECT CASE WHEN sum(s.contingent_fte) > 0 THEN (sum(s.filled_fte) / sum(s.contingent_fte))::float END
                     FROM ${S}.settlement s WHERE s.kbo = a.kbo
                      AND s.quarter BETWEEN coalesce($3::date, date_trunc('year', $2::date - 365)::date)
                                        AND coalesce($4::date, date_trunc('year', $2::date)::date - 1)) AS "fillRate",
                  o.merged_on IS NOT NULL AS merged
             FROM ${S}.growth_path_application a JOIN ${S}.sector_organisation o ON o.kbo = a.kbo
            WHERE a.call_id = $1 ORDER BY a.id`,
        [call.id, call.deadline, call.referenceFrom, call.referenceTo],
      );
      const allocations = distribute(
        {
          ruleSet: call.ruleSet,
          budgetFte: Number(call.budgetFte),
          unitFte: Number(call.unitFte),
          minFillRate: call.minFillRate,
          provinceWeights: new Map(weights.map((w) => [w.provinceCode, Number(w.weight)])),
        },
        applicants as unknown as Applicant[],
      );
      if (allocations.length > 0) {
        await em.query(
          `INSERT INTO ${S}.growth_path_allocation (application_id, call_id, fte, rule, explanation)
           SELECT a, $1, f, r, e FROM unnest($2::bigint[], $3::numeric[], $4::text[], $5::text[]) AS t (a, f, r, e)`,
          [
            call.id,
            allocations.map((a) => a.applicationId),
            allocations.map((a) => a.fte),
            allocations.map((a) => a.rule),
            allocations.map((a) => a.explanation),
          ],
        );
        const given = allocations.filter((a) => a.fte > 0);
        await em.query(
          `INSERT INTO ${S}.contingent (kbo, measure_code, fte, valid_from, reason, allocation_id)
           SELECT k, $1, f, $2::date, 'GROWTH_PATH', a FROM unnest($3::text[], $4::numeric[], $5::bigint[]) AS t (k, f, a)`,
          [
            call.measureCode,
            call.effectiveFrom,
            given.map((a) => a.kbo),
            given.map((a) => a.fte),
            given.map((a) => a.applicationId),
          ],
        );
      }
      await em.query(`UPDATE ${S}.growth_path_call SET status = 'DISTRIBUTED', distributed_at = now() WHERE id = $1`, [
        call.id,
      ]);
    });
  }

  private async lockCall(em: EntityManager, id: string): Promise<CallRecord> {
    const [call] = await em.query(
      `SELECT ${CALL_COLUMNS} FROM ${S}.growth_path_call c WHERE c.id = $1 FOR UPDATE OF c`,
      [id],
    );
    if (!call) throw notFound('Growth-path call', 'id', id);
    return call;
  }
}
