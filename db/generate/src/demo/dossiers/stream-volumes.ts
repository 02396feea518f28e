import type { PublishedMeasure } from '@measure-graph/db';
import { candidateCounts, precisionOf } from './calibration.ts';
import type { Stream } from './streams.ts';
import type { VolumeDefinition } from '@measure-graph/measure-module/volume-rules';
import { publishedVolumeValue } from '../catalogue/volume-definitions.ts';

/**
 * Events that happen to a dossier after its decision (a recognition withdrawn, an appeal): they end
 * no stage, so they are added to earlier dossiers rather than generated as dossiers of their own.
 */
export const FOLLOW_UP_EVENTS = new Set([
  'WITHDRAWN',
  'STRUCK_OFF',
  'TRANSFERRED',
  'CLOSED_WITHOUT_FOLLOW_UP',
  'APPEALED',
  'APPEAL_DECIDED',
  'INFRINGEMENT_OPENED',
  'REVOKED',
]);

/** A measure's card and the streams its norms (and volumes) make. */
export interface VolumeContext {
  measure: PublishedMeasure;
  definitions: VolumeDefinition[];
  streams: Stream[];
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
const COUNTS_EVENTS = new Set(['EVENTS', 'DOSSIERS_HANDLED', 'ADMISSIBILITY_DECISIONS']);

/** Whether a volume row counts the kinds of dossier a stream generates (null kinds: ordinary applications). */
const countsKinds = (def: VolumeDefinition, stream: Stream) =>
  def.kinds === null || (stream.kinds ?? ['APPLICATION']).every((k) => def.kinds!.includes(k));

export const isFollowUp = (def: VolumeDefinition) =>
  def.metric === 'EVENTS' && def.eventTypes!.every((t) => FOLLOW_UP_EVENTS.has(t));

/** The volume row that counts exactly a stream's items, if the card has one. */
export function volumeOfStream(ctx: VolumeContext, stream: Stream): VolumeDefinition | undefined {
  const defs = ctx.definitions;
  if (stream.endTypes[0] === 'PAID') {
    return defs.find(
      (d) =>
        d.metric === 'PAYMENTS' &&
        (d.paymentKinds === null
          ? stream.kinds === null
          : stream.kinds !== null && sameSet(d.paymentKinds, stream.kinds)),
    );
  }
  return (
    defs.find(
      (d) => COUNTS_EVENTS.has(d.metric) && sameSet(d.eventTypes!, stream.endTypes) && countsKinds(d, stream),
    ) ??
    // Kinds of their own (new recognitions, ...) are published as received: decided in the same year.
    (stream.kinds
      ? defs.find((d) => d.metric === 'DOSSIERS_RECEIVED' && d.kinds && sameSet(d.kinds, stream.kinds!))
      : undefined) ??
    // Every received dossier is declared admissible or not.
    (stream.endTypes.includes('ADMISSIBLE')
      ? defs.find((d) => d.metric === 'DOSSIERS_RECEIVED' && d.kinds === null)
      : undefined)
  );
}

/** Rows that count one of a stream's end types (granted, refused, ...): they split its items. */
function quotaDefinitions(ctx: VolumeContext, stream: Stream): VolumeDefinition[] {
  if (stream.endTypes[0] === 'PAID') return [];
  const own = volumeOfStream(ctx, stream);
  return ctx.definitions.filter(
    (d) =>
      d !== own &&
      d.metric === 'EVENTS' &&
      d.eventTypes!.length === 1 &&
      stream.endTypes.includes(d.eventTypes![0]!) &&
      stream.endTypes.length > 1 &&
      countsKinds(d, stream),
  );
}

/** Whether a volume row is produced by the items of some stream (as its population or a split of it). */
export function isCoveredByStreams(ctx: VolumeContext, def: VolumeDefinition): boolean {
  return ctx.streams.some((s) => volumeOfStream(ctx, s) === def || quotaDefinitions(ctx, s).includes(def));
}

/**
 * The published population of a stream in a year: its own row, the sum of rows that split it,
 * or for payment kinds without a row of their own an equal part of the measure's payments.
 */
export function streamPopulation(ctx: VolumeContext, stream: Stream, year: number): number | null {
  const value = (d: VolumeDefinition) => publishedVolumeValue(ctx.measure, d, year);
  const own = volumeOfStream(ctx, stream);
  if (own) {
    const v = value(own);
    // A row counted up to some month ("tem 3de kwartaal"): the year has proportionally more.
    return v === null ? null : own.throughMonth ? Math.round((v * 12) / own.throughMonth) : v;
  }
  const quotas = quotaDefinitions(ctx, stream).map(value);
  if (quotas.length > 0) return quotas.some((v) => v === null) ? null : quotas.reduce((a, b) => a! + b!, 0);
  if (stream.endTypes[0] === 'PAID' && stream.kinds) {
    const total = ctx.definitions.find((d) => d.metric === 'PAYMENTS' && d.paymentKinds === null && !d.throughMonth);
    const siblings = ctx.streams.filter((s) => s.endTypes[0] === 'PAID' && s.kinds && !volumeOfStream(ctx, s));
    const v = total ? value(total) : null;
    if (v === null) return null;
    const i = siblings.indexOf(stream);
    return Math.floor(v / siblings.length) + (i < v % siblings.length ? 1 : 0);
  }
  return null;
}

/**
 * How many of a stream's items of a year end in each end type, when the card says so (e.g. 412
 * fines imposed and 163 found not opportune); null when it does not.
 */
export function streamQuotas(
  ctx: VolumeContext,
  stream: Stream,
  year: number,
  population: number,
): Map<string, number> | null {
  const quotas = new Map<string, number>();
  for (const d of quotaDefinitions(ctx, stream)) {
    const v = publishedVolumeValue(ctx.measure, d, year);
    if (v !== null) quotas.set(d.eventTypes![0]!, v);
  }
  const share = ctx.definitions.find(
    (d) => d.metric === 'GRANTED_SHARE' && stream.endTypes.includes('GRANTED') && countsKinds(d, stream),
  );
  const shareValue = share ? publishedVolumeValue(ctx.measure, share, year) : null;
  if (shareValue !== null) {
    const granted = candidateCounts(population, { value: shareValue, precision: precisionOf(shareValue) })[0];
    if (granted === undefined) throw new Error(`${ctx.measure.code} ${year}: no count shows ${shareValue} granted`);
    quotas.set('GRANTED', granted);
  }
  if (quotas.size === 0) return null;
  const fixed = [...quotas.values()].reduce((a, b) => a + b, 0);
  const rest = stream.endTypes.filter((t) => !quotas.has(t));
  if (fixed > population || (rest.length === 0 && fixed !== population)) {
    throw new Error(`${ctx.measure.code} ${year}: ${population} items of ${stream.key} cannot split as ${fixed}`);
  }
  rest.forEach((t, i) => quotas.set(t, i === 0 ? population - fixed : 0));
  return quotas;
}

/** Share of dossiers received online in a year (the "% online" row), or a default. */
export function onlineShare(ctx: VolumeContext, year: number): number {
  const def = ctx.definitions.find((d) => d.metric === 'ONLINE_SHARE');
  return (def ? publishedVolumeValue(ctx.measure, def, year) : null) ?? 0.8;
}
