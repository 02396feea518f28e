import { UPDATED_AT, changedRecords, type ChangeWatermark } from '@measure-graph/measure-module';
import { badInput, DomainError, notFound } from '@measure-graph/errors';
import { requireParties, type PartyDirectory } from '@measure-graph/subgraph-platform';
import type { DataSource } from 'typeorm';
import { checkIdempotencyKey, idempotent, parseDay } from '../vouchers/commands.ts';
import { isRecognisedOn, schoolYearRange } from './rules.ts';

const S = 'competences';
const date = (column: string, as: string) => `to_char(${column}, 'YYYY-MM-DD') AS "${as}"`;

export interface DualWorkplaceRecord {
  id: string;
  enterpriseKbo: string;
  establishmentNumber: string;
  appliedOn: string;
  status: 'APPLIED' | 'RECOGNISED' | 'REFUSED';
  recognisedOn: string | null;
  validUntil: string | null;
  mentorCount: number;
}

export interface DualAgreementRecord {
  id: string;
  personId: string;
  workplaceId: string;
  startsOn: string;
  endsOn: string;
  registeredOn: string;
  /** When the row was last written (set by the database): ISO 8601 in UTC. */
  updatedAt: string;
}

export interface DualLearningFiguresRecord {
  schoolYear: string;
  from: string;
  to: string;
  recognitionApplicationsReceived: number;
  recognitionApplicationsApproved: number;
  enterprisesWithNewRecognition: number;
  establishmentsWithNewRecognition: number;
  mentorsOfNewRecognitions: number;
  newAgreements: number;
}

export interface RegisterDualAgreementInput {
  personId: string;
  workplaceId: string;
  startsOn: string;
  endsOn: string;
  registeredOn: string;
  idempotencyKey: string;
}

const WORKPLACE = `id::text, enterprise_kbo AS "enterpriseKbo", establishment_number AS "establishmentNumber",
  ${date('applied_on', 'appliedOn')}, status, ${date('recognised_on', 'recognisedOn')}, ${date('valid_until', 'validUntil')},
  cardinality(mentor_person_ids) AS "mentorCount"`;
const AGREEMENT = `id::text, person_id AS "personId", workplace_id::text AS "workplaceId", ${date('starts_on', 'startsOn')},
  ${date('ends_on', 'endsOn')}, ${date('registered_on', 'registeredOn')},
  ${UPDATED_AT('updated_at')} AS "updatedAt"`;

/** Dual-learning workplaces and agreements: the only place with their SQL. */
export class DualLearningStore {
  constructor(private readonly ds: DataSource) {}

  async workplacesOfEnterprises(kbos: readonly string[]): Promise<DualWorkplaceRecord[]> {
    return this.ds.query(
      `SELECT ${WORKPLACE} FROM ${S}.dual_workplace WHERE enterprise_kbo = ANY ($1::text[]) ORDER BY applied_on, id`,
      [kbos],
    );
  }

  async workplacesByIds(ids: readonly string[]): Promise<DualWorkplaceRecord[]> {
    return this.ds.query(`SELECT ${WORKPLACE} FROM ${S}.dual_workplace WHERE id = ANY ($1::bigint[])`, [ids]);
  }

  async agreementsOfPersons(ids: readonly string[]): Promise<DualAgreementRecord[]> {
    return this.ds.query(
      `SELECT ${AGREEMENT} FROM ${S}.dual_agreement WHERE person_id = ANY ($1::text[]) ORDER BY starts_on, id`,
      [ids],
    );
  }

  /** Dual agreements written or removed after a watermark, in change order (docs/bi.md, "Incremental refresh"). */
  agreementChanges(from: ChangeWatermark, first: number) {
    return changedRecords(this.ds, S, 'dual_agreement', from, first, (ids) => this.agreementsByIds(ids));
  }

  async agreementsByIds(ids: readonly string[]): Promise<DualAgreementRecord[]> {
    return this.ds.query(`SELECT ${AGREEMENT} FROM ${S}.dual_agreement WHERE id = ANY ($1::bigint[])`, [ids]);
  }

  /**
   * The card's rows for a school year, from the objects: applications received and approved in it;
   * the enterprises, establishments and mentors of the recognitions granted in it (each once); the
   * agreements registered in it. One statement.
   */
  async figures(schoolYear: string): Promise<DualLearningFiguresRecord> {
    const { from, to } = schoolYearRange(schoolYear);
    const [row] = await this.ds.query(
      `WITH new_recognition AS (
         SELECT enterprise_kbo, establishment_number, mentor_person_ids FROM ${S}.dual_workplace
          WHERE recognised_on BETWEEN $1 AND $2)
       SELECT (SELECT count(*)::int FROM ${S}.dual_workplace WHERE applied_on BETWEEN $1 AND $2)
                AS "recognitionApplicationsReceived",
              (SELECT count(*)::int FROM new_recognition) AS "recognitionApplicationsApproved",
              (SELECT count(DISTINCT enterprise_kbo)::int FROM new_recognition) AS "enterprisesWithNewRecognition",
              (SELECT count(DISTINCT establishment_number)::int FROM new_recognition)
                AS "establishmentsWithNewRecognition",
              (SELECT count(DISTINCT m.id)::int FROM new_recognition, unnest(mentor_person_ids) AS m (id))
                AS "mentorsOfNewRecognitions",
              (SELECT count(*)::int FROM ${S}.dual_agreement WHERE registered_on BETWEEN $1 AND $2) AS "newAgreements"`,
      [from, to],
    );
    return { schoolYear, from, to, ...row };
  }

  /**
   * Registers an agreement of a learner at a workplace that is recognised on the agreement's first
   * day; the learner is checked in the registry before the transaction. One transaction,
   * idempotent per idempotencyKey.
   */
  async registerAgreement(input: RegisterDualAgreementInput, parties: PartyDirectory): Promise<string> {
    checkIdempotencyKey(input.idempotencyKey);
    if (!/^\d{1,15}$/.test(input.workplaceId)) throw notFound('DualWorkplace', 'workplaceId', input.workplaceId);
    const startsOn = parseDay(input.startsOn, 'startsOn');
    const endsOn = parseDay(input.endsOn, 'endsOn');
    const registeredOn = parseDay(input.registeredOn, 'registeredOn', { notFuture: true });
    if (endsOn <= startsOn) throw badInput('endsOn must be after startsOn', 'endsOn');
    await requireParties(parties, [{ kind: 'person', id: input.personId, field: 'personId' }]);
    return idempotent(this.ds, 'registerDualAgreement', input, async (em) => {
      // Locked so that the recognition cannot change under the registration.
      const [workplace]: DualWorkplaceRecord[] = await em.query(
        `SELECT ${WORKPLACE} FROM ${S}.dual_workplace WHERE id = $1 FOR UPDATE`,
        [input.workplaceId],
      );
      if (!workplace) throw notFound('DualWorkplace', 'workplaceId', input.workplaceId);
      if (!isRecognisedOn(workplace, startsOn)) {
        throw new DomainError(
          'CONFLICT',
          workplace.status === 'RECOGNISED'
            ? `The workplace is recognised from ${workplace.recognisedOn} to ${workplace.validUntil}`
            : `The workplace is not recognised (${workplace.status})`,
          { field: 'startsOn' },
        );
      }
      const [{ id }] = await em.query(
        `INSERT INTO ${S}.dual_agreement (person_id, workplace_id, starts_on, ends_on, registered_on)
         VALUES ($1, $2, $3, $4, $5) RETURNING id::text`,
        [input.personId, workplace.id, startsOn, endsOn, registeredOn],
      );
      return id as string;
    });
  }
}
