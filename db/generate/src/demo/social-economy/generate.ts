import { readSeedFile } from '@measure-graph/db';
import { generatePersons, sectorOrganisations, showcaseEmployer, showcasePerson } from '../parties.ts';
import { Prng } from '../prng.ts';
import { addDays, addMonths } from '@measure-graph/subgraph-platform/calendar';
import {
  apportion,
  distribute,
  type Applicant,
  type CallRules,
  type RuleSet,
} from '@measure-graph/social-economy/growth-path/rules';
import { quarterEnd, quartersBetween } from '@measure-graph/social-economy/quarters';

/**
 * The social economy's own data, generated deterministically and calibrated to the published
 * figures (seeds 003, 004, 000 and the 2020 report): contingents and Q4 2017 fill exactly as the
 * minister answered, the 2018 growth path distributed by the rules as code, target-group
 * employees as counted in the report, transition trajectories per province as in the answer.
 */

type Sector = 'BW' | 'SW' | 'LDE';

interface Facts {
  contingents: Array<{
    abbr: string;
    period: string | null;
    totalContingentFte: number | null;
    filledFte: number | null;
  }>;
  growthPath2018: { items: Array<{ abbr: string; fte: number }> };
  esfTransitionCalls: Array<{
    call: number;
    perProvince: Array<{ province: string; started?: number; stopped?: number; referrals?: number }>;
  }>;
  report2020: {
    keyFigures: {
      maatwerkUniquePersonsEmployed: { value2019: number };
      ldeUniquePersonsEmployed: { value2019: number; value2020: number };
    };
    growthPathCollectiefMaatwerk: { placesApprox: number; requestedFte: number };
  };
}

export interface SeedRows {
  organisations: Array<{ kbo: string; sector: Sector; provinceCode: string; mergedOn: string | null }>;
  labels: Array<[string, string, string, string | null]>;
  contingents: Array<{
    kbo: string;
    measure: 'MAATWERK' | 'LDE';
    fte: number;
    from: string;
    reason: 'INITIAL' | 'GROWTH_PATH' | 'REDISTRIBUTION';
    application?: string;
  }>;
  settlements: Array<[string, string, number, number, number, number, string | null]>;
  actionPlans: Array<[string, number, string]>;
  employees: Array<[number, string, string, string, string | null, string, string | null, string | null]>;
  samples: Array<[number, number]>;
  calls: Array<{
    id: string;
    name: string;
    measure: 'MAATWERK' | 'LDE';
    sector: string;
    rules: CallRules;
    referenceFrom: string | null;
    referenceTo: string | null;
    deadline: string;
    effectiveFrom: string;
    distributed: boolean;
  }>;
  applications: Array<{ id: string; call: string; kbo: string; requestedFte: number; submittedOn: string }>;
  allocations: Array<{ application: string; call: string; fte: number; rule: string; explanation: string }>;
  trajectories: Array<[string, string, number, boolean, string | null, string | null, string | null, string | null]>;
}

// Potential target group per province, the first split of a growth path (fictitious, shaped like
// the provinces' populations): persons with a work disability for BW, non-working jobseekers
// (NWWZ) for SW, both for custom work since 2019.
const DISABILITY_WEIGHTS = new Map([
  ['ANT', 21_400],
  ['LIM', 11_900],
  ['OVL', 17_800],
  ['VBR', 11_200],
  ['WVL', 14_600],
]);
const JOBSEEKER_WEIGHTS = new Map([
  ['ANT', 74_300],
  ['LIM', 28_900],
  ['OVL', 45_600],
  ['VBR', 30_100],
  ['WVL', 26_400],
]);

const PROVINCE_CODES: Record<string, string> = {
  Antwerpen: 'ANT',
  Limburg: 'LIM',
  'Oost-Vlaanderen': 'OVL',
  'Vlaams-Brabant': 'VBR',
  'West-Vlaanderen': 'WVL',
};

const PACKAGES = ['WOP 40 Laag', 'WOP 40 Midden', 'WOP 50 Midden', 'WOP 60 Hoog', 'WOP 75 Hoog'];
const RATE_CENTS = { BW: 920_000, SW: 780_000, LDE: 690_000 } as const;

const cents = (fte: number) => Math.round(fte * 100);
const fte = (hundredths: number) => hundredths / 100;

/** Splits a total in hundredths of FTE exactly over weights. */
const splitHundredths = (total: number, weights: number[]) =>
  [
    ...apportion(
      cents(total),
      weights.map((w, i) => [i, w] as [number, number]),
    ).values(),
  ].map(fte);

/** Like splitHundredths, no share above its cap (the caps must hold the total). */
function splitCapped(total: number, weights: number[], caps: number[]): number[] {
  const out = weights.map(() => 0);
  let left = cents(total);
  let active = weights.map((_, i) => i);
  while (left > 0 && active.length > 0) {
    const parts = apportion(
      left,
      active.map((i) => [i, weights[i]!] as [number, number]),
    );
    left = 0;
    for (const [i, part] of parts) {
      const give = Math.min(cents(caps[i]!) - out[i]!, part);
      out[i]! += give;
      left += part - give;
    }
    active = active.filter((i) => out[i]! < cents(caps[i]!));
  }
  if (left > 0) throw new Error(`cannot split ${total} under the caps`);
  return out.map(fte);
}

export function generateSocialEconomy(): SeedRows {
  const facts = readSeedFile<Facts>('social-economy-facts.json');
  const prng = new Prng(4004);
  const rows: SeedRows = {
    organisations: [],
    labels: [],
    contingents: [],
    settlements: [],
    actionPlans: [],
    employees: [],
    samples: [],
    calls: [],
    applications: [],
    allocations: [],
    trajectories: [],
  };

  // Organisations of the sector: registry organisations in the five provinces.
  const sector = sectorOrganisations();
  const take = (code: Sector) =>
    sector[code].map((o) => ({
      kbo: o.kboNumber,
      sector: code,
      provinceCode: o.provinceCode,
      mergedOn: null as string | null,
    }));
  const bw = take('BW');
  const sw = take('SW');
  const lde = take('LDE');
  for (const o of lde.slice(0, 10)) o.mergedOn = `2017-0${prng.int(2, 9)}-01`;
  rows.organisations.push(...bw, ...sw, ...lde);
  for (const o of [...bw, ...sw]) {
    const since = `${prng.int(1982, 2012)}-${String(prng.int(1, 12)).padStart(2, '0')}-01`;
    rows.labels.push([o.kbo, o.sector === 'BW' ? 'BESCHUTTE_WERKPLAATS' : 'SOCIALE_WERKPLAATS', since, '2018-12-31']);
    // Custom work (maatwerk) since 1 January 2019; a few social workplaces became departments.
    rows.labels.push([
      o.kbo,
      o.sector === 'SW' && prng.next() < 0.1 ? 'MAATWERKAFDELING' : 'MAATWERKBEDRIJF',
      '2019-01-01',
      null,
    ]);
  }
  for (const o of lde) rows.labels.push([o.kbo, 'LDE_INITIATIEF', `${prng.int(2014, 2016)}-01-01`, null]);

  // Initial contingents, so that Q4 2017 totals are the minister's: BW 14507.3 FTE, SW 3969 FTE.
  const total = (abbr: string) => facts.contingents.find((c) => c.abbr === abbr)!;
  const initial = new Map<string, number>();
  splitHundredths(
    total('BW').totalContingentFte!,
    bw.map(() => 0.3 + prng.next() * 2.5),
  ).forEach((v, i) => initial.set(bw[i]!.kbo, v));
  [
    ...apportion(
      total('SW').totalContingentFte!,
      sw.map((o, i) => [i, 0.4 + prng.next() * 1.6] as [number, number]),
    ).values(),
  ].forEach((v, i) => initial.set(sw[i]!.kbo, v));
  // LDE: a quarter of the initiatives are small (under 5 FTE), the priority group of 2018.
  lde.forEach((o, i) => initial.set(o.kbo, i % 4 === 0 ? fte(prng.int(100, 490)) : fte(prng.int(500, 3500))));
  for (const o of rows.organisations) {
    rows.contingents.push({
      kbo: o.kbo,
      measure: o.sector === 'LDE' ? 'LDE' : 'MAATWERK',
      fte: initial.get(o.kbo)!,
      from: '2016-01-01',
      reason: 'INITIAL',
    });
  }
  const contingentOn = (kbo: string, day: string) =>
    rows.contingents.filter((c) => c.kbo === kbo && c.from <= day).reduce((a, c) => a + cents(c.fte), 0) / 100;

  // Each organisation fills its contingent at its own rate; BW and SW around the published rates.
  const baseRate = new Map<string, number>();
  for (const o of bw) baseRate.set(o.kbo, 0.915 + prng.next() * 0.085);
  for (const o of sw) baseRate.set(o.kbo, 0.93 + prng.next() * 0.07);
  for (const o of lde) baseRate.set(o.kbo, 0.84 + prng.next() * 0.16);
  const settle = (o: (typeof rows.organisations)[number], quarter: string, filledOverride?: number) => {
    const contingent = contingentOn(o.kbo, quarter);
    const rate = Math.min(1, baseRate.get(o.kbo)! + (prng.next() - 0.5) * 0.02);
    const filled = filledOverride ?? Math.min(contingent, fte(Math.round(cents(contingent) * rate)));
    const rateCents = RATE_CENTS[o.sector];
    const advances = Math.round(contingent * rateCents * 0.9);
    const balance = Math.round(filled * rateCents) - advances;
    // BW and SW quarters are settled about four months later; LDE settled its first quarter
    // (Q1 2017) only in July 2018 and caught up after that (seed 003, question 5).
    const due = addDays(quarterEnd(quarter), 120 + prng.int(0, 15));
    const settledOn =
      o.sector === 'LDE' && quarter < '2018-01-01'
        ? addDays('2018-07-16', quartersBetween('2017-01-01', quarter).length * 40 - 40)
        : due;
    rows.settlements.push([o.kbo, quarter, contingent, filled, advances, balance, settledOn]);
    return filled;
  };

  // Quarters up to Q1 2018, before the 2018 growth path; Q4 2017 filled exactly as published.
  for (const quarter of quartersBetween('2016-07-01', '2018-01-01')) {
    for (const group of [bw, sw]) {
      if (quarter !== '2017-10-01') {
        for (const o of group) settle(o, quarter);
        continue;
      }
      const target = total(group[0]!.sector).filledFte!;
      const caps = group.map((o) => contingentOn(o.kbo, quarter));
      const split = splitCapped(
        target,
        group.map((o, i) => caps[i]! * baseRate.get(o.kbo)!),
        caps,
      );
      group.forEach((o, i) => settle(o, quarter, split[i]!));
    }
  }
  for (const quarter of quartersBetween('2017-01-01', '2018-01-01')) for (const o of lde) settle(o, quarter);

  const fillRateOver = (kbo: string, from: string, to: string) => {
    const s = rows.settlements.filter((r) => r[0] === kbo && r[1] >= from && r[1] <= to);
    const c = s.reduce((a, r) => a + r[2], 0);
    return s.length === 0 || c === 0 ? null : s.reduce((a, r) => a + r[3], 0) / c;
  };

  // The 2018 growth path: 351 FTE for BW, 149 for SW (from 1 April), 155 for LDE (mid-June).
  const published = (abbr: string) => facts.growthPath2018.items.find((i) => i.abbr === abbr)!.fte;
  const call = (
    id: string,
    name: string,
    sector: string,
    measure: 'MAATWERK' | 'LDE',
    ruleSet: RuleSet,
    budgetFte: number,
    unitFte: number,
    weights: Map<string, number>,
    dates: { referenceFrom: string | null; referenceTo: string | null; deadline: string; effectiveFrom: string },
  ) => {
    const c = {
      id,
      name,
      measure,
      sector,
      rules: { ruleSet, budgetFte, unitFte, minFillRate: dates.referenceFrom ? 0.95 : null, provinceWeights: weights },
      ...dates,
      distributed: true,
    };
    rows.calls.push(c);
    return c;
  };
  const ref2018 = {
    referenceFrom: '2016-07-01',
    referenceTo: '2017-04-01',
    deadline: '2018-02-15',
    effectiveFrom: '2018-04-01',
  };
  const calls2018 = [
    call(
      'GP-2018-BW',
      'Groeipad 2018 beschutte werkplaatsen',
      'BW',
      'MAATWERK',
      'CAPACITY_SHARE',
      published('BW'),
      0.01,
      DISABILITY_WEIGHTS,
      ref2018,
    ),
    call(
      'GP-2018-SW',
      'Groeipad 2018 sociale werkplaatsen',
      'SW',
      'MAATWERK',
      'EQUAL_SPLIT',
      published('SW'),
      1,
      JOBSEEKER_WEIGHTS,
      ref2018,
    ),
    call(
      'GP-2018-LDE',
      'Groeipad 2018 lokale diensteneconomie',
      'LDE',
      'LDE',
      'LDE_PRIORITY',
      published('LDE'),
      1,
      JOBSEEKER_WEIGHTS,
      {
        referenceFrom: null,
        referenceTo: null,
        deadline: '2018-04-30',
        effectiveFrom: '2018-07-01',
      },
    ),
  ];
  let applicationId = 0;
  const apply = (c: (typeof rows.calls)[number], kbo: string, requestedFte: number) => {
    const id = String(++applicationId);
    rows.applications.push({ id, call: c.id, kbo, requestedFte, submittedOn: addDays(c.deadline, -prng.int(1, 40)) });
    return id;
  };
  const runCall = (c: (typeof rows.calls)[number], members: typeof bw) => {
    const applicants: Applicant[] = rows.applications
      .filter((a) => a.call === c.id)
      .map((a) => {
        const o = members.find((m) => m.kbo === a.kbo)!;
        return {
          applicationId: a.id,
          kbo: a.kbo,
          provinceCode: o.provinceCode,
          requestedFte: a.requestedFte,
          contingentFte: contingentOn(a.kbo, c.deadline),
          fillRate: c.referenceFrom
            ? fillRateOver(a.kbo, c.referenceFrom, c.referenceTo!)
            : fillRateOver(a.kbo, '2017-01-01', '2017-12-31'),
          merged: o.mergedOn !== null,
        };
      });
    for (const a of distribute(c.rules, applicants)) {
      rows.allocations.push({
        application: a.applicationId,
        call: c.id,
        fte: a.fte,
        rule: a.rule,
        explanation: a.explanation,
      });
      if (a.fte > 0) {
        rows.contingents.push({
          kbo: a.kbo,
          measure: c.measure,
          fte: a.fte,
          from: c.effectiveFrom,
          reason: 'GROWTH_PATH',
          application: a.applicationId,
        });
      }
    }
  };
  // Only workplaces that filled 95% or more over the reference period could apply (seed 003).
  const eligible2018 = (o: (typeof bw)[number]) =>
    (fillRateOver(o.kbo, ref2018.referenceFrom, ref2018.referenceTo) ?? 0) >= 0.95;
  for (const o of bw.filter(eligible2018))
    apply(calls2018[0]!, o.kbo, fte(Math.round(cents(initial.get(o.kbo)!) * (0.03 + prng.next() * 0.05))));
  for (const o of sw.filter(eligible2018)) apply(calls2018[1]!, o.kbo, prng.int(2, 6));
  for (const o of lde.filter((_, i) => i % 3 === 0)) apply(calls2018[2]!, o.kbo, prng.int(2, 8));
  runCall(calls2018[0]!, bw);
  runCall(calls2018[1]!, sw);
  runCall(calls2018[2]!, lde);

  // Quarters from Q2 2018 to Q4 2020, with the growth path and (from 1 October 2020) the
  // redistribution of contingent between custom-work companies (59 changes in 2020).
  const custom = [...bw, ...sw];
  const byFill = [...custom].sort((a, b) => baseRate.get(a.kbo)! - baseRate.get(b.kbo)!);
  const donors = byFill.slice(0, 25);
  const receivers = byFill.slice(-34);
  const given = donors.map((o) => fte(Math.round(cents(contingentOn(o.kbo, '2020-09-30')) * 0.03)));
  const pooled = given.reduce((a, b) => a + cents(b), 0) / 100;
  donors.forEach((o, i) =>
    rows.contingents.push({
      kbo: o.kbo,
      measure: 'MAATWERK',
      fte: -given[i]!,
      from: '2020-10-01',
      reason: 'REDISTRIBUTION',
    }),
  );
  splitHundredths(
    pooled,
    receivers.map((o) => contingentOn(o.kbo, '2020-09-30')),
  ).forEach((v, i) =>
    rows.contingents.push({
      kbo: receivers[i]!.kbo,
      measure: 'MAATWERK',
      fte: v,
      from: '2020-10-01',
      reason: 'REDISTRIBUTION',
    }),
  );
  for (const quarter of quartersBetween('2018-04-01', '2020-10-01'))
    for (const o of [...custom, ...lde]) settle(o, quarter);

  // LDE initiatives under 90% yearly occupancy in 2020 were asked for an action plan.
  for (const o of lde) {
    const rate = fillRateOver(o.kbo, '2020-01-01', '2020-10-01');
    if (rate !== null && rate < 0.9 && prng.next() < 0.8)
      rows.actionPlans.push([o.kbo, 2020, `2021-0${prng.int(2, 4)}-15`]);
  }

  // The 2021 growth path of custom work: about 215 FTE against 944 FTE requested (report 2020).
  const gp2021 = facts.report2020.growthPathCollectiefMaatwerk;
  const call2021 = call(
    'GP-2021-MAATWERK',
    'Groeipad 2021 collectief maatwerk',
    'MAATWERK',
    'MAATWERK',
    'CAPACITY_SHARE',
    gp2021.placesApprox,
    1,
    DISABILITY_WEIGHTS,
    {
      referenceFrom: '2019-07-01',
      referenceTo: '2020-04-01',
      deadline: '2020-12-15',
      effectiveFrom: '2021-04-01',
    },
  );
  const applicants2021 = prng.shuffle(custom).slice(0, 70);
  [
    ...apportion(
      gp2021.requestedFte,
      applicants2021.map((o, i) => [i, contingentOn(o.kbo, '2020-12-15')] as [number, number]),
    ).values(),
  ].forEach((requested, i) => requested > 0 && apply(call2021, applicants2021[i]!.kbo, requested));
  runCall(call2021, custom);

  // Target-group employees: 23,450 persons in custom work in 2019 (2020 n.b.), LDE 2,638 (2019) and 2,414 (2020).
  const persons = generatePersons();
  let nextPerson = 0;
  let employeeId = 0;
  const people = (n: number) => persons.slice(nextPerson, (nextPerson += n)).map((p) => p.id);
  const maatwerk2019 = facts.report2020.keyFigures.maatwerkUniquePersonsEmployed.value2019;
  const ldeHeads = facts.report2020.keyFigures.ldeUniquePersonsEmployed;
  const employ = (personId: string, o: (typeof bw)[number], startedOn: string, endedOn: string | null) => {
    const id = ++employeeId;
    const isLde = o.sector === 'LDE';
    const referredSince2019 = !isLde && startedOn >= '2019-01-01';
    const pop = isLde ? (prng.next() < 0.85 ? addDays(startedOn, prng.int(30, 90)) : null) : null;
    rows.employees.push([
      id,
      personId,
      o.kbo,
      startedOn,
      endedOn,
      isLde ? 'LDE inschakelingstraject' : prng.pick(PACKAGES),
      referredSince2019 ? addMonths(startedOn, 60) : null,
      pop,
    ]);
    return id;
  };
  const day = (from: string, to: string) =>
    addDays(from, prng.int(0, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)));
  const spread = (members: typeof bw, n: number) => {
    const counts = apportion(
      n,
      members.map((o, i) => [i, contingentOn(o.kbo, '2019-06-30')] as [number, number]),
    );
    return members.flatMap((o, i) => Array.from({ length: counts.get(i)! }, () => o));
  };
  const sitting: Array<[number, string]> = [];
  for (const [k, o] of spread(custom, maatwerk2019).entries()) {
    const [personId] = people(1);
    // Most sat there before 2019; some joined in 2019; some left during 2019 or 2020.
    const startedOn = k % 20 === 0 ? day('2019-01-01', '2019-12-31') : day('2001-01-01', '2018-12-31');
    const roll = k === 0 ? 1 : prng.next();
    const endedOn =
      roll < 0.04
        ? day(startedOn > '2019-01-01' ? startedOn : '2019-01-01', '2019-12-31')
        : roll < 0.08
          ? day('2020-01-01', '2020-12-31')
          : null;
    const id = employ(personId!, o, startedOn, endedOn);
    if (startedOn < '2019-01-01' && (endedOn === null || endedOn >= '2019-10-01')) sitting.push([id, o.kbo]);
  }
  for (const o of spread(custom, 1_000)) employ(people(1)[0]!, o, day('2020-01-01', '2020-12-31'), null);
  // VDAB evaluates 10% of the sitting workers of every company each year from autumn 2019.
  const sittingByOrg = new Map<string, number[]>();
  for (const [id, kbo] of sitting) sittingByOrg.set(kbo, [...(sittingByOrg.get(kbo) ?? []), id]);
  for (const ids of sittingByOrg.values()) {
    for (const year of [2019, 2020]) {
      for (const id of prng.shuffle(ids).slice(0, Math.ceil(ids.length / 10))) rows.samples.push([id, year]);
    }
  }
  const stayers = 2_050;
  const ldeMembers = prng.shuffle(spread(lde, ldeHeads.value2019));
  ldeMembers.forEach((o, k) => {
    const startedOn = day('2016-01-01', '2019-12-31');
    const endedOn = k < stayers ? null : day(startedOn > '2019-01-01' ? startedOn : '2019-01-01', '2019-12-31');
    employ(people(1)[0]!, o, startedOn, endedOn);
  });
  for (const o of spread(lde, ldeHeads.value2020 - stayers))
    employ(people(1)[0]!, o, day('2020-01-01', '2020-12-31'), null);

  // Transition trajectories of ESF calls 380 (started, stopped) and 432 (VDAB referrals), per province.
  const inProvince = (province: string) => custom.filter((o) => o.provinceCode === province);
  const employeeOf = (kbo: string) =>
    rows.employees.find((e) => e[2] === kbo && e[4] === null && !rows.trajectories.some((t) => t[0] === e[1]));
  for (const c of facts.esfTransitionCalls) {
    for (const p of c.perProvince) {
      const employers = inProvince(PROVINCE_CODES[p.province]!);
      const count = c.call === 380 ? p.started! : p.referrals!;
      for (let i = 0; i < count; i++) {
        const employer = employers[i % employers.length]!;
        // The showcase person (the first employee of the showcase employer) has the first trajectory of call 380.
        const showcase = c.call === 380 && employer.kbo === showcaseEmployer().kboNumber && i === 0;
        const person = showcase
          ? rows.employees.find((e) => e[1] === showcasePerson().id)!
          : (employeeOf(employer.kbo) ?? employeeOf(prng.pick(employers).kbo)!);
        if (c.call === 380) {
          const startedOn = day('2016-09-01', '2018-06-30');
          const stopped = i < p.stopped!;
          rows.trajectories.push([
            person[1],
            employer.kbo,
            380,
            prng.next() < 0.3,
            null,
            startedOn,
            stopped ? day(startedOn, addDays(startedOn, 200)) : null,
            stopped ? 'STOPPED' : null,
          ]);
        } else {
          rows.trajectories.push([
            person[1],
            employer.kbo,
            432,
            true,
            day('2018-09-01', '2019-03-31'),
            null,
            null,
            null,
          ]);
        }
      }
    }
  }
  return rows;
}
