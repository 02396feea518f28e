import { describe, expect, it } from 'vitest';
import { apportion, distribute, type Applicant, type CallRules } from '../src/growth-path/rules.ts';

let next = 0;
const applicant = (overrides: Partial<Applicant>): Applicant => ({
  applicationId: String(++next),
  kbo: `0${String(200_000_000 + next)}`,
  provinceCode: 'ANT',
  requestedFte: 10,
  contingentFte: 50,
  fillRate: 0.97,
  merged: false,
  ...overrides,
});
const call = (overrides: Partial<CallRules>): CallRules => ({
  ruleSet: 'CAPACITY_SHARE',
  budgetFte: 10,
  unitFte: 1,
  minFillRate: 0.95,
  provinceWeights: new Map([['ANT', 1]]),
  ...overrides,
});
const total = (allocations: Array<{ fte: number }>) =>
  Math.round(allocations.reduce((a, x) => a + x.fte * 100, 0)) / 100;

describe('apportion', () => {
  it('splits a whole number exactly by largest remainders, ties in the order given', () => {
    expect([
      ...apportion(10, [
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ]).values(),
    ]).toEqual([4, 3, 3]);
    expect([
      ...apportion(7, [
        ['a', 5],
        ['b', 0],
      ]).values(),
    ]).toEqual([7, 0]);
  });
});

describe('CAPACITY_SHARE (sheltered workplaces 2018, custom work 2021)', () => {
  it('splits over provinces by target group, then in proportion to contingent, exactly to the budget', () => {
    const a = applicant({ provinceCode: 'ANT', contingentFte: 300, requestedFte: 100 });
    const b = applicant({ provinceCode: 'ANT', contingentFte: 100, requestedFte: 100 });
    const c = applicant({ provinceCode: 'LIM', contingentFte: 10, requestedFte: 100 });
    const rules = call({
      budgetFte: 40,
      provinceWeights: new Map([
        ['ANT', 3],
        ['LIM', 1],
      ]),
    });
    const result = distribute(rules, [a, b, c]);
    // ANT gets 30 of 40; 22.5 and 7.5 tie on the half FTE, which goes first in fill-rate, then KBO order.
    expect(result.map((r) => r.fte)).toEqual([23, 7, 10]);
    expect(total(result)).toBe(40);
    expect(result.every((r) => r.rule === 'CAPACITY_SHARE')).toBe(true);
  });

  it('never gives more than asked: the rest goes to the others of the province, then other provinces', () => {
    const small = applicant({ contingentFte: 300, requestedFte: 2 });
    const big = applicant({ contingentFte: 100, requestedFte: 50 });
    const elsewhere = applicant({ provinceCode: 'WVL', requestedFte: 5 });
    const rules = call({
      budgetFte: 20,
      provinceWeights: new Map([
        ['ANT', 1],
        ['WVL', 1],
      ]),
    });
    const [s, b, e] = distribute(rules, [small, big, elsewhere]);
    expect(s).toMatchObject({ fte: 2, rule: 'FULL_REQUEST' });
    expect(e).toMatchObject({ fte: 5, rule: 'FULL_REQUEST' });
    expect(b!.fte).toBe(13);
  });

  it('keeps out workplaces under the minimum fill rate, saying why', () => {
    const low = applicant({ fillRate: 0.9412 });
    const never = applicant({ fillRate: null });
    const ok = applicant({ fillRate: 0.95, requestedFte: 5 });
    const [l, n, o] = distribute(call({ budgetFte: 5 }), [low, never, ok]);
    expect(l).toMatchObject({ fte: 0, rule: 'INELIGIBLE' });
    expect(l!.explanation).toContain('94.1%');
    expect(n).toMatchObject({ fte: 0, rule: 'INELIGIBLE' });
    expect(o).toMatchObject({ fte: 5, rule: 'FULL_REQUEST' });
  });

  it('allocates in hundredths of FTE when the unit is 0.01, still exactly the budget', () => {
    const applicants = [1, 2, 3].map((i) => applicant({ contingentFte: 10 * i, requestedFte: 100 }));
    const result = distribute(call({ budgetFte: 10, unitFte: 0.01 }), applicants);
    expect(result.map((r) => r.fte)).toEqual([1.67, 3.33, 5]);
    expect(total(result)).toBe(10);
  });

  it('rounds small shares of whole FTE to nothing and says so', () => {
    const tiny = applicant({ contingentFte: 1, requestedFte: 5 });
    const large = applicant({ contingentFte: 99, requestedFte: 50 });
    const [t, l] = distribute(call({ budgetFte: 3 }), [tiny, large]);
    expect(t).toMatchObject({ fte: 0, rule: 'ROUNDED_TO_ZERO' });
    expect(l!.fte).toBe(3);
  });

  it('gives no more than the requests when they do not use the budget', () => {
    const result = distribute(call({ budgetFte: 100 }), [
      applicant({ requestedFte: 3 }),
      applicant({ requestedFte: 4 }),
    ]);
    expect(total(result)).toBe(7);
  });
});

describe('EQUAL_SPLIT (social workplaces 2018)', () => {
  it('splits each province evenly, at least 1 FTE each, the remainder per FTE by highest fill rate', () => {
    const rules = call({ ruleSet: 'EQUAL_SPLIT', budgetFte: 11 });
    const applicants = [0.96, 0.99, 0.97, 0.98].map((fillRate) => applicant({ fillRate, requestedFte: 6 }));
    const result = distribute(rules, applicants);
    expect(result.map((r) => r.fte)).toEqual([2, 3, 3, 3]);
    expect(result.map((r) => r.rule)).toEqual([
      'EQUAL_SPLIT',
      'EQUAL_SPLIT_PLUS_REMAINDER',
      'EQUAL_SPLIT_PLUS_REMAINDER',
      'EQUAL_SPLIT_PLUS_REMAINDER',
    ]);
  });

  it('caps at the request and spreads what is left; fewer FTE than subscribers go by fill rate', () => {
    const capped = distribute(call({ ruleSet: 'EQUAL_SPLIT', budgetFte: 9 }), [
      applicant({ requestedFte: 1 }),
      applicant({ requestedFte: 10 }),
      applicant({ requestedFte: 10 }),
    ]);
    expect(capped.map((r) => r.fte)).toEqual([1, 4, 4]);
    const scarce = distribute(call({ ruleSet: 'EQUAL_SPLIT', budgetFte: 2 }), [
      applicant({ fillRate: 0.96 }),
      applicant({ fillRate: 0.99 }),
      applicant({ fillRate: 0.98 }),
    ]);
    expect(scarce.map((r) => [r.fte, r.rule])).toEqual([
      [0, 'BUDGET_EXHAUSTED'],
      [1, 'REMAINDER_BY_FILL_RATE'],
      [1, 'REMAINDER_BY_FILL_RATE'],
    ]);
  });
});

describe('LDE_PRIORITY (local service economy 2018)', () => {
  it('serves initiatives under 5 FTE first, then small ones that merged, then the others', () => {
    const rules = call({ ruleSet: 'LDE_PRIORITY', budgetFte: 9, minFillRate: null });
    const large = applicant({ contingentFte: 20, requestedFte: 5, fillRate: 0.99 });
    const merged = applicant({ contingentFte: 4, merged: true, requestedFte: 4 });
    const small = applicant({ contingentFte: 3, requestedFte: 4, fillRate: 0.8 });
    const result = distribute(rules, [large, merged, small]);
    expect(result.map((r) => [r.fte, r.rule])).toEqual([
      [1, 'REGULAR_ORDER'],
      [4, 'PRIORITY_MERGED'],
      [4, 'PRIORITY_SMALL'],
    ]);
    const none = distribute({ ...rules, budgetFte: 4 }, [large, merged, small]);
    expect(none[0]).toMatchObject({ fte: 0, rule: 'BUDGET_EXHAUSTED' });
  });
});
