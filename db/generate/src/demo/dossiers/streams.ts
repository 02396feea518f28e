import {
  candidateCounts,
  deltaShowsAs,
  showsAs,
  smallestPopulation,
  type NormTarget,
  type PublishedResult,
} from './calibration.ts';
import type { NormDefinition } from '@measure-graph/measure-module/norm-rules';
import { onlineShare, streamPopulation, type VolumeContext } from './stream-volumes.ts';

/** Norms that count the same items (same end events, same kinds): they share one population. */
export interface Stream {
  key: string;
  endTypes: string[];
  kinds: string[] | null;
  norms: NormDefinition[];
}

export type ChannelName = 'ONLINE' | 'PAPER';

/** The calibrated plan of one stream for one year: per channel, the population and met counts per norm. */
export interface StreamYearPlan {
  year: number;
  groups: Array<{ channel: ChannelName | null; population: number; met: Map<string, number> }>;
}

export function streamsOf(norms: NormDefinition[]): Stream[] {
  const streams = new Map<string, Stream>();
  for (const norm of norms) {
    const key = `${norm.endTypes.join('|')}/${norm.kinds?.join('|') ?? '*'}`;
    const stream = streams.get(key) ?? { key, endTypes: norm.endTypes, kinds: norm.kinds, norms: [] };
    stream.norms.push(norm);
    streams.set(key, stream);
  }
  return [...streams.values()];
}

/** The met count that shows a result, or the nearest one where no count can (a binding population). */
const metCount = (population: number, t: PublishedResult) =>
  candidateCounts(population, t)[0] ?? Math.round(t.value * population);

const feasible = (n: number, targets: PublishedResult[]) => targets.every((t) => candidateCounts(n, t).length > 0);

/** A population near `preferred` (never below it) that can show every target; smallest workable one otherwise. */
function workablePopulation(preferred: number | null, targets: PublishedResult[]): number {
  if (targets.length === 0) return preferred ?? 0;
  if (preferred !== null && preferred > 0) {
    for (let n = preferred; n <= preferred * 1.15 + 20; n++) if (feasible(n, targets)) return n;
  }
  return smallestPopulation(targets, 20);
}

/**
 * Calibrates one stream: chooses populations (the published volume where there is one) and met
 * counts per norm so that every computed result shows as published, for both years, and the
 * printed change versus 2019 where it can.
 */
export function planStream(
  ctx: VolumeContext,
  stream: Stream,
  targets: Map<string, NormTarget>,
  years: number[],
  maxPopulation = Infinity,
): StreamYearPlan[] {
  const split = stream.norms.some((n) => n.channel !== null);
  const plans = years.map((year): StreamYearPlan => {
    const published = streamPopulation(ctx, stream, year);
    // A published population binds: a norm outside the overview table then shows what it can from
    // it (see docs/data.md), the overview's norms still pick a workable population.
    const resultsOf = (norms: NormDefinition[]) =>
      norms
        .map((n) => targets.get(n.id))
        .filter((t) => t !== undefined && (t.inOverview || published === null))
        .map((t) => t!.results[year])
        .filter((r): r is PublishedResult => r !== undefined);
    // Channel-split norms need a few thousand items before online, paper and overall shares can all
    // show their printed values together, so the small profile caps them higher.
    const cap = split ? Math.max(maxPopulation, 5_000) : maxPopulation;
    const capped = published === null ? null : Math.min(published, cap);
    if (!split) {
      const targetsHere = resultsOf(stream.norms);
      const population = capped === 0 ? 0 : workablePopulation(capped, targetsHere);
      const met = new Map(
        stream.norms.map((n) => {
          const t = targets.get(n.id)?.results[year];
          return [n.id, t ? metCount(population, t) : population];
        }),
      );
      return { year, groups: [{ channel: null, population, met }] };
    }
    const share = onlineShare(ctx, year);
    const channelNorms = (c: ChannelName) => stream.norms.filter((n) => n.channel === c);
    const shared = stream.norms.filter((n) => n.channel === null);
    const total = workablePopulation(capped, resultsOf(shared));
    let online = workablePopulation(Math.round(total * share), resultsOf(channelNorms('ONLINE')));
    let paper = workablePopulation(Math.max(1, total - online), resultsOf(channelNorms('PAPER')));
    // A shared norm counts both channels: search channel counts whose sum shows its result too.
    for (let attempt = 0; attempt < 200; attempt++) {
      const plan = tryChannels(stream, targets, year, online, paper);
      if (plan) return { year, groups: plan };
      if (attempt % 2 === 0) paper = workablePopulation(paper + 1, resultsOf(channelNorms('PAPER')));
      else online = workablePopulation(online + 1, resultsOf(channelNorms('ONLINE')));
    }
    throw new Error(`cannot calibrate ${stream.key} of ${ctx.measure.code} for ${year}`);
  });
  keepPrintedChanges(stream, targets, plans);
  return plans;
}

function tryChannels(stream: Stream, targets: Map<string, NormTarget>, year: number, online: number, paper: number) {
  const groups = (['ONLINE', 'PAPER'] as const).map((channel) => ({
    channel,
    population: channel === 'ONLINE' ? online : paper,
    met: new Map<string, number>(),
  }));
  for (const g of groups) {
    for (const n of stream.norms.filter((x) => x.channel === g.channel)) {
      const t = targets.get(n.id)?.results[year];
      g.met.set(n.id, t ? metCount(g.population, t) : g.population);
    }
  }
  for (const n of stream.norms.filter((x) => x.channel === null)) {
    const t = targets.get(n.id)?.results[year];
    // Reuse the channel norm with the same clock and rule, whose counts are then the same items.
    const twin = (c: ChannelName) =>
      stream.norms.find(
        (x) => x.channel === c && x.clock === n.clock && JSON.stringify(x.rule) === JSON.stringify(n.rule),
      );
    const on = twin('ONLINE');
    const pa = twin('PAPER');
    const onCands = on && t ? candidateCounts(online, targets.get(on.id)!.results[year]!) : [online];
    const paCands = pa && t ? candidateCounts(paper, targets.get(pa.id)!.results[year]!) : [paper];
    let found = false;
    for (const a of onCands) {
      for (const b of paCands) {
        if (!t || showsAs(a + b, online + paper, t)) {
          groups[0]!.met.set(n.id, a);
          groups[1]!.met.set(n.id, b);
          if (on) groups[0]!.met.set(on.id, a);
          if (pa) groups[1]!.met.set(pa.id, b);
          found = true;
          break;
        }
      }
      if (found) break;
    }
    if (!found) return null;
  }
  return groups;
}

/**
 * Re-picks the counts of both years so the printed change versus 2019 comes out too. When the 2019
 * population is too small for that (a share printed to the percent from a few dozen dossiers
 * rarely gives the printed change), the 2019 population grows until it does.
 */
function keepPrintedChanges(stream: Stream, targets: Map<string, NormTarget>, plans: StreamYearPlan[]): void {
  const [before, after] = [plans.find((p) => p.year === 2019), plans.find((p) => p.year === 2020)];
  if (!before || !after || before.groups.length !== 1 || after.groups.length !== 1) return;
  const [g19, g20] = [before.groups[0]!, after.groups[0]!];
  const withChange = stream.norms.filter((n) => {
    const t = targets.get(n.id);
    return t?.deltaPpt && t.results[2019] && t.results[2020];
  });
  if (withChange.length === 0 || g20.population === 0) return;
  const pairFor = (n: NormDefinition, p19: number, p20: number): [number, number] | undefined => {
    const t = targets.get(n.id)!;
    return candidateCounts(p20, t.results[2020]!)
      .flatMap((k20) => candidateCounts(p19, t.results[2019]!).map((k19) => [k19, k20] as [number, number]))
      .find(([k19, k20]) => deltaShowsAs(k19 / p19, k20 / p20, t.deltaPpt!));
  };
  const start19 = Math.max(g19.population, 1);
  const start20 = g20.population;
  for (let p20 = start20; p20 <= start20 * 2 + 100; p20++) {
    for (let p19 = start19; p19 <= start19 * 5 + 400; p19++) {
      const picks = new Map<string, [number, number]>();
      for (const n of withChange) {
        const pair = pairFor(n, p19, p20);
        if (!pair) break;
        picks.set(n.id, pair);
      }
      if (picks.size < withChange.length) continue;
      resize(stream, targets, g19, 2019, p19);
      resize(stream, targets, g20, 2020, p20);
      for (const [id, [k19, k20]] of picks) {
        g19.met.set(id, k19);
        g20.met.set(id, k20);
      }
      return;
    }
  }
}

/** Gives a group another population, other norms of the stream still showing their result. */
function resize(
  stream: Stream,
  targets: Map<string, NormTarget>,
  group: StreamYearPlan['groups'][number],
  year: number,
  population: number,
) {
  if (group.population === population) return;
  for (const n of stream.norms) {
    const t = targets.get(n.id)?.results[year];
    group.met.set(n.id, t ? metCount(population, t) : population);
  }
  group.population = population;
}
