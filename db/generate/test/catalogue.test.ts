import { publishedMeasures } from '@measure-graph/db';
import { CONTROL_DOMAINS } from '@measure-graph/inspection/seed/reference';
import { normRuleProblem } from '@measure-graph/measure-module/norm-rules';
import { describe, expect, it } from 'vitest';
import { measureLines } from '../src/demo/catalogue/records.ts';
import { vsiTable } from '../src/demo/inspection/vsi-table.ts';

describe('the published catalogue as measures.jsonl', () => {
  const lines = measureLines();

  it('holds the report measures in report order, their norms and every card row', () => {
    expect(lines.map((m) => m.code)).toEqual(publishedMeasures().map((m) => m.code));
    expect(lines.map((m) => m.position)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.flatMap((m) => m.norms)).toHaveLength(publishedMeasures().flatMap((m) => m.norms).length);
    expect(lines.flatMap((m) => m.cardRows)).toHaveLength(publishedMeasures().flatMap((m) => m.volumes).length);
  });

  it('has only rules the norm results can evaluate', () => {
    expect(lines.flatMap((m) => m.norms.filter((n) => normRuleProblem(n.rule) !== null).map((n) => n.id))).toEqual([]);
  });

  it('gives the measure modules their kinds and complete-file rule', () => {
    const maatwerk = lines.find((m) => m.code === 'MAATWERK')!;
    expect(maatwerk).toMatchObject({
      domain: 'SOCIAL_ECONOMY',
      policyField: 'SOCIAL_ECONOMY',
      requiresCompleteFile: false,
    });
    expect(maatwerk.dossierKinds).toEqual(['APPLICATION', 'EXTENSION', 'INCREASE', 'CONTINGENT']);
    expect(lines.filter((m) => m.requiresCompleteFile).map((m) => m.code)).toEqual([
      'ARBEIDSKAARTEN',
      'BEROEPSKAARTEN',
    ]);
  });
});

describe("inspection's control domains", () => {
  it('are the rows of the VSI table of the report, in its order', () => {
    expect(CONTROL_DOMAINS.map((d) => [d.label, d.measureCode])).toEqual(
      vsiTable().rows.map((r) => [r.maatregel, r.measureCode]),
    );
  });
});

describe('normRuleProblem', () => {
  it.each([
    [{ type: 'WITHIN_DAYS', days: 30 }, null],
    [
      { type: 'WITHIN_DAYS', days: 0 },
      { field: 'days', reason: 'must be a number above 0' },
    ],
    [{ type: 'WITHIN_DAYS' }, { field: 'days', reason: 'is required for a WITHIN_DAYS rule' }],
    [
      { type: 'WITHIN_DAYS', days: 3, months: 1 },
      { field: 'months', reason: 'is not a field of a WITHIN_DAYS rule' },
    ],
    [{ type: 'SOMETIME' }, { field: 'type', reason: expect.stringContaining('must be one of WITHIN_DAYS') }],
    [
      { type: 'BY_DATE_OF_YEAR', month: 2, day: 30 },
      { field: 'day', reason: '30/2 is not a date every year has' },
    ],
    [
      { type: 'BY_DAY_OF_PERIOD', day: 15, strict: 'yes' },
      { field: 'strict', reason: 'must be true or false' },
    ],
    [{ type: 'BY_DATE_PER_INSTALMENT', first: [6, 30], later: [11, 31] }, expect.objectContaining({ field: 'later' })],
    [{ type: 'BY_END_OF_NEXT_QUARTER' }, null],
  ])('%j', (rule, problem) => {
    expect(normRuleProblem(rule)).toEqual(problem);
  });
});
