import { badInput, DomainError, notFound } from '@measure-graph/errors';
import { checkIdempotencyKey, parseLocalTime } from '@measure-graph/measure-module';
import type { DataSource } from 'typeorm';
import { dossierLocalId, idempotent } from '../appeals/command-support.ts';
import type { FEDERAL_DECISIONS } from './rules.ts';
import { checkFederalReference, isSinglePermit, PERMIT_MEASURE, SINGLE_PERMIT_KINDS } from './rules.ts';

const S = 'activation';

export { FEDERAL_DECISIONS, isSinglePermit, PERMIT_MEASURE, SINGLE_PERMIT_KINDS } from './rules.ts';

/**
 * Where a single permit is: FLEMISH_TREATMENT (received or admissible in Flanders),
 * ENDED_IN_FLANDERS (inadmissible, refused, cancelled or closed: nothing goes to the federal level),
 * FEDERAL_TREATMENT (granted by Flanders, awaiting the Immigration Office), GRANTED (both parts
 * granted), REFUSED_BY_FEDERAL (residence refused).
 */
export type CombinedProcedureStage =
  'FLEMISH_TREATMENT' | 'ENDED_IN_FLANDERS' | 'FEDERAL_TREATMENT' | 'GRANTED' | 'REFUSED_BY_FEDERAL';

export interface CombinedProcedureRecord {
  /** Local dossier number. */
  dossierId: string;
  measureCode: string;
  kind: string;
  status: string;
  /** GRANTED or REFUSED: the dossier's (latest) Flemish decision; null while undecided. */
  flemishDecision: string | null;
  flemishDecidedOn: string | null;
  sentToFederalOn: string | null;
  federalReference: string | null;
  federalDecision: (typeof FEDERAL_DECISIONS)[number] | null;
  federalDecidedOn: string | null;
  stage: CombinedProcedureStage;
}

interface Row extends Omit<CombinedProcedureRecord, 'stage'> {
  stored: boolean;
}

export interface RecordFederalDecisionInput {
  dossierId: string;
  decision: string;
  decidedOn: string;
  federalReference?: string | null;
  idempotencyKey: string;
}

/**
 * The procedure as the graph shows it. A permit Flanders granted went to the Immigration Office the
 * day of the decision; until its row is written (by the seed or by `recordFederalDecision`), the
 * federal decision is PENDING without a reference yet.
 */
function toRecord(row: Row): CombinedProcedureRecord {
  const sent = row.status === 'GRANTED';
  const federalDecision = row.stored ? row.federalDecision : sent ? 'PENDING' : null;
  const stage: CombinedProcedureStage = ['RECEIVED', 'ADMISSIBLE'].includes(row.status)
    ? 'FLEMISH_TREATMENT'
    : !sent
      ? 'ENDED_IN_FLANDERS'
      : federalDecision === 'GRANTED'
        ? 'GRANTED'
        : federalDecision === 'REFUSED'
          ? 'REFUSED_BY_FEDERAL'
          : 'FEDERAL_TREATMENT';
  const { stored: _stored, ...rest } = row;
  return {
    ...rest,
    sentToFederalOn: row.sentToFederalOn ?? (sent ? row.flemishDecidedOn : null),
    federalDecision,
    stage,
  };
}

/** The combined procedure of single permits with the federal level: the only place with its SQL. */
export class CombinedProcedureStore {
  constructor(private readonly ds: DataSource) {}

  /** The procedures of single-permit dossiers (other dossiers have none and are left out). */
  async ofDossiers(dossierIds: readonly string[]): Promise<CombinedProcedureRecord[]> {
    const rows: Row[] = await this.ds.query(
      `SELECT d.id::text AS "dossierId", d.measure_code AS "measureCode", d.kind, d.status,
              dec.type AS "flemishDecision", to_char(dec.occurred_at, 'YYYY-MM-DD') AS "flemishDecidedOn",
              c.dossier_id IS NOT NULL AS stored, to_char(c.sent_on, 'YYYY-MM-DD') AS "sentToFederalOn",
              c.federal_reference AS "federalReference", c.federal_decision AS "federalDecision",
              to_char(c.federal_decided_on, 'YYYY-MM-DD') AS "federalDecidedOn"
         FROM ${S}.dossier d
         LEFT JOIN LATERAL (SELECT e.type, e.occurred_at FROM ${S}.dossier_event e
                             WHERE e.dossier_id = d.id AND e.type IN ('GRANTED', 'REFUSED')
                             ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) dec ON true
         LEFT JOIN ${S}.combined_procedure c ON c.dossier_id = d.id
        WHERE d.id = ANY ($1::bigint[]) AND d.measure_code = $2 AND d.kind = ANY ($3::text[])`,
      [dossierIds, PERMIT_MEASURE, SINGLE_PERMIT_KINDS],
    );
    return rows.map(toRecord);
  }

  /**
   * Records the Immigration Office's decision on a single permit Flanders granted: once, not before
   * the Flemish decision, with the federal reference (given now or known already); one
   * transaction, idempotent per key. Returns the dossier's number.
   */
  async recordFederalDecision(input: RecordFederalDecisionInput): Promise<string> {
    const key = checkIdempotencyKey(input.idempotencyKey);
    const id = dossierLocalId(input.dossierId);
    if (input.decision !== 'GRANTED' && input.decision !== 'REFUSED') {
      throw badInput(`decision must be GRANTED or REFUSED, got "${input.decision}"`, 'decision');
    }
    const decidedOn = parseLocalTime(input.decidedOn, 'decidedOn').slice(0, 10);
    const reference = checkFederalReference(input.federalReference);
    return idempotent(this.ds, key, 'recordFederalDecision', { ...input, federalReference: reference }, async (em) => {
      // Locked first, read after: the read then sees what a command that held the lock committed.
      await em.query(`SELECT id FROM ${S}.dossier WHERE id = $1 FOR UPDATE`, [id]);
      const [dossier] = await em.query(
        `SELECT d.measure_code AS "measureCode", d.kind, d.status,
                to_char((SELECT max(e.occurred_at) FROM ${S}.dossier_event e WHERE e.dossier_id = d.id AND e.type = 'GRANTED'),
                        'YYYY-MM-DD') AS "grantedOn"
           FROM ${S}.dossier d WHERE d.id = $1`,
        [id],
      );
      if (!dossier) throw notFound('Dossier', 'dossierId', input.dossierId);
      if (!isSinglePermit(dossier)) {
        throw new DomainError(
          'CONFLICT',
          `Only single permits (${PERMIT_MEASURE} ${SINGLE_PERMIT_KINDS.join(' or ')}) go to the federal level`,
          { field: 'dossierId' },
        );
      }
      if (dossier.status !== 'GRANTED') {
        throw new DomainError(
          'CONFLICT',
          `The federal level decides only after Flanders granted the permit; this dossier is ${dossier.status}`,
          { field: 'dossierId' },
        );
      }
      const [procedure] = await em.query(
        `SELECT federal_decision AS decision, federal_reference AS reference, to_char(sent_on, 'YYYY-MM-DD') AS "sentOn"
           FROM ${S}.combined_procedure WHERE dossier_id = $1`,
        [id],
      );
      if (procedure && procedure.decision !== 'PENDING') {
        throw new DomainError('CONFLICT', `The federal level already decided (${procedure.decision})`, {
          field: 'dossierId',
        });
      }
      const sentOn: string = procedure?.sentOn ?? dossier.grantedOn;
      if (decidedOn < dossier.grantedOn || decidedOn < sentOn) {
        throw badInput(
          `decidedOn must not be before the Flemish decision (${dossier.grantedOn}) and the sending (${sentOn})`,
          'decidedOn',
        );
      }
      if (procedure?.reference && reference && procedure.reference !== reference) {
        throw badInput(`federalReference differs from the procedure's (${procedure.reference})`, 'federalReference');
      }
      const federalReference = procedure?.reference ?? reference;
      if (!federalReference)
        throw badInput('federalReference is required: the procedure has none yet', 'federalReference');
      const [taken] = await em.query(
        `SELECT dossier_id::text AS "dossierId" FROM ${S}.combined_procedure WHERE federal_reference = $1 AND dossier_id <> $2`,
        [federalReference, id],
      );
      if (taken) {
        throw new DomainError('CONFLICT', 'federalReference belongs to the procedure of another dossier', {
          field: 'federalReference',
        });
      }
      await em.query(
        `INSERT INTO ${S}.combined_procedure (dossier_id, sent_on, federal_reference, federal_decision, federal_decided_on)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (dossier_id) DO UPDATE SET federal_reference = EXCLUDED.federal_reference,
           federal_decision = EXCLUDED.federal_decision, federal_decided_on = EXCLUDED.federal_decided_on`,
        [id, sentOn, federalReference, input.decision, decidedOn],
      );
      return id;
    });
  }
}
