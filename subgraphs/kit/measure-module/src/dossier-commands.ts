import type { DataSource, EntityManager } from 'typeorm';
import { badInput, DomainError, notFound } from '@measure-graph/errors';
import { isValidInsz, isValidKbo, normaliseDigits } from '@measure-graph/subgraph-platform/identifiers';
import { requireParties, type PartyDirectory } from '@measure-graph/subgraph-platform';
import { DossierStore } from './dossier-store.ts';
import { runIdempotent } from './idempotency.ts';
import { EVENT_COPIED_COLUMNS } from './migrations.ts';
import { EVENT_OF_ACTION, transition, type DossierAction, type DossierStatus } from './lifecycle.ts';
import { checkIdempotencyKey, parseAmountCents, parseLocalTime, parsePeriod } from './validation.ts';

export interface SubmitDossierInput {
  measureCode: string;
  kind: string;
  channel: 'ONLINE' | 'PAPER';
  applicantKbo?: string | null;
  applicantPersonId?: string | null;
  /** The applying person's national number (INSZ), instead of the registry id. */
  applicantInsz?: string | null;
  receivedAt: string;
  idempotencyKey: string;
}

export interface DossierStepInput {
  dossierId: string;
  at: string;
  idempotencyKey: string;
}

export interface RegisterPaymentInput {
  dossierId: string;
  kind: string;
  instalment?: number | null;
  period: string;
  requestedAt: string;
  paidAt: string;
  amount: string;
  idempotencyKey: string;
}

export const PAYMENT_KINDS = ['ADVANCE', 'BALANCE', 'FIRST_INSTALMENT', 'SECOND_INSTALMENT', 'PAYMENT'];

/**
 * The dossier mutations of one domain. Each runs in one transaction that locks the dossier, checks
 * the lifecycle, writes the event (or payment) and records the idempotency key with a hash of the
 * request: a retry returns the first outcome, a different request with the same key is a CONFLICT.
 */
export class DossierCommands {
  readonly store: DossierStore;

  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
    /** Prefix of this domain's dossier ids, e.g. ACT. */
    readonly idPrefix: string,
  ) {
    this.store = new DossierStore(ds, schema);
  }

  /** "ACT-123" -> "123"; NOT_FOUND for ids of another domain or malformed ones. */
  localId(dossierId: string): string {
    const m = new RegExp(`^${this.idPrefix}-(\\d{1,15})$`).exec(dossierId);
    if (!m) throw notFound('Dossier', 'id', dossierId);
    return m[1]!;
  }

  globalId = (localId: string): string => `${this.idPrefix}-${localId}`;

  /**
   * Submits a dossier. The applicant is checked in the registry (`parties`) at the time of the
   * command, after the local checks and before the transaction (no transaction waits on the
   * registry): an unknown organisation or person is NOT_FOUND, a registry that does not answer
   * REGISTRY_UNAVAILABLE, and nothing is written either way.
   */
  async submit(input: SubmitDossierInput, parties: PartyDirectory): Promise<string> {
    const key = checkIdempotencyKey(input.idempotencyKey);
    const receivedAt = parseLocalTime(input.receivedAt, 'receivedAt');
    const given = (['applicantKbo', 'applicantPersonId', 'applicantInsz'] as const).filter((f) => Boolean(input[f]));
    if (given.length !== 1) {
      throw badInput('Give exactly one applicant: applicantKbo, applicantPersonId or applicantInsz', 'applicantKbo');
    }
    let kbo: string | null = null;
    let personId: string | null = null;
    let insz: string | null = null;
    if (given[0] === 'applicantKbo') {
      if (!isValidKbo(input.applicantKbo!)) {
        throw badInput(
          `"${input.applicantKbo}" is not a valid KBO number (10 digits with a mod-97 check)`,
          'applicantKbo',
        );
      }
      kbo = normaliseDigits(input.applicantKbo!);
    } else if (given[0] === 'applicantInsz') {
      // The number itself is personal data: errors never repeat it.
      if (!isValidInsz(input.applicantInsz!)) {
        throw badInput('applicantInsz is not a valid national number (11 digits with a mod-97 check)', 'applicantInsz');
      }
      insz = normaliseDigits(input.applicantInsz!);
    } else if (!/^[\w-]{1,64}$/.test(input.applicantPersonId!)) {
      throw badInput('applicantPersonId is not a registry person id', 'applicantPersonId');
    } else {
      personId = input.applicantPersonId!;
    }
    const kinds = (await this.store.kindsOf([input.measureCode])).get(input.measureCode);
    if (!kinds) throw notFound(`Measure of the ${this.schema} domain`, 'measureCode', input.measureCode);
    if (!kinds.includes(input.kind)) {
      throw badInput(`kind must be one of ${kinds.join(', ')} for ${input.measureCode}, got "${input.kind}"`, 'kind');
    }
    if (insz !== null) {
      // Resolving a national number is a personal-data access, logged by the registry.
      personId = await parties.resolveInsz(insz, `dossier submission (${this.schema.replace(/_/g, '-')})`);
      if (!personId) {
        throw new DomainError('NOT_FOUND', 'No person with this national number', { field: 'applicantInsz' });
      }
    } else if (kbo !== null) {
      await requireParties(parties, [{ kind: 'organisation', id: kbo, field: 'applicantKbo' }]);
    } else {
      await requireParties(parties, [{ kind: 'person', id: personId!, field: 'applicantPersonId' }]);
    }
    return this.idempotent(key, 'submitDossier', input, async (em) => {
      const [{ id }] = await em.query(
        `INSERT INTO "${this.schema}".dossier (measure_code, kind, channel, applicant_kbo, applicant_person_id, status,
                                               received_at, reference_date)
         VALUES ($1, $2, $3, $4, $5, 'RECEIVED', $6::timestamp, $6::timestamp::date) RETURNING id::text`,
        [input.measureCode, input.kind, input.channel, kbo, personId, receivedAt],
      );
      await this.recordEvent(em, id, 'RECEIVED', receivedAt);
      return id as string;
    });
  }

  /** Declares admissibility or decides: one lifecycle step with its event. */
  async step(operation: string, input: DossierStepInput, action: DossierAction): Promise<string> {
    const key = checkIdempotencyKey(input.idempotencyKey);
    const id = this.localId(input.dossierId);
    const at = parseLocalTime(input.at, 'at');
    return this.idempotent(key, operation, input, async (em) => {
      const dossier = await this.lock(em, id, input.dossierId);
      const status = transition(dossier.status, action);
      // Permits and cards are decided on a complete file only (WSE time runs from it).
      if ((action === 'GRANT' || action === 'REFUSE') && dossier.requiresCompleteFile && dossier.completedAt === null) {
        throw new DomainError('CONFLICT', 'The file is not complete: record completeFile before the decision', {
          field: 'dossierId',
        });
      }
      if (at < dossier.lastEventAt)
        throw badInput(`at must not be before the dossier's last event (${dossier.lastEventAt})`, 'at');
      await this.recordEvent(em, id, EVENT_OF_ACTION[action], at);
      await em.query(`UPDATE "${this.schema}".dossier SET status = $2 WHERE id = $1`, [id, status]);
      return id;
    });
  }

  /** Records that the file is complete (start of WSE time): once, before the decision. */
  async completeFile(input: DossierStepInput): Promise<string> {
    const key = checkIdempotencyKey(input.idempotencyKey);
    const id = this.localId(input.dossierId);
    const at = parseLocalTime(input.at, 'at');
    return this.idempotent(key, 'completeFile', input, async (em) => {
      const dossier = await this.lock(em, id, input.dossierId);
      if (dossier.completedAt !== null) {
        throw new DomainError('CONFLICT', `The file was already complete on ${dossier.completedAt}`, {
          field: 'dossierId',
        });
      }
      if (!['RECEIVED', 'ADMISSIBLE'].includes(dossier.status)) {
        throw new DomainError('CONFLICT', `A dossier that is ${dossier.status} is closed to completion`, {
          field: 'dossierId',
        });
      }
      if (at < dossier.lastEventAt)
        throw badInput(`at must not be before the dossier's last event (${dossier.lastEventAt})`, 'at');
      await em.query(`UPDATE "${this.schema}".dossier SET completed_at = $2 WHERE id = $1`, [id, at]);
      await this.recordEvent(em, id, 'FILE_COMPLETED', at);
      return id;
    });
  }

  async registerPayment(input: RegisterPaymentInput): Promise<string> {
    const key = checkIdempotencyKey(input.idempotencyKey);
    const id = this.localId(input.dossierId);
    if (!PAYMENT_KINDS.includes(input.kind)) throw badInput(`kind must be one of ${PAYMENT_KINDS.join(', ')}`, 'kind');
    const instalment = input.instalment ?? 1;
    if (!Number.isInteger(instalment) || instalment < 1 || instalment > 99) {
      throw badInput('instalment must be a whole number from 1 to 99', 'instalment');
    }
    const period = parsePeriod(input.period);
    const requestedAt = parseLocalTime(input.requestedAt, 'requestedAt');
    const paidAt = parseLocalTime(input.paidAt, 'paidAt');
    if (paidAt < requestedAt) throw badInput('paidAt must not be before requestedAt', 'paidAt');
    const cents = parseAmountCents(input.amount);
    return this.idempotent(key, 'registerPayment', input, async (em) => {
      const dossier = await this.lock(em, id, input.dossierId);
      transition(dossier.status, 'PAY');
      if (requestedAt < dossier.decidedAt!) {
        throw badInput(`requestedAt must not be before the dossier was granted (${dossier.decidedAt})`, 'requestedAt');
      }
      const [{ paymentId }] = await em.query(
        `INSERT INTO "${this.schema}".payment (dossier_id, kind, instalment, period, requested_at, paid_at, amount_cents,
                                               measure_code, channel)
         SELECT $1, $2, $3, $4, $5, $6, $7, d.measure_code, d.channel FROM "${this.schema}".dossier d WHERE d.id = $1
         RETURNING id::text AS "paymentId"`,
        [id, input.kind, instalment, period, requestedAt, paidAt, cents.toString()],
      );
      return paymentId as string;
    });
  }

  /** Writes one lifecycle event; the event carries what norms read of its dossier (see the migrations). */
  private async recordEvent(em: EntityManager, dossierId: string, type: string, at: string): Promise<void> {
    await em.query(
      `INSERT INTO "${this.schema}".dossier_event (dossier_id, type, occurred_at, ${EVENT_COPIED_COLUMNS})
       SELECT d.id, $2, $3, ${EVENT_COPIED_COLUMNS} FROM "${this.schema}".dossier d WHERE d.id = $1`,
      [dossierId, type, at],
    );
  }

  private async lock(em: EntityManager, id: string, dossierId: string) {
    const rows: Array<{
      status: DossierStatus;
      lastEventAt: string;
      decidedAt: string | null;
      completedAt: string | null;
      receivedAt: string;
      requiresCompleteFile: boolean;
    }> = await em.query(
      `SELECT d.status, to_char(d.completed_at, 'YYYY-MM-DD HH24:MI:SS') AS "completedAt",
              to_char(d.received_at, 'YYYY-MM-DD HH24:MI:SS') AS "receivedAt",
              (SELECT m.requires_complete_file FROM "${this.schema}".measure_module m WHERE m.code = d.measure_code)
                AS "requiresCompleteFile",
              to_char((SELECT max(occurred_at) FROM "${this.schema}".dossier_event e WHERE e.dossier_id = d.id), 'YYYY-MM-DD HH24:MI:SS') AS "lastEventAt",
              to_char((SELECT max(occurred_at) FROM "${this.schema}".dossier_event e
                        WHERE e.dossier_id = d.id AND e.type = 'GRANTED'), 'YYYY-MM-DD HH24:MI:SS') AS "decidedAt"
         FROM "${this.schema}".dossier d WHERE d.id = $1 FOR UPDATE`,
      [id],
    );
    if (rows.length === 0) throw notFound('Dossier', 'id', dossierId);
    return rows[0]!;
  }

  private idempotent(key: string, operation: string, request: object, work: (em: EntityManager) => Promise<string>) {
    return runIdempotent(this.ds, this.schema, key, operation, request, work);
  }
}
