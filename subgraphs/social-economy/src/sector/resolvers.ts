import { badInput } from '@measure-graph/errors';
import { assertScope, hasScope, SCOPES } from '@measure-graph/auth';
import type { SubgraphContext } from '@measure-graph/subgraph-platform';
import {
  decodeWatermark,
  dossierTimeline,
  type DomainLoaders,
  type TimelineEventRecord,
} from '@measure-graph/measure-module';
import { pageSize } from '@measure-graph/subgraph-platform';
import type { SectorLoaders } from './loaders.ts';
import { parseQuarter, quarterLabel } from './rules.ts';
import type { EmploymentRecord, SectorOrganisationRecord, SettlementRecord, TrajectoryRecord } from './store.ts';
import type { Resolvers } from '../generated/resolvers.ts';

type Ctx = SubgraphContext<DomainLoaders<SectorLoaders>>;

const PROVINCES = ['ANT', 'LIM', 'OVL', 'VBR', 'WVL'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const quarterArg = (value: string, field: string): string => {
  const start = parseQuarter(value);
  if (!start) throw badInput(`${field} must be a quarter like 2017-Q4, got "${value}"`, field);
  return start;
};
const dayArg = (value: string, field: string): string => {
  if (!DAY.test(value) || Number.isNaN(Date.parse(value))) throw badInput(`${field} must be a date YYYY-MM-DD`, field);
  return value;
};
const hundredths = (fte: string) => Math.round(Number(fte) * 100);
const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const organisationRef = (kboNumber: string) => ({ kboNumber });

/** The sum of the contingent rows of an organisation valid on a day, exact to the hundredth. */
async function contingentOn(kbo: string, day: string, loaders: SectorLoaders): Promise<string> {
  const rows = await loaders.contingents.load(kbo);
  const total = rows
    .filter((r) => r.validFrom <= day && (r.validTo === null || r.validTo >= day))
    .reduce((a, r) => a + hundredths(r.fte), 0);
  return (total / 100).toFixed(2);
}

const settlementOut = (s: SettlementRecord) => ({
  ...s,
  quarter: quarterLabel(s.quarter),
  occupancyRate: share(Number(s.filledFte), Number(s.contingentFte)),
});

const employmentOut = (e: EmploymentRecord) => ({
  ...e,
  person: { id: e.personId },
  employer: organisationRef(e.kbo),
});

const trajectoryOut = (t: TrajectoryRecord) => ({
  ...t,
  person: { id: t.personId },
  employer: organisationRef(t.employerKbo),
  regularEmployer: t.regularEmployerKbo ? organisationRef(t.regularEmployerKbo) : null,
});

/** The rules an LDE initiative is checked against (minimum 5 FTE; 90% yearly occupancy or an action plan). */
async function ldeCompliance(org: SectorOrganisationRecord, year: number, loaders: SectorLoaders) {
  if (org.sector !== 'LDE') return null;
  const [settlements, plans, contingent] = await Promise.all([
    loaders.settlements.load(org.kbo),
    loaders.actionPlans.load(org.kbo),
    contingentOn(org.kbo, `${year}-12-31`, loaders),
  ]);
  const ofYear = settlements.filter((s) => s.quarter.startsWith(`${year}-`));
  const occupancy = share(
    ofYear.reduce((a, s) => a + hundredths(s.filledFte), 0),
    ofYear.reduce((a, s) => a + hundredths(s.contingentFte), 0),
  );
  const minimumFteMet = Number(contingent) >= 5;
  const occupancyMet = occupancy === null ? null : occupancy >= 0.9;
  const plan = plans.find((p) => p.year === year);
  return {
    year,
    contingentFte: contingent,
    minimumFteMet,
    yearlyOccupancyRate: occupancy,
    occupancyMet,
    actionPlanSubmittedOn: plan?.submittedOn ?? null,
    status: !minimumFteMet ? 'NOT_COMPLIANT' : occupancyMet ? 'COMPLIANT' : plan ? 'ACTION_PLAN' : 'NOT_COMPLIANT',
    // Both conditions were postponed up to and including 2020 (report 2020, COVID-19).
    enforced: year > 2020,
  };
}

const DOMAIN = 'SOCIAL_ECONOMY';
const event = (at: string, type: string, reference: string, summary: string, measureCode: string | null = null) =>
  ({ at, domain: DOMAIN, type, measureCode, reference, summary }) satisfies TimelineEventRecord;
const byTime = (a: TimelineEventRecord, b: TimelineEventRecord) => a.at.localeCompare(b.at);

function trajectoryEvents(t: TrajectoryRecord): TimelineEventRecord[] {
  const ref = `trajectory:${t.id}`;
  return [
    t.referredOn &&
      event(t.referredOn, 'TRAJECTORY_REFERRED', ref, `referred by VDAB to a transition trajectory (ESF ${t.esfCall})`),
    t.startedOn && event(t.startedOn, 'TRAJECTORY_STARTED', ref, `transition trajectory started (ESF ${t.esfCall})`),
    t.endedOn &&
      event(
        t.endedOn,
        'TRAJECTORY_ENDED',
        ref,
        `transition trajectory ended: ${(t.outcome ?? 'not reported').toLowerCase()}`,
      ),
  ].filter((e): e is TimelineEventRecord => Boolean(e));
}

type ChangesArgs = { changedAfter: string; first?: number | null };

export const sectorResolvers: Resolvers = {
  Query: {
    contingentChanges: (_: unknown, args: ChangesArgs, { loaders }: Ctx) =>
      loaders.domain.sector.changes(
        'contingent',
        decodeWatermark(args.changedAfter, 'changedAfter'),
        pageSize(args.first),
      ),
    settlementChanges: async (_: unknown, args: ChangesArgs, { loaders }: Ctx) => {
      const from = decodeWatermark(args.changedAfter, 'changedAfter');
      const page = await loaders.domain.sector.changes('settlement', from, pageSize(args.first));
      return { ...page, nodes: page.nodes.map(settlementOut) };
    },
    targetGroupEmploymentChanges: async (_: unknown, args: ChangesArgs, { loaders }: Ctx) => {
      const from = decodeWatermark(args.changedAfter, 'changedAfter');
      const page = await loaders.domain.sector.changes('target_group_employee', from, pageSize(args.first));
      return { ...page, nodes: page.nodes.map(employmentOut) };
    },
    transitionTrajectoryChanges: async (_: unknown, args: ChangesArgs, { loaders }: Ctx) => {
      const from = decodeWatermark(args.changedAfter, 'changedAfter');
      const page = await loaders.domain.sector.changes('transition_trajectory', from, pageSize(args.first));
      return { ...page, nodes: page.nodes.map(trajectoryOut) };
    },
    contingentTotals: async (_: unknown, { filter }: { filter: Record<string, unknown> }, { loaders }: Ctx) => {
      const quarter = quarterArg(filter.quarter as string, 'quarter');
      const asOf = filter.asOf ? dayArg(filter.asOf as string, 'asOf') : null;
      const measureCode = (filter.measureCode as string | null) ?? null;
      if (measureCode && !['MAATWERK', 'LDE'].includes(measureCode)) {
        throw badInput('measureCode must be MAATWERK or LDE (the measures with contingents)', 'measureCode');
      }
      const rows = await loaders.domain.sector.contingentTotals({
        quarter,
        sector: (filter.sector as string | null) ?? null,
        measureCode,
        perProvince: Boolean(filter.perProvince),
        asOf,
      });
      return rows.map((r) => ({
        ...r,
        quarter: quarterLabel(quarter),
        occupancyRate: share(Number(r.filledFte), Number(r.contingentFte)),
      }));
    },
    lastSettledQuarter: async (_: unknown, args: { sector: string; asOf: string }, { loaders }: Ctx) => {
      const quarter = await loaders.domain.sector.lastSettledQuarter(args.sector, dayArg(args.asOf, 'asOf'));
      return quarter ? quarterLabel(quarter) : null;
    },
    employmentTotals: async (_, args, { loaders }: Ctx) => ({
      year: args.year,
      sector: args.sector ?? null,
      measureCode: args.measureCode ?? null,
      persons: await loaders.domain.sector.employedPersons(args.year, args.sector ?? null, args.measureCode ?? null),
    }),
    sectorOrganisations: async (
      _: unknown,
      args: { sector: string; year?: number | null; occupancyBelow?: number | null },
      ctx: Ctx,
    ) => {
      // Filtering on occupancy reads every organisation's settlements: the contingents scope.
      if (args.occupancyBelow != null) assertScope(ctx, SCOPES.contingentsRead, 'sectorOrganisations(occupancyBelow)');
      const { loaders } = ctx;
      if (args.occupancyBelow != null && (args.year == null || args.occupancyBelow <= 0 || args.occupancyBelow > 1)) {
        throw badInput('occupancyBelow needs a year and must be a share between 0 and 1', 'occupancyBelow');
      }
      const kbos = await loaders.domain.sector.organisationsOf(
        args.sector,
        args.year ?? null,
        args.occupancyBelow ?? null,
      );
      return kbos.map((kboNumber) => ({ kboNumber }));
    },
    transitionCall: async (_: unknown, { call }: { call: number }, { loaders }: Ctx) => {
      if (call !== 380 && call !== 432) throw badInput('call must be an ESF transition call: 380 or 432', 'call');
      const rows = await loaders.domain.sector.transitionCall(call);
      const zero = { referrals: 0, started: 0, stopped: 0, succeeded: 0, failed: 0, withoutOutcome: 0 };
      const perProvince = PROVINCES.map((p) => ({
        ...zero,
        ...rows.find((r) => r.provinceCode === p),
        provinceCode: p,
      }));
      const total = { ...zero, provinceCode: null as string | null };
      for (const r of perProvince) for (const k of Object.keys(zero) as Array<keyof typeof zero>) total[k] += r[k];
      return { call, perProvince, total };
    },
  },
  Contingent: {
    organisation: (c: { kbo: string }) => organisationRef(c.kbo),
  },
  Settlement: {
    organisation: (c: { kbo: string }) => organisationRef(c.kbo),
  },
  Organisation: {
    __resolveReference: (ref: { kboNumber: string }) => ref,
    socialEconomy: ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) =>
      loaders.domain.organisation.load(kboNumber),
    contingents: async ({ kboNumber }: { kboNumber: string }, { at }: { at?: string | null }, { loaders }: Ctx) => {
      const rows = await loaders.domain.contingents.load(kboNumber);
      if (!at) return rows;
      const day = dayArg(at, 'at');
      return rows.filter((r) => r.validFrom <= day && (r.validTo === null || r.validTo >= day));
    },
    settlements: async (
      { kboNumber }: { kboNumber: string },
      args: { from?: string | null; to?: string | null },
      { loaders }: Ctx,
    ) => {
      const from = args.from ? quarterArg(args.from, 'from') : '0000-01-01';
      const to = args.to ? quarterArg(args.to, 'to') : '9999-12-31';
      return (await loaders.domain.settlements.load(kboNumber))
        .filter((s) => s.quarter >= from && s.quarter <= to)
        .map(settlementOut);
    },
    trajectories: async ({ kboNumber }: { kboNumber: string }, _: unknown, { loaders }: Ctx) =>
      (await loaders.domain.trajectoriesOfEmployer.load(kboNumber)).map(trajectoryOut),
    // Its dossiers' steps and its contingent changes (initial award, growth path, redistribution).
    // Contingent changes only for callers who may read contingents.
    socialEconomyTimelineEvents: async ({ kboNumber }: { kboNumber: string }, _: unknown, ctx: Ctx) => {
      const { loaders } = ctx;
      const [dossiers, contingents] = await Promise.all([
        dossierTimeline('ORGANISATION', kboNumber, DOMAIN, loaders),
        hasScope(ctx, SCOPES.contingentsRead) ? loaders.domain.contingents.load(kboNumber) : [],
      ]);
      const changes = contingents.map((c, i) =>
        event(
          c.validFrom,
          `CONTINGENT_${c.reason}`,
          `contingent:${kboNumber}:${i + 1}`,
          `contingent ${Number(c.fte) > 0 ? '+' : ''}${c.fte} FTE (${c.reason.toLowerCase().replace(/_/g, ' ')})`,
          c.measureCode,
        ),
      );
      return [...dossiers, ...changes].sort(byTime);
    },
  },
  Person: {
    __resolveReference: (ref: { id: string }) => ref,
    targetGroupEmployments: async ({ id }: { id: string }, _: unknown, { loaders }: Ctx) =>
      (await loaders.domain.employmentsOfPerson.load(id)).map(employmentOut),
    transitionTrajectories: async ({ id }: { id: string }, _: unknown, { loaders }: Ctx) =>
      (await loaders.domain.trajectoriesOfPerson.load(id)).map(trajectoryOut),
    // Dossiers' steps, employments as a target-group employee and transition trajectories.
    // Employments and trajectories only for callers who may read persons.
    socialEconomyTimelineEvents: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
      const { loaders } = ctx;
      const persons = hasScope(ctx, SCOPES.personsRead);
      const [dossiers, employments, trajectories] = await Promise.all([
        dossierTimeline('PERSON', id, DOMAIN, loaders),
        persons ? loaders.domain.employmentsOfPerson.load(id) : [],
        persons ? loaders.domain.trajectoriesOfPerson.load(id) : [],
      ]);
      const work = employments.flatMap((e) => [
        event(
          e.startedOn,
          'EMPLOYMENT_STARTED',
          `employment:${e.id}`,
          `started as target-group employee at ${e.kbo} (${e.supportPackage})`,
        ),
        ...(e.endedOn
          ? [event(e.endedOn, 'EMPLOYMENT_ENDED', `employment:${e.id}`, `employment at ${e.kbo} ended`)]
          : []),
      ]);
      return [...dossiers, ...work, ...trajectories.flatMap(trajectoryEvents)].sort(byTime);
    },
  },
  SectorProfile: {
    contingentOn: (org: SectorOrganisationRecord, { day }: { day: string }, { loaders }: Ctx) =>
      contingentOn(org.kbo, dayArg(day, 'day'), loaders.domain),
    ldeCompliance: (org: SectorOrganisationRecord, { year }: { year: number }, { loaders }: Ctx) =>
      ldeCompliance(org, year, loaders.domain),
    employeeCount: (org: SectorOrganisationRecord, { year }: { year: number }, { loaders }: Ctx) =>
      loaders.domain.employeeCount.load({ kbo: org.kbo, year }),
  },
};
