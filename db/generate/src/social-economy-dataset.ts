import { quarterLabel } from '@measure-graph/social-economy/quarters';
import { generateSocialEconomy, type SeedRows } from './demo/social-economy/generate.ts';

/**
 * The social economy's own demo data (db/generate/src/demo/social-economy) as rows of
 * sector-organisations.jsonl, contingents.jsonl, employees.jsonl, trajectories.jsonl and
 * growth-paths.jsonl (docs/data-format.md): the
 * same organisations, labels, action plans, contingents, settlements, calls, applications and
 * allocations the demo seed writes (seedSocialEconomySector). Growth-path contingent rows are not
 * written to contingents.jsonl: the import derives them from the allocations, as the distribution
 * does. Target-group employees with their evaluation samples (employees.jsonl, ref `EMP-<id>`)
 * and transition trajectories (trajectories.jsonl, ref `TRJ-<n>`, n counting from 1 in the order
 * the seed inserts them) are the seed's rows too; the seed writes no source_ref.
 */

/** Hundredths-exact FTE as the format writes it: "14.5", "-0.42", "4". */
export function fteText(value: number): string {
  const h = Math.round(value * 100);
  const abs = Math.abs(h);
  const rest = abs % 100;
  return `${h < 0 ? '-' : ''}${Math.floor(abs / 100)}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`.replace(/0$/, '')}`;
}

/** Exact cents (negative allowed) to euros as the format writes them ("1250.07", "-17.5"). */
export function signedEuros(cents: number): string {
  const abs = Math.abs(cents);
  const rest = abs % 100;
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`}`;
}

function group<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(r);
  }
  return out;
}

export interface SocialEconomyLines {
  sectorOrganisations: object[];
  contingents: object[];
  employees: object[];
  trajectories: object[];
  growthPaths: object[];
}

export function socialEconomyLines(rows: SeedRows = generateSocialEconomy()): SocialEconomyLines {
  const labels = group(rows.labels, (l) => l[0]);
  const plans = group(rows.actionPlans, (p) => p[0]);
  const contingents = group(
    rows.contingents.filter((c) => c.reason !== 'GROWTH_PATH'),
    (c) => c.kbo,
  );
  const settlements = group(rows.settlements, (s) => s[0]);
  const allocations = new Map(rows.allocations.map((a) => [a.application, a]));
  const applications = group(rows.applications, (a) => a.call);
  const samples = new Map<number, number[]>();
  for (const [id, year] of rows.samples) samples.set(id, [...(samples.get(id) ?? []), year]);
  return {
    sectorOrganisations: rows.organisations.map((o) => ({
      kboNumber: o.kbo,
      sector: o.sector,
      provinceCode: o.provinceCode,
      ...(o.mergedOn ? { mergedOn: o.mergedOn } : {}),
      labels: (labels.get(o.kbo) ?? []).map(([, label, validFrom, validTo]) => ({
        label,
        validFrom,
        ...(validTo ? { validTo } : {}),
      })),
      ...(plans.has(o.kbo)
        ? { actionPlans: plans.get(o.kbo)!.map(([, year, submittedOn]) => ({ year, submittedOn })) }
        : {}),
    })),
    contingents: rows.organisations.map((o) => ({
      kboNumber: o.kbo,
      contingents: (contingents.get(o.kbo) ?? []).map((c) => ({
        measureCode: c.measure,
        fte: fteText(c.fte),
        validFrom: c.from,
        reason: c.reason,
      })),
      settlements: (settlements.get(o.kbo) ?? []).map(
        ([, quarter, contingent, filled, advances, balance, settledOn]) => ({
          quarter: quarterLabel(quarter),
          contingentFte: fteText(contingent),
          filledFte: fteText(filled),
          advances: signedEuros(advances),
          balance: signedEuros(balance),
          ...(settledOn ? { settledOn } : {}),
        }),
      ),
    })),
    employees: rows.employees.map(
      ([id, personId, kbo, startedOn, endedOn, supportPackage, nextEvaluationOn, popFormalisedOn]) => ({
        ref: `EMP-${id}`,
        personId,
        kboNumber: kbo,
        startedOn,
        ...(endedOn ? { endedOn } : {}),
        supportPackage,
        ...(nextEvaluationOn ? { nextEvaluationOn } : {}),
        ...(popFormalisedOn ? { popFormalisedOn } : {}),
        ...(samples.has(id) ? { sampledForEvaluation: [...samples.get(id)!].sort((a, b) => a - b) } : {}),
      }),
    ),
    trajectories: rows.trajectories.map(
      ([personId, employerKbo, esfCall, referredByVdab, referredOn, startedOn, endedOn, outcome], i) => ({
        ref: `TRJ-${i + 1}`,
        personId,
        employerKbo,
        esfCall,
        referredByVdab,
        ...(referredOn ? { referredOn } : {}),
        ...(startedOn ? { startedOn } : {}),
        ...(endedOn ? { endedOn } : {}),
        ...(outcome ? { outcome } : {}),
      }),
    ),
    growthPaths: rows.calls.map((c) => ({
      id: c.id,
      name: c.name,
      measureCode: c.measure,
      sector: c.sector,
      budgetFte: fteText(c.rules.budgetFte),
      unitFte: c.rules.unitFte === 1 ? '1' : '0.01',
      ruleSet: c.rules.ruleSet,
      ...(c.rules.minFillRate !== null ? { minFillRate: c.rules.minFillRate } : {}),
      ...(c.referenceFrom ? { referenceFrom: quarterLabel(c.referenceFrom) } : {}),
      ...(c.referenceTo ? { referenceTo: quarterLabel(c.referenceTo) } : {}),
      deadline: c.deadline,
      effectiveFrom: c.effectiveFrom,
      ...(c.distributed ? { distributedAt: `${c.deadline}T12:00` } : {}),
      provinceWeights: Object.fromEntries(c.rules.provinceWeights),
      applications: (applications.get(c.id) ?? []).map((a) => {
        const allocation = allocations.get(a.id);
        return {
          kboNumber: a.kbo,
          requestedFte: fteText(a.requestedFte),
          submittedOn: a.submittedOn,
          ...(allocation
            ? {
                allocation: {
                  fte: fteText(allocation.fte),
                  rule: allocation.rule,
                  explanation: allocation.explanation,
                },
              }
            : {}),
        };
      }),
    })),
  };
}
