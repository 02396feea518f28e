import { readSeedFile, type PublishedMeasure } from '@measure-graph/db';

/** A published norm result to reproduce: a fraction shown with `precision` decimals. */
export interface PublishedResult {
  value: number;
  precision: number;
}

/** What the seed must make the computed results show, per year, for one norm. */
export interface NormTarget {
  normId: string;
  /** A row of the overview table (Overzichtstabel 1): its results must show whatever the volumes. */
  inOverview: boolean;
  results: Partial<Record<number, PublishedResult>>;
  /** Change versus the previous year in percentage points, as printed in the overview, when printed. */
  deltaPpt?: { value: number; decimals: number };
}

interface OverviewRow {
  id: string;
  result2020: number | null;
  deltaVs2019Text: string | null;
}

/** Decimals a fraction was printed with: 0.976 (97,6%) has 3, 0.86 (86%) has 2. */
export function precisionOf(value: number): number {
  const text = String(value);
  const dot = text.indexOf('.');
  return Math.max(2, dot < 0 ? 0 : text.length - dot - 1);
}

/** Parses "+1,3 ppt.", "- 7 ppt", "+100ppt." into a number of percentage points; null for "n.v.t.". */
export function parseDeltaPpt(text: string | null): { value: number; decimals: number } | null {
  const m = text?.replace(/\s/g, '').match(/^([+-])(\d+(?:,\d+)?)ppt\.?$/);
  if (!m) return null;
  const digits = m[2]!;
  const comma = digits.indexOf(',');
  return { value: Number(`${m[1]}${digits.replace(',', '.')}`), decimals: comma < 0 ? 0 : digits.length - comma - 1 };
}

const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f + 1e-9) / f;
};

/** Whether k of n shows as the published result. */
export const showsAs = (k: number, n: number, target: PublishedResult): boolean =>
  n > 0 && round(k / n, target.precision) === round(target.value, target.precision);

/** Whether two computed shares print the published change versus the previous year. */
export const deltaShowsAs = (previous: number, current: number, delta: { value: number; decimals: number }): boolean =>
  round((current - previous) * 100, delta.decimals) === delta.value;

/**
 * Targets for every norm of a measure. Where the report contradicts itself the overview table
 * (Overzichtstabel 1) wins for 2020 and for the change versus 2019; the 2019 value comes from the
 * measure section and is kept only when it is consistent with that change (see docs/data.md).
 */
export function normTargetsOf(measure: PublishedMeasure): NormTarget[] {
  const overview = new Map(readSeedFile<{ rows: OverviewRow[] }>('norm-overview-2020.json').rows.map((r) => [r.id, r]));
  return measure.norms.map((norm, index) => {
    const row = norm.overviewRowId ? overview.get(norm.overviewRowId) : undefined;
    const r2020 = row ? row.result2020 : norm.result2020;
    const delta = row ? parseDeltaPpt(row.deltaVs2019Text) : null;
    let r2019 = norm.result2019;
    if (r2020 !== null && delta) {
      const implied = round(r2020 - delta.value / 100, 3);
      // Keep the section's 2019 figure unless the printed change cannot come from it.
      if (r2019 === null || Math.abs(r2019 - implied) > 0.011) r2019 = implied;
    }
    const results: NormTarget['results'] = {};
    if (r2019 !== null) results[2019] = { value: r2019, precision: precisionOf(r2019) };
    if (r2020 !== null) results[2020] = { value: r2020, precision: precisionOf(r2020) };
    return {
      normId: `${measure.code}-${index + 1}`,
      inOverview: row !== undefined,
      results,
      ...(delta ? { deltaPpt: delta } : {}),
    };
  });
}

/** Every k in 0..n that shows as the target, closest to the exact share first. */
export function candidateCounts(n: number, target: PublishedResult): number[] {
  const ideal = target.value * n;
  const out: number[] = [];
  for (let k = Math.max(0, Math.floor(ideal - n * 0.01) - 1); k <= Math.min(n, Math.ceil(ideal + n * 0.01) + 1); k++) {
    if (showsAs(k, n, target)) out.push(k);
  }
  return out.sort((a, b) => Math.abs(a - ideal) - Math.abs(b - ideal));
}

/**
 * The smallest population from `minimum` up whose met counts can show every given target (and the
 * printed change between two years when both years use it).
 */
export function smallestPopulation(targets: PublishedResult[], minimum = 1): number {
  for (let n = Math.max(1, minimum); n < 100_000; n++) {
    if (targets.every((t) => candidateCounts(n, t).length > 0)) return n;
  }
  throw new Error('no population can show these results');
}
