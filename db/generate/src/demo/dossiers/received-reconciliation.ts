import type { Prng } from '../prng.ts';
import { showsAs } from './calibration.ts';
import { at } from './item-placement.ts';

const HOUR_MS = 3_600_000;
const yearOf = (ms: number): number => new Date(ms).getUTCFullYear();
const ADMISSIBILITY = new Set(['ADMISSIBLE']);
const DECISION = new Set(['GRANTED', 'REFUSED', 'CANCELLED', 'CLOSED']);

/** One generated dossier before it gets an id: the unit the received volumes are reconciled on. */
export interface StageItem {
  kind: string;
  channel: 'ONLINE' | 'PAPER';
  /** Set by a channel-split norm plan: the item must keep it. */
  channelFixed: boolean;
  received: number;
  completed: number | null;
  referenceDate: string;
  /** Events after receipt, oldest first. */
  events: Array<[string, number]>;
  status: string;
  /**
   * Whether the whole item may move in time with its norms' outcomes unchanged: null when it may
   * not (calendar deadlines), otherwise a check of a shift (month arithmetic is not shift-invariant).
   */
  canShift: ((deltaMs: number) => boolean) | null;
  /** Merged from an admissibility item and a decision item: it may no longer move. */
  merged?: boolean;
}

const receivedIn = (items: StageItem[], year: number, kinds: string[] | null) =>
  items.filter((i) => yearOf(i.received) === year && (kinds === null || kinds.includes(i.kind)));

/**
 * Makes the number of dossiers received in each year equal the published figure, without changing
 * any norm result: the admissibility and the decision of one dossier become one dossier (its
 * admissibility event at the same delay after receipt), dossiers decided early in a year move to
 * a receipt late in the year before (durations kept), and dossiers still in treatment (received,
 * not yet decided) make up a shortfall. Years are handled newest first, since moving a dossier
 * back adds it to the year before.
 */
export function reconcileReceived(
  items: StageItem[],
  targets: Map<number, number>,
  kinds: string[] | null,
  newPending: (year: number) => StageItem,
  prng: Prng,
): void {
  for (const year of [...targets.keys()].sort((a, b) => b - a)) {
    const target = targets.get(year)!;
    let excess = receivedIn(items, year, kinds).length - target;
    if (excess > 0) excess -= merge(items, year, kinds, Math.min(excess, target));
    if (excess > 0) excess -= moveBack(items, year, kinds, excess, prng);
    if (excess > 0) throw new Error(`cannot bring the dossiers received in ${year} down to ${target}`);
    for (; excess < 0; excess++) items.push(newPending(year));
  }
}

/** Pairs admissibility items with decision items of the same year; returns how many merged. */
function merge(items: StageItem[], year: number, kinds: string[] | null, wanted: number): number {
  const single = (i: StageItem, types: Set<string>) =>
    !i.merged && i.events.length === 1 && types.has(i.events[0]![0]) && yearOf(i.received) === year;
  const candidates = receivedIn(items, year, kinds);
  const delay = (i: StageItem) => i.events[0]![1] - i.received;
  const admissions = candidates.filter((i) => single(i, ADMISSIBILITY)).sort((a, b) => delay(b) - delay(a));
  const decisions = candidates.filter((i) => single(i, DECISION)).sort((a, b) => delay(b) - delay(a));
  const absorbed = new Set<StageItem>();
  let merged = 0;
  let next = 0;
  for (const a of admissions) {
    if (merged === wanted) break;
    while (next < decisions.length && absorbed.has(decisions[next]!)) next++;
    // Longest admissibility delays go with the longest decisions; skip decisions too short for it.
    for (let j = next; j < Math.min(decisions.length, next + 200); j++) {
      const d = decisions[j]!;
      if (absorbed.has(d) || d.kind !== a.kind) continue;
      if (a.channelFixed && d.channelFixed && a.channel !== d.channel) continue;
      const admittedAt = d.received + delay(a);
      if (admittedAt >= d.events[0]![1] - HOUR_MS || yearOf(admittedAt) !== yearOf(a.events[0]![1])) continue;
      d.events.unshift(['ADMISSIBLE', admittedAt]);
      if (a.channelFixed) d.channel = a.channel;
      d.channelFixed ||= a.channelFixed;
      d.merged = true;
      absorbed.add(d);
      absorbed.add(a);
      merged++;
      break;
    }
  }
  for (let i = items.length - 1; i >= 0; i--) if (absorbed.has(items[i]!) && !items[i]!.merged) items.splice(i, 1);
  return merged;
}

/** Moves items so that they were received in the year before and end early in `year`; returns how many moved. */
function moveBack(items: StageItem[], year: number, kinds: string[] | null, wanted: number, prng: Prng): number {
  const start = at(`${year}-01-01`);
  let moved = 0;
  // Decisions first: a dossier decided in January on a December receipt is the common case.
  const order = receivedIn(items, year, kinds)
    // Only items that end in `year`: one moved here from the year after must keep its end there.
    .filter((i) => !i.merged && i.events.length === 1 && i.canShift && yearOf(i.events[0]![1]) === year)
    .sort((a, b) => Number(DECISION.has(b.events[0]![0])) - Number(DECISION.has(a.events[0]![0])));
  for (const item of order) {
    if (moved === wanted) break;
    const duration = item.events[0]![1] - item.received;
    if (duration < HOUR_MS || duration > 300 * 24 * HOUR_MS) continue;
    const newEnd = start + duration * (0.05 + 0.9 * prng.next());
    const delta = Math.round((newEnd - item.events[0]![1]) / HOUR_MS) * HOUR_MS;
    if (yearOf(item.received + delta) !== year - 1 || yearOf(item.events[0]![1] + delta) !== year) continue;
    if (!item.canShift!(delta)) continue;
    item.received += delta;
    if (item.completed !== null) item.completed += delta;
    item.events[0]![1] += delta;
    moved++;
  }
  return moved;
}

/**
 * Chooses the channel of every item whose channel is free so that the share received online in
 * each year shows as published; channel-split norms fixed the others.
 */
export function assignChannels(
  items: StageItem[],
  shares: Map<number, { value: number; precision: number }>,
  prng: Prng,
): void {
  for (const [year, share] of shares) {
    const inYear = receivedIn(items, year, null);
    const fixedOnline = inYear.filter((i) => i.channelFixed && i.channel === 'ONLINE').length;
    const free = inYear.filter((i) => !i.channelFixed);
    const ideal = share.value * inYear.length;
    let online: number | null = null;
    for (let k = fixedOnline; k <= fixedOnline + free.length; k++) {
      if (showsAs(k, inYear.length, share) && (online === null || Math.abs(k - ideal) < Math.abs(online - ideal)))
        online = k;
    }
    if (online === null) throw new Error(`no channel split of ${year} shows ${share.value} online`);
    prng.shuffle(free).forEach((item, index) => (item.channel = index < online - fixedOnline ? 'ONLINE' : 'PAPER'));
  }
}
