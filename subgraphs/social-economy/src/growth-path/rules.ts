/**
 * The distribution rules of growth-path calls (groeipad), as the minister described them for the
 * 2018 calls (seed 003, question 491): pure functions from the call and its applications to one
 * allocation per application, each saying which rule gave it. All arithmetic is in whole units
 * of the call (1 FTE or 0.01 FTE), so totals are exact and never exceed the budget.
 */

import { badInput } from '@measure-graph/errors';

export type RuleSet = 'CAPACITY_SHARE' | 'EQUAL_SPLIT' | 'LDE_PRIORITY';

/** Sectors whose organisations may apply for a call of a sector (custom work: the former BW and SW). */
export const SECTORS_OF_CALL: Record<string, string[]> = {
  BW: ['BW'],
  SW: ['SW'],
  LDE: ['LDE'],
  MAATWERK: ['BW', 'SW'],
};

/** FTE as a decimal string: positive, at most two decimals; whole when the call's unit is 1. */
export function parseFte(value: string, whole: boolean): number {
  const m = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m)
    throw badInput(
      `requestedFte must be a positive number of FTE with at most two decimals, got "${value}"`,
      'requestedFte',
    );
  const hundredths = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (hundredths <= 0) throw badInput('requestedFte must be more than zero', 'requestedFte');
  if (whole && hundredths % 100 !== 0)
    throw badInput(`this call allocates whole FTE: requestedFte "${value}" is not`, 'requestedFte');
  return hundredths / 100;
}

export interface CallRules {
  ruleSet: RuleSet;
  budgetFte: number;
  /** 1 (whole FTE) or 0.01. */
  unitFte: number;
  /** Minimum fill rate over the reference period to take part (>= , see docs/data.md D57); null: none. */
  minFillRate: number | null;
  /** Potential target group per province: the first split of the budget. */
  provinceWeights: Map<string, number>;
}

export interface Applicant {
  applicationId: string;
  kbo: string;
  provinceCode: string;
  requestedFte: number;
  /** Current contingent (capacity) in FTE. */
  contingentFte: number;
  /** Filled share of the contingent over the reference period; null when never settled. */
  fillRate: number | null;
  /** LDE: scaled up by a merger or takeover. */
  merged: boolean;
}

export type AllocationRule =
  | 'INELIGIBLE'
  | 'CAPACITY_SHARE'
  | 'FULL_REQUEST'
  | 'EQUAL_SPLIT'
  | 'EQUAL_SPLIT_PLUS_REMAINDER'
  | 'REMAINDER_BY_FILL_RATE'
  | 'PRIORITY_SMALL'
  | 'PRIORITY_MERGED'
  | 'REGULAR_ORDER'
  | 'ROUNDED_TO_ZERO'
  | 'BUDGET_EXHAUSTED';

export interface Allocation {
  applicationId: string;
  kbo: string;
  fte: number;
  rule: AllocationRule;
  explanation: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Highest fill rate first, then KBO: the order ties and remainders follow. */
const byFillRate = (a: Applicant, b: Applicant) =>
  (b.fillRate ?? -1) - (a.fillRate ?? -1) || a.kbo.localeCompare(b.kbo);

/** Integer split of `total` proportional to `weights` (largest remainders, ties in key order given). */
export function apportion<K>(total: number, weights: Array<[K, number]>): Map<K, number> {
  const sum = weights.reduce((a, [, w]) => a + w, 0);
  const out = new Map<K, number>();
  if (sum <= 0 || total <= 0) {
    for (const [k] of weights) out.set(k, 0);
    return out;
  }
  const exact = weights.map(([k, w]) => [k, (total * w) / sum] as const);
  for (const [k, x] of exact) out.set(k, Math.floor(x + 1e-9));
  let left = total - [...out.values()].reduce((a, b) => a + b, 0);
  const order = exact
    .map(([k, x], i) => ({ k, frac: x - Math.floor(x + 1e-9), i }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) out.set(order[j]!.k, out.get(order[j]!.k)! + 1);
  return out;
}

interface State {
  applicant: Applicant;
  demand: number;
  given: number;
  rule: AllocationRule | null;
}

/** Gives each province its share of what is left, again and again while demand and budget remain. */
function overProvinces(
  budget: number,
  states: State[],
  weights: Map<string, number>,
  within: (units: number, states: State[]) => number,
): void {
  let left = budget;
  for (let round = 0; left > 0 && round < 50; round++) {
    const wanting = [...new Set(states.filter((s) => s.given < s.demand).map((s) => s.applicant.provinceCode))];
    if (wanting.length === 0) break;
    // A province without a weight (no potential target group registered) gets the smallest one.
    const min = Math.min(...[...weights.values()]);
    const shares = apportion(
      left,
      wanting.sort().map((p) => [p, weights.get(p) ?? min] as [string, number]),
    );
    let unused = 0;
    for (const [province, units] of shares) {
      unused += within(
        units,
        states.filter((s) => s.applicant.provinceCode === province),
      );
    }
    if (unused === left) break;
    left = unused;
  }
}

/** Proportional to capacity, capped by the request (water-filling); returns what it could not give. */
function capacityShare(units: number, states: State[]): number {
  let left = units;
  for (;;) {
    const active = states.filter((s) => s.given < s.demand);
    if (left === 0 || active.length === 0) return left;
    const capacity = active.reduce((a, s) => a + s.applicant.contingentFte, 0);
    const share = (s: State) => (capacity > 0 ? (left * s.applicant.contingentFte) / capacity : left / active.length);
    const capped = active.filter((s) => share(s) >= s.demand - s.given);
    if (capped.length > 0) {
      for (const s of capped) {
        left -= s.demand - s.given;
        s.given = s.demand;
        s.rule = 'FULL_REQUEST';
      }
      continue;
    }
    const sorted = [...active].sort((a, b) => byFillRate(a.applicant, b.applicant));
    const parts = apportion(
      left,
      sorted.map((s) => [s, capacity > 0 ? s.applicant.contingentFte : 1] as [State, number]),
    );
    for (const [s, part] of parts) {
      s.given += part;
      if (part > 0) s.rule = 'CAPACITY_SHARE';
    }
    return 0;
  }
}

/** Even split over the subscribers, at least one unit each, the rest one by one by fill rate. */
function equalSplit(units: number, states: State[]): number {
  let left = units;
  for (;;) {
    const active = states.filter((s) => s.given < s.demand).sort((a, b) => byFillRate(a.applicant, b.applicant));
    if (left === 0 || active.length === 0) return left;
    if (left < active.length) {
      for (const s of active.slice(0, left)) {
        s.given += 1;
        s.rule ??= 'REMAINDER_BY_FILL_RATE';
      }
      return 0;
    }
    const base = Math.floor(left / active.length);
    const capped = active.filter((s) => s.demand - s.given <= base);
    if (capped.length > 0) {
      for (const s of capped) {
        left -= s.demand - s.given;
        s.given = s.demand;
        s.rule = 'FULL_REQUEST';
      }
      continue;
    }
    for (const s of active) {
      s.given += base;
      s.rule = 'EQUAL_SPLIT';
    }
    left -= base * active.length;
    for (const s of active.slice(0, left)) {
      s.given += 1;
      s.rule = 'EQUAL_SPLIT_PLUS_REMAINDER';
    }
    return 0;
  }
}

/** LDE: small initiatives (< 5 FTE) first, then small ones that merged, then the others. */
function ldePriority(units: number, states: State[]): void {
  const rank = (a: Applicant) => (a.contingentFte < 5 ? (a.merged ? 2 : 1) : 3);
  const ordered = [...states].sort(
    (a, b) => rank(a.applicant) - rank(b.applicant) || byFillRate(a.applicant, b.applicant),
  );
  let left = units;
  for (const s of ordered) {
    const give = Math.min(left, s.demand);
    s.given = give;
    left -= give;
    if (give > 0) s.rule = (['PRIORITY_SMALL', 'PRIORITY_MERGED', 'REGULAR_ORDER'] as const)[rank(s.applicant) - 1]!;
  }
}

const EXPLAIN: Record<AllocationRule, (s: State, call: CallRules) => string> = {
  INELIGIBLE: (s, c) =>
    s.applicant.fillRate === null
      ? 'no settled quarter in the reference period'
      : `fill rate ${pct(s.applicant.fillRate)} over the reference period is below ${pct(c.minFillRate!)}`,
  CAPACITY_SHARE: () => "share of the province's budget in proportion to its contingent",
  FULL_REQUEST: () => 'the whole request: its share was at least what it asked',
  EQUAL_SPLIT: () => "even share of the province's budget over the subscribing workplaces",
  EQUAL_SPLIT_PLUS_REMAINDER: () => 'even share plus one FTE of the remainder (highest fill rates first)',
  REMAINDER_BY_FILL_RATE: () => 'one FTE: fewer FTE than subscribers, given by fill rate',
  PRIORITY_SMALL: () => 'priority 1: initiative with a contingent under 5 FTE',
  PRIORITY_MERGED: () => 'priority 2: initiative under 5 FTE that merged or took over another',
  REGULAR_ORDER: () => 'after the priority initiatives, by fill rate',
  ROUNDED_TO_ZERO: () => 'its share rounded to less than one unit of the call',
  BUDGET_EXHAUSTED: () => 'the budget was used up by applicants ranked before it',
};

/** Every rule an allocation can name. */
export const ALLOCATION_RULES = Object.keys(EXPLAIN) as AllocationRule[];

/** One allocation per applicant, in the applicants' order; the total never exceeds the budget. */
export function distribute(call: CallRules, applicants: Applicant[]): Allocation[] {
  const unit = call.unitFte;
  const budget = Math.round(call.budgetFte / unit);
  const states: State[] = applicants.map((a) => ({
    applicant: a,
    demand: Math.floor(a.requestedFte / unit + 1e-9),
    given: 0,
    rule: null,
  }));
  const eligible = states.filter(
    (s) => call.minFillRate === null || (s.applicant.fillRate !== null && s.applicant.fillRate >= call.minFillRate),
  );
  for (const s of states) if (!eligible.includes(s)) s.rule = 'INELIGIBLE';
  if (call.ruleSet === 'LDE_PRIORITY') ldePriority(budget, eligible);
  else
    overProvinces(budget, eligible, call.provinceWeights, call.ruleSet === 'EQUAL_SPLIT' ? equalSplit : capacityShare);
  const total = states.reduce((a, s) => a + s.given, 0);
  if (total > budget) throw new Error(`distribution gave ${total} units of a budget of ${budget}`);
  return states.map((s) => {
    const zero: AllocationRule = call.ruleSet === 'CAPACITY_SHARE' ? 'ROUNDED_TO_ZERO' : 'BUDGET_EXHAUSTED';
    const rule: AllocationRule = s.rule === 'INELIGIBLE' ? 'INELIGIBLE' : s.given === 0 ? zero : s.rule!;
    return {
      applicationId: s.applicant.applicationId,
      kbo: s.applicant.kbo,
      fte: Math.round(s.given * unit * 100) / 100,
      rule,
      explanation: EXPLAIN[rule](s, call),
    };
  });
}
