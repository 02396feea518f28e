import { hasScope, SCOPES } from '@measure-graph/auth';
import type { SubgraphContext } from '@measure-graph/subgraph-platform';
import { dossierTimeline, type DomainLoaders, type TimelineEventRecord } from '@measure-graph/measure-module';
import type { DualAgreementRecord, DualWorkplaceRecord } from '../dual-learning/store.ts';
import type { DualLearningLoaders } from '../dual-learning/resolvers.ts';
import type { CompetencesLoaders } from '../training/resolvers.ts';
import type { TrainingLeaveRecord } from '../training/store.ts';
import type { VoucherLoaders } from '../vouchers/resolvers.ts';
import type { TrainingVoucherRecord } from '../vouchers/store.ts';
import type { Resolvers } from '../generated/resolvers.ts';

/** The loaders of every part of the subgraph (see domainLoaders in subgraph.ts). */
type Loaders = DomainLoaders<CompetencesLoaders & { vouchers: VoucherLoaders; dualLearning: DualLearningLoaders }>;
type Ctx = SubgraphContext<Loaders>;

const DOMAIN = 'COMPETENCES';
const event = (at: string, type: string, reference: string, summary: string, measureCode: string | null = null) =>
  ({ at, domain: DOMAIN, type, measureCode, reference, summary }) satisfies TimelineEventRecord;
const byTime = (a: TimelineEventRecord, b: TimelineEventRecord) => a.at.localeCompare(b.at);
const present = <T>(value: T | null | false | ''): value is T => Boolean(value);

const leaveEvents = (l: TrainingLeaveRecord) =>
  [
    event(
      l.requestedOn,
      'TRAINING_LEAVE_REQUESTED',
      `leave:${l.id}`,
      `${l.scheme} requested for ${l.hours} hours (${l.schoolYear})`,
      l.scheme === 'VOV' ? 'VOV' : null,
    ),
    l.advancePaidOn &&
      event(l.advancePaidOn, 'TRAINING_LEAVE_ADVANCE_PAID', `leave:${l.id}`, `${l.scheme} advance paid`),
  ].filter(present);

const voucherEvents = (v: TrainingVoucherRecord) =>
  [
    event(
      v.issuedOn,
      'VOUCHER_ISSUED',
      `voucher:${v.id}`,
      `training voucher of EUR ${v.value} issued`,
      'OPLEIDINGSCHEQUES',
    ),
    v.usedOn && event(v.usedOn, 'VOUCHER_USED', `voucher:${v.id}`, 'training voucher used', 'OPLEIDINGSCHEQUES'),
    v.reimbursedOn &&
      event(
        v.reimbursedOn,
        'VOUCHER_REIMBURSED',
        `voucher:${v.id}`,
        'training voucher reimbursed',
        'OPLEIDINGSCHEQUES',
      ),
  ].filter(present);

const agreementEvents = (a: DualAgreementRecord) => [
  event(a.startsOn, 'DUAL_AGREEMENT_STARTED', `agreement:${a.id}`, 'dual-learning agreement started', 'REGIE_WERKPLEK'),
  event(a.endsOn, 'DUAL_AGREEMENT_ENDED', `agreement:${a.id}`, 'dual-learning agreement ends', 'REGIE_WERKPLEK'),
];

const workplaceEvents = (w: DualWorkplaceRecord) =>
  [
    event(
      w.appliedOn,
      'DUAL_WORKPLACE_APPLIED',
      `workplace:${w.id}`,
      `workplace recognition applied for at ${w.establishmentNumber}`,
      'REGIE_WERKPLEK',
    ),
    w.recognisedOn &&
      event(
        w.recognisedOn,
        'DUAL_WORKPLACE_RECOGNISED',
        `workplace:${w.id}`,
        `workplace ${w.establishmentNumber} recognised (${w.mentorCount} mentors)`,
        'REGIE_WERKPLEK',
      ),
  ].filter(present);

/**
 * What happened to a person or organisation in this domain: its dossiers' events (the kit's) and
 * the domain's own objects (training leave, vouchers, dual-learning agreements and workplaces), each
 * list one batched statement per request.
 */
export const competencesTimelineResolvers: Resolvers = {
  Person: {
    // Leave, vouchers and agreements are person data: only for callers who may read persons.
    competencesTimelineEvents: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
      const { loaders } = ctx;
      const persons = hasScope(ctx, SCOPES.personsRead);
      const [dossiers, leave, vouchers, agreements] = await Promise.all([
        dossierTimeline('PERSON', id, DOMAIN, loaders),
        persons ? loaders.domain.leaveOfPerson.load(id) : [],
        persons ? loaders.domain.vouchers.ofPerson.load(id) : [],
        persons ? loaders.domain.dualLearning.agreementsOfPerson.load(id) : [],
      ]);
      return [
        ...dossiers,
        ...leave.flatMap(leaveEvents),
        ...vouchers.flatMap(voucherEvents),
        ...agreements.flatMap(agreementEvents),
      ].sort(byTime);
    },
  },
  Organisation: {
    competencesTimelineEvents: async ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) => {
      const [dossiers, workplaces] = await Promise.all([
        dossierTimeline('ORGANISATION', kboNumber, DOMAIN, loaders),
        loaders.domain.dualLearning.workplacesOfEnterprise.load(kboNumber),
      ]);
      return [...dossiers, ...workplaces.flatMap(workplaceEvents)].sort(byTime);
    },
  },
};
