import { UPDATED_AT, changedRecords, type ChangeWatermark } from '@measure-graph/measure-module';
import { badInput, DomainError, notFound } from '@measure-graph/errors';
import { normaliseDigits, requireParties, type PartyDirectory } from '@measure-graph/subgraph-platform';
import { addMonths } from '@measure-graph/subgraph-platform/calendar';
import { parseDay } from './rules.ts';
import type { DataSource } from 'typeorm';
import { REQUEST_WITHIN_MONTHS, schoolYearOf, VOV_EUROS_PER_HOUR } from './rules.ts';

const S = 'competences';
const date = (column: string, as: string) => `to_char(${column}, 'YYYY-MM-DD') AS "${as}"`;

export interface CourseRecord {
  id: string;
  providerKbo: string;
  title: string;
  hours: number;
  recognisedOn: string;
  validUntil: string;
  dossierId: string;
}

export interface TrainingLeaveRecord {
  id: string;
  personId: string;
  employerKbo: string;
  scheme: string;
  courseId: string;
  schoolYear: string;
  courseStartedOn: string;
  requestedOn: string;
  hours: number;
  amount: string;
  advancePaidOn: string | null;
  /** When the row was last written (set by the database): ISO 8601 in UTC. */
  updatedAt: string;
}

export interface RequestTrainingLeaveInput {
  personId: string;
  employerKbo: string;
  courseId: string;
  scheme: string;
  courseStartedOn: string;
  requestedOn: string;
  hours: number;
}

const COURSE = `id::text, provider_kbo AS "providerKbo", title, hours, ${date('recognised_on', 'recognisedOn')},
  ${date('valid_until', 'validUntil')}, dossier_id::text AS "dossierId"`;
const LEAVE = `id::text, person_id AS "personId", employer_kbo AS "employerKbo", scheme, course_id::text AS "courseId",
  school_year AS "schoolYear", ${date('course_started_on', 'courseStartedOn')}, ${date('requested_on', 'requestedOn')}, hours,
  (amount_cents / 100.0)::numeric(12, 2)::text AS amount, ${date('advance_paid_on', 'advancePaidOn')},
  ${UPDATED_AT('updated_at')} AS "updatedAt"`;

/** A day of a request: a real calendar day, not in the future (BAD_USER_INPUT otherwise). */
const day = (value: string, field: string): string => parseDay(value, field, { notFuture: true });

/** Courses of the training database and training leave: the only place with their SQL. */
export interface LeaveFigures {
  schoolYear: string;
  employees: number;
  employers: number;
  requests: number;
  withAdvance: number;
}

export class TrainingStore {
  constructor(private readonly ds: DataSource) {}

  async coursesOfProviders(kbos: readonly string[]): Promise<CourseRecord[]> {
    return this.ds.query(
      `SELECT ${COURSE} FROM ${S}.course WHERE provider_kbo = ANY ($1::text[]) ORDER BY recognised_on, id`,
      [kbos],
    );
  }

  async coursesByIds(ids: readonly string[]): Promise<CourseRecord[]> {
    return this.ds.query(`SELECT ${COURSE} FROM ${S}.course WHERE id = ANY ($1::bigint[])`, [ids]);
  }

  async leaveOfPersons(ids: readonly string[]): Promise<TrainingLeaveRecord[]> {
    return this.ds.query(
      `SELECT ${LEAVE} FROM ${S}.training_leave WHERE person_id = ANY ($1::text[]) ORDER BY course_started_on, id`,
      [ids],
    );
  }

  /**
   * Records training leave of a person for a recognised course: the course must be recognised on
   * its start, the hours within the course's, and VOV requested within three months of the start.
   * The person and the employer are checked in the registry (one call) before the transaction.
   */
  async requestLeave(input: RequestTrainingLeaveInput, parties: PartyDirectory): Promise<string> {
    const employer = normaliseDigits(input.employerKbo);
    if (!['VOV', 'BEV'].includes(input.scheme)) throw badInput('scheme must be VOV or BEV', 'scheme');
    const start = day(input.courseStartedOn, 'courseStartedOn');
    const requested = day(input.requestedOn, 'requestedOn');
    if (!Number.isInteger(input.hours) || input.hours < 1)
      throw badInput('hours must be a whole number of at least 1', 'hours');
    if (!/^\d{1,15}$/.test(input.courseId)) throw notFound('Course', 'courseId', input.courseId);
    await requireParties(parties, [
      { kind: 'person', id: input.personId, field: 'personId' },
      { kind: 'organisation', id: employer, field: 'employerKbo' },
    ]);
    return this.ds.transaction(async (em) => {
      const [course] = await em.query(`SELECT ${COURSE} FROM ${S}.course WHERE id = $1`, [input.courseId]);
      if (!course) throw notFound('Course', 'courseId', input.courseId);
      if (start < course.recognisedOn || start > course.validUntil) {
        throw new DomainError(
          'CONFLICT',
          `The course is recognised from ${course.recognisedOn} to ${course.validUntil}`,
          {
            field: 'courseStartedOn',
          },
        );
      }
      if (input.hours > course.hours) throw badInput(`hours must not exceed the course's ${course.hours}`, 'hours');
      if (input.scheme === 'VOV' && requested > addMonths(start, REQUEST_WITHIN_MONTHS)) {
        throw new DomainError(
          'CONFLICT',
          `Training leave is requested within ${REQUEST_WITHIN_MONTHS} months of the start`,
          {
            field: 'requestedOn',
          },
        );
      }
      const [{ id }] = await em.query(
        `INSERT INTO ${S}.training_leave (person_id, employer_kbo, scheme, course_id, school_year, course_started_on, requested_on,
                                          hours, amount_cents)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text`,
        [
          input.personId,
          employer,
          input.scheme,
          input.courseId,
          schoolYearOf(start),
          start,
          requested,
          input.hours,
          input.hours * VOV_EUROS_PER_HOUR * 100,
        ],
      );
      return id as string;
    });
  }

  /** Unique employees and employers on leave in a school year, requests and requests with an advance. */
  async leaveFigures(schoolYear: string): Promise<LeaveFigures> {
    const [row] = await this.ds.query(
      `SELECT count(DISTINCT person_id)::int AS employees, count(DISTINCT employer_kbo)::int AS employers,
              count(*)::int AS requests, count(advance_paid_on)::int AS "withAdvance"
         FROM ${S}.training_leave WHERE school_year = $1`,
      [schoolYear],
    );
    return { schoolYear, ...row };
  }

  /** Training leave written or removed after a watermark, in change order (docs/bi.md, "Incremental refresh"). */
  leaveChanges(from: ChangeWatermark, first: number) {
    return changedRecords(this.ds, S, 'training_leave', from, first, (ids) => this.leaveByIds(ids));
  }

  async leaveByIds(ids: readonly string[]): Promise<TrainingLeaveRecord[]> {
    return this.ds.query(`SELECT ${LEAVE} FROM ${S}.training_leave WHERE id = ANY ($1::bigint[])`, [ids]);
  }
}
