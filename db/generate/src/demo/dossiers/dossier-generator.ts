import type { PublishedMeasure } from '@measure-graph/db';
import { generateOrganisations, generatePersons, showcaseEmployer, showcasePerson } from '../parties.ts';
import { Prng } from '../prng.ts';
import { addMonths } from '@measure-graph/subgraph-platform/calendar';
import { normTargetsOf, precisionOf } from './calibration.ts';
import { at, dateOf, placeEnd, sqlTimestamp, startFor } from './item-placement.ts';
import type { NormDefinition, NormRule } from '@measure-graph/measure-module/norm-rules';
import { normDefinitionsOf } from '../catalogue/norm-definitions.ts';
import { assignChannels, reconcileReceived, type StageItem } from './received-reconciliation.ts';
import { isCoveredByStreams, isFollowUp, streamQuotas, volumeOfStream, type VolumeContext } from './stream-volumes.ts';
import { planStream, streamsOf, type Stream } from './streams.ts';
import { publishedVolumeValue, volumeDefinitionsOf } from '../catalogue/volume-definitions.ts';
import { COMPLETE_FILE_MEASURES } from '../catalogue/records.ts';

const DAY_MS = 86_400_000;
export const SEED_YEARS = [2019, 2020];

/** Measures whose applicants are persons (employees, job seekers, trainees); the others are organisations. */
const PERSON_APPLICANTS = new Set([
  'ZORGKREDIET',
  'AANMOEDIGINGSPREMIES',
  'OPLEIDINGSCHEQUES',
  'BEROEPSKAARTEN',
  'STARTSTAGEBONUS',
]);

export interface Rows {
  dossiers: Array<
    [number, string, string, string, string | null, string | null, string, string, string | null, string]
  >;
  events: Array<[number, string, string]>;
  /** dossier, kind, instalment, period, requested, paid, cents, and (added last) whether from the budget. */
  payments: Array<[number, string, number, string, string, string, bigint, boolean?]>;
  /** Commitments (vastleggingen): measure, date, cents. */
  commitments: Array<[string, string, bigint]>;
  /** Next year's budget: measure, year, VAK cents, VEK cents. */
  budgets: Array<[string, number, bigint | null, bigint | null]>;
  /** Figures registered from other systems: volume row, period (month or year), value. */
  registered: Array<[string, string, number]>;
}

/** Euros with cents (as printed) to exact cents. */
const cents = (euros: number): bigint => BigInt(Math.round(euros * 100));

/**
 * Splits `total` cents over `weights` exactly (largest remainders), every share at least one cent:
 * the seeded payments of a year then add up to the published realisation to the cent.
 */
export function splitExactly(total: bigint, weights: number[]): bigint[] {
  const n = BigInt(weights.length);
  if (n === 0n || total < n) throw new Error(`cannot split ${total} cents over ${weights.length} payments`);
  const spare = total - n;
  const sum = weights.reduce((a, b) => a + b, 0);
  const scaled = weights.map((w) => (Number(spare) * w) / sum);
  const shares = scaled.map((x) => BigInt(Math.floor(x)));
  let left = spare - shares.reduce((a, b) => a + b, 0n);
  const order = scaled.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  // Float rounding can leave the shares a few cents over or under: settle them one by one.
  for (let k = 0; left !== 0n; k = (k + 1) % order.length) {
    const i = order[k]![1];
    if (left > 0n) {
      shares[i] = shares[i]! + 1n;
      left--;
    } else if (shares[i]! > 0n) {
      shares[i] = shares[i]! - 1n;
      left++;
    }
  }
  return shares.map((share) => share + 1n);
}

/** Seed size: `full` reproduces the report's volumes; `small` caps each population (results still calibrated). */
export type SeedProfile = 'full' | 'small';
const SMALL_CAP = 400;

const isDuration = (rule: NormRule) => rule.type === 'WITHIN_DAYS';

/** Bucket (lo, hi] of durations in days that meets exactly the flagged WITHIN_DAYS norms. */
function bucket(norms: NormDefinition[], met: (n: NormDefinition) => boolean): [number, number] {
  let lo = 0;
  let hi = Infinity;
  for (const n of norms) {
    const days = (n.rule as { days: number }).days;
    if (met(n)) hi = Math.min(hi, days);
    else lo = Math.max(lo, days);
  }
  return [lo, hi];
}

const pickIn = ([lo, hi]: [number, number], prng: Prng): number =>
  hi === Infinity ? lo * (1.05 + prng.next()) + 0.5 : lo + (hi - lo) * (0.05 + 0.95 * prng.next());

/** Status a dossier has after its last stage event. */
const STATUS_AFTER: Record<string, string> = {
  GRANTED: 'GRANTED',
  REFUSED: 'REFUSED',
  ADMISSIBLE: 'ADMISSIBLE',
  INADMISSIBLE: 'INADMISSIBLE',
  CANCELLED: 'CANCELLED',
  CLOSED: 'CLOSED',
};

/** Measures whose decisions are sanctions: an appeal contests a granted (imposed) decision. */
const APPEAL_AGAINST_GRANT = new Set(['ADMIN_GELDBOETES']);

/** Splits a whole count over months (largest remainders), zero months allowed. */
function splitCount(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const scaled = weights.map((w) => (total * w) / sum);
  const shares = scaled.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = scaled.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k++, left--) shares[order[k % order.length]![1]]!++;
  return shares;
}

class MeasureGenerator {
  private nextDossier: number;
  private readonly prng: Prng;
  /** Payments not funded by the budget (overflow); see calibrateMoney. */
  readonly overflow: Set<unknown[]>;
  private readonly orgs = generateOrganisations().map((o) => o.kboNumber);
  private readonly persons = generatePersons().map((p) => p.id);
  /** Dossiers of the stage streams, before they get ids: the received volumes are reconciled on them. */
  private readonly items: StageItem[] = [];
  /** Running files (granted before the seeded years) that payments hang on, per year. */
  private readonly paymentCarriers = new Map<number, number[]>();
  private readonly ctx: VolumeContext;
  private firstPayment = 0;
  private showcased = false;

  constructor(
    private readonly measure: PublishedMeasure,
    private readonly rows: Rows,
    firstId: number,
    private readonly profile: SeedProfile,
    overflow: Set<unknown[]>,
  ) {
    this.overflow = overflow;
    this.nextDossier = firstId;
    // One stream of random numbers per measure: adding a measure does not change the others' data.
    this.prng = new Prng([...measure.code].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261));
    this.ctx = { measure, definitions: volumeDefinitionsOf(measure), streams: [] };
  }

  get lastId(): number {
    return this.nextDossier - 1;
  }

  private dossier(
    kind: string,
    channel: string,
    receivedAt: number,
    completedAt: number | null,
    status: string,
    referenceDate: string,
  ): number {
    const id = this.nextDossier++;
    const person = PERSON_APPLICANTS.has(this.measure.code);
    // The first dossier of every measure is the showcase applicant's (see parties.ts).
    const showcase = !this.showcased;
    this.showcased = true;
    this.rows.dossiers.push([
      id,
      this.measure.code,
      kind,
      channel,
      person ? null : showcase ? showcaseEmployer().kboNumber : this.prng.pick(this.orgs),
      person ? (showcase ? showcasePerson().id : this.prng.pick(this.persons)) : null,
      status,
      sqlTimestamp(receivedAt),
      completedAt === null ? null : sqlTimestamp(completedAt),
      referenceDate,
    ]);
    this.rows.events.push([id, 'RECEIVED', sqlTimestamp(receivedAt)]);
    return id;
  }

  /** A file decided before the first seeded year (status GRANTED, REFUSED, ...), for later events. */
  private runningFile(status: string, channel = 'ONLINE'): number {
    const before = SEED_YEARS[0]! - 1;
    const receivedAt = at(`${before}-0${this.prng.int(1, 6)}-1${this.prng.int(0, 9)}`, 10);
    const id = this.dossier('APPLICATION', channel, receivedAt, null, status, `${before}-01-01`);
    if (status !== 'RECEIVED' && status !== 'CLOSED')
      this.rows.events.push([id, status, sqlTimestamp(receivedAt + 20 * DAY_MS)]);
    return id;
  }

  generate(): void {
    this.firstPayment = this.rows.payments.length;
    this.generateStreams();
    // The small profile caps populations, so the card's volumes cannot come out; it keeps only
    // what is cheap (follow-up events, registered figures).
    if (this.profile === 'full') {
      this.calibrateLeadTimes();
      this.reconcileReceived();
    }
    this.emitItems();
    // Follow-up events are few (recognitions ended, appeals): every profile has them.
    this.addFollowUpEvents();
    if (this.profile === 'full') this.fillPayments();
    this.registerFigures();
    this.calibrateMoney(this.firstPayment);
  }

  /**
   * Makes the money add up: the payments of 2020 sum exactly to the published VEK realisation
   * (a measure without payment norms gets monthly payments for it), twelve monthly commitments to
   * the published VAK, and the 2021 budget is recorded as planned.
   */
  private calibrateMoney(firstPayment: number): void {
    const { vek2020Realised, vak2020Realised, vek2021Budget, vak2021Budget } = this.measure.budget;
    const year = 2020;
    if (vek2020Realised === 0) {
      // Paid, yet no realisation: these payments came from the overflow account (D48).
      for (const p of this.rows.payments.slice(firstPayment)) this.overflow.add(p);
    }
    if (vek2020Realised) {
      let own = this.rows.payments.slice(firstPayment).filter((p) => p[5].startsWith(`${year}`));
      if (own.length === 0) {
        // Granted before the first seeded year, like every running file that only receives payments.
        const before = SEED_YEARS[0]! - 1;
        const carrier = this.dossier(
          'APPLICATION',
          'ONLINE',
          at(`${before}-11-02`, 10),
          null,
          'GRANTED',
          `${before}-01-01`,
        );
        this.rows.events.push([carrier, 'GRANTED', sqlTimestamp(at(`${before}-11-20`, 10))]);
        for (let month = 1; month <= 12; month++) {
          const period = `${year}-${String(month).padStart(2, '0')}-01`;
          this.rows.payments.push([
            carrier,
            'PAYMENT',
            1,
            period,
            sqlTimestamp(at(period, 9)),
            sqlTimestamp(at(period, 15)),
            1n,
          ]);
        }
        own = this.rows.payments.slice(-12);
      }
      const amounts = splitExactly(
        cents(vek2020Realised),
        own.map(() => 0.5 + this.prng.next()),
      );
      own.forEach((p, i) => (p[6] = amounts[i]!));
    }
    if (vak2020Realised) {
      const monthly = splitExactly(
        cents(vak2020Realised),
        Array.from({ length: 12 }, () => 0.5 + this.prng.next()),
      );
      monthly.forEach((amount, i) =>
        this.rows.commitments.push([this.measure.code, `${year}-${String(i + 1).padStart(2, '0')}-15`, amount]),
      );
    }
    if (vek2021Budget !== null || vak2021Budget !== null) {
      this.rows.budgets.push([
        this.measure.code,
        year + 1,
        vak2021Budget === null ? null : cents(vak2021Budget),
        vek2021Budget === null ? null : cents(vek2021Budget),
      ]);
    }
  }

  private generateStreams(): void {
    const definitions = normDefinitionsOf(this.measure);
    const targets = new Map(normTargetsOf(this.measure).map((t) => [t.normId, t]));
    const cap = this.profile === 'small' ? SMALL_CAP : Infinity;
    const streams = streamsOf(definitions);
    this.ctx.streams = streams;
    // Stages the card counts but no norm measures (handled dossiers without a decision norm,
    // assessed reports, ...) still happen: streams without norms, sized by the card.
    for (const def of this.ctx.definitions) {
      const stage = ['EVENTS', 'DOSSIERS_HANDLED', 'ADMISSIBILITY_DECISIONS'].includes(def.metric) && !isFollowUp(def);
      if (!stage || isCoveredByStreams(this.ctx, def)) continue;
      const kinds = def.metric === 'DOSSIERS_HANDLED' ? null : def.kinds;
      streams.push({ key: `volume:${def.id}`, endTypes: def.eventTypes!, kinds, norms: [] });
    }
    for (const stream of streams) {
      const window = volumeOfStream(this.ctx, stream)?.throughMonth ?? null;
      for (const plan of planStream(this.ctx, stream, targets, SEED_YEARS, cap)) {
        for (const group of plan.groups) {
          // The split of end types follows the card only where the population is the card's too.
          const quotas = this.profile === 'full' ? streamQuotas(this.ctx, stream, plan.year, group.population) : null;
          // A row counted up to a month: spread that many of the year's items evenly over those months.
          const early = window === null ? null : (published(this.ctx, stream, plan.year) ?? 0);
          for (let j = 0; j < group.population; j++) {
            const met = (n: NormDefinition) => j < (group.met.get(n.id) ?? group.population);
            const channel = group.channel ?? (this.prng.next() < 0.8 ? 'ONLINE' : 'PAPER');
            if (stream.endTypes[0] === 'PAID') {
              const months: [number, number] | undefined =
                early === null
                  ? undefined
                  : Math.floor(((j + 1) * early) / group.population) > Math.floor((j * early) / group.population)
                    ? [1, window!]
                    : [window! + 1, 12];
              this.payment(stream, plan.year, met, channel, months);
            } else this.stage(stream, plan.year, met, channel, group.channel !== null, quotas);
          }
        }
      }
    }
  }

  /** One dossier reaching a stage (admissible, decided, advised, a milestone) in `year`. */
  private stage(
    stream: Stream,
    year: number,
    met: (n: NormDefinition) => boolean,
    channel: 'ONLINE' | 'PAPER',
    channelFixed: boolean,
    quotas: Map<string, number> | null,
  ): void {
    const prng = this.prng;
    // Only the norms that count this item: a paper dossier is no item of an online norm.
    const norms = stream.norms.filter((n) => n.channel === null || n.channel === channel);
    const deadlineNorm = norms.find((n) => !isDuration(n.rule) && n.clock !== 'COMPLETED');
    const completedNorms = norms.filter((n) => n.clock === 'COMPLETED' && isDuration(n.rule));
    const receivedNorms = norms.filter((n) => n.clock === 'RECEIVED' && isDuration(n.rule));
    let end: number;
    let received: number;
    let completed: number | null = null;
    let referenceDate = `${year}-01-01`;
    if (deadlineNorm) {
      const placed = placeEnd(deadlineNorm.rule, met(deadlineNorm), year, prng);
      end = placed.end;
      referenceDate = placed.referenceDate;
      received = startFor(deadlineNorm.rule, met(deadlineNorm), end, prng);
    } else {
      // Durations first, then an end late enough that the whole dossier lies in the year. WSE time
      // is part of the total time, so it stays within the total a met total-time norm allows. A
      // stage no norm measures takes a few weeks.
      const [lo, hi] = bucket(receivedNorms, met);
      const [wLo, wHi] = bucket(completedNorms, met);
      const wse = completedNorms.length > 0 ? pickIn([wLo, Math.min(wHi, hi)], prng) : 0;
      const total =
        receivedNorms.length > 0
          ? pickIn([Math.max(lo, wse), Math.max(hi, wse)], prng)
          : wse + (norms.length === 0 ? prng.int(5, 45) + prng.next() : prng.int(0, 3));
      const yearStart = at(`${year}-01-01`);
      const latest = at(`${year}-12-31`, 17);
      end = yearStart + Math.ceil(total) * DAY_MS + prng.next() * (latest - yearStart - Math.ceil(total) * DAY_MS);
      received = end - total * DAY_MS;
      if (completedNorms.length > 0) completed = end - wse * DAY_MS;
    }
    let endType: string;
    if (quotas) {
      // Draw without replacement: the year's items end exactly as the card splits them.
      let pick = prng.next() * [...quotas.values()].reduce((a, b) => a + b, 0);
      endType = [...quotas.keys()].find((t) => (pick -= quotas.get(t)!) < 0) ?? [...quotas.keys()].pop()!;
      quotas.set(endType, quotas.get(endType)! - 1);
    } else {
      endType =
        stream.endTypes.length > 1 && (norms.length ? !met(norms[0]!) && prng.next() < 0.3 : prng.next() < 0.15)
          ? stream.endTypes[1]!
          : stream.endTypes[0]!;
    }
    const shiftable = norms.every((n) => ['WITHIN_DAYS', 'AT_LEAST_DAYS', 'WITHIN_MONTHS'].includes(n.rule.type));
    const months = norms.filter((n) => n.rule.type === 'WITHIN_MONTHS');
    const item: StageItem = {
      kind: stream.kinds?.[0] ?? 'APPLICATION',
      channel,
      channelFixed,
      received,
      completed,
      referenceDate,
      events: [[endType, end]],
      status: STATUS_AFTER[endType] ?? 'RECEIVED',
      canShift: shiftable
        ? (delta) =>
            // Month arithmetic clamps at month ends: a shifted item must keep every outcome.
            months.every((n) => {
              const start = (n.clock === 'COMPLETED' ? item.completed! : item.received) + delta;
              const deadline = at(addMonths(dateOf(start), (n.rule as { months: number }).months)) + (start % DAY_MS);
              return item.events[0]![1] + delta <= deadline === met(n);
            })
        : null,
    };
    this.items.push(item);
  }

  /**
   * Makes the average lead time of a year's decisions the published one ("Gemiddelde
   * WSE-doorlooptijd 2019: 30,9 dagen" for work permits) without changing whether any decision met
   * its norm: decisions within the threshold shrink (or stay), late ones stretch beyond it.
   * Receipts move, decisions stay; received volumes are reconciled afterwards.
   */
  private calibrateLeadTimes(): void {
    const facts = (this.measure as { facts?: Array<{ label: string; value: number | null }> }).facts ?? [];
    const decisionNorm = normDefinitionsOf(this.measure).find(
      (n) => n.endTypes.includes('GRANTED') && n.rule.type === 'WITHIN_DAYS' && n.clock === 'RECEIVED' && !n.kinds,
    );
    for (const fact of facts) {
      const m = /^Gemiddelde WSE-doorlooptijd (\d{4})/.exec(fact.label);
      if (!m || fact.value === null || !decisionNorm) continue;
      const year = Number(m[1]);
      const limit = (decisionNorm.rule as { days: number }).days * DAY_MS;
      const items = this.items.filter(
        (i) =>
          i.events.length === 1 &&
          ['GRANTED', 'REFUSED'].includes(i.events[0]![0]) &&
          i.kind === 'APPLICATION' &&
          i.completed === null &&
          new Date(i.events[0]![1]).getUTCFullYear() === year,
      );
      const duration = (i: StageItem) => i.events[0]![1] - i.received;
      const met = items.filter((i) => duration(i) <= limit);
      const late = items.filter((i) => duration(i) > limit);
      const target = fact.value * DAY_MS * items.length;
      const sumMet = met.reduce((a, i) => a + duration(i), 0);
      const excess = late.reduce((a, i) => a + duration(i) - limit, 0);
      // Shrink everything towards the threshold when the target is below, stretch the late ones when above.
      const current = sumMet + late.length * limit + excess;
      const [a, b] =
        target < current
          ? [(target - late.length * limit) / (sumMet + excess), (target - late.length * limit) / (sumMet + excess)]
          : [1, (target - sumMet - late.length * limit) / excess];
      if (!(a > 0 && b > 0))
        throw new Error(`${this.measure.code} ${year}: cannot reach an average lead time of ${fact.value}`);
      for (const i of met) i.received = i.events[0]![1] - duration(i) * a;
      for (const i of late) i.received = i.events[0]![1] - (limit + (duration(i) - limit) * b);
    }
  }

  /** Received dossiers of each year as published, and the share of them that came in online. */
  private reconcileReceived(): void {
    const value = (def: (typeof this.ctx.definitions)[number], year: number) =>
      publishedVolumeValue(this.measure, def, year);
    for (const def of this.ctx.definitions.filter((d) => d.metric === 'DOSSIERS_RECEIVED')) {
      const targets = new Map<number, number>();
      for (const year of SEED_YEARS) if (value(def, year) !== null) targets.set(year, value(def, year)!);
      reconcileReceived(this.items, targets, def.kinds, (year) => this.pendingItem(year, def.kinds?.[0]), this.prng);
    }
    const online = this.ctx.definitions.find((d) => d.metric === 'ONLINE_SHARE');
    if (!online) return;
    const shares = new Map<number, { value: number; precision: number }>();
    for (const year of SEED_YEARS) {
      const v = value(online, year);
      if (v !== null) shares.set(year, { value: v, precision: precisionOf(v) });
    }
    assignChannels(this.items, shares, this.prng);
  }

  /** A dossier received in `year` and still in treatment: received, nothing decided yet. */
  private pendingItem(year: number, kind = 'APPLICATION'): StageItem {
    const day = at(`${year}-01-01`) + this.prng.int(0, 364) * DAY_MS;
    return {
      kind,
      channel: this.prng.next() < 0.8 ? 'ONLINE' : 'PAPER',
      channelFixed: false,
      received: day + (8 + this.prng.next() * 9) * 3_600_000,
      completed: null,
      referenceDate: `${year}-01-01`,
      events: [],
      status: 'RECEIVED',
      canShift: null,
    };
  }

  private emitItems(): void {
    for (const item of this.items) {
      const id = this.dossier(item.kind, item.channel, item.received, item.completed, item.status, item.referenceDate);
      for (const [type, time] of item.events) this.rows.events.push([id, type, sqlTimestamp(time)]);
    }
  }

  /**
   * Events the card counts that follow a decision (recognitions withdrawn, struck off or
   * transferred, appeals, infringement files): each on a file decided before the seeded years.
   */
  private addFollowUpEvents(): void {
    for (const def of this.ctx.definitions.filter(isFollowUp)) {
      const type = def.eventTypes![0]!;
      const host = type.startsWith('APPEAL')
        ? APPEAL_AGAINST_GRANT.has(this.measure.code)
          ? 'GRANTED'
          : 'REFUSED'
        : type === 'CLOSED_WITHOUT_FOLLOW_UP'
          ? 'CLOSED'
          : 'GRANTED';
      for (const year of SEED_YEARS) {
        const count = publishedVolumeValue(this.measure, def, year) ?? 0;
        for (let i = 0; i < count; i++) {
          const id = this.runningFile(host);
          // An appeal is decided only after it was lodged: on the running file, a month after its
          // decision (before the seeded years, so no year counts an appeal it did not publish).
          if (type === 'APPEAL_DECIDED') {
            const decided = Date.parse(`${this.rows.events.at(-1)![2].replace(' ', 'T')}Z`);
            this.rows.events.push([id, 'APPEALED', sqlTimestamp(decided + 30 * DAY_MS)]);
          }
          const day = at(`${year}-01-01`) + this.prng.int(0, 364) * DAY_MS;
          this.rows.events.push([id, type, sqlTimestamp(day + (8 + this.prng.next() * 9) * 3_600_000)]);
        }
      }
    }
  }

  /** Payments the card counts beyond those its payment norms measure (kinds no norm counts). */
  private fillPayments(): void {
    const ids = new Set<number>();
    for (const d of this.rows.dossiers) if (d[1] === this.measure.code) ids.add(d[0]);
    const own = this.rows.payments.slice(this.firstPayment);
    for (const def of this.ctx.definitions.filter((d) => d.metric === 'PAYMENTS')) {
      const kind = def.paymentKinds?.[0] ?? 'PAYMENT';
      const lastMonth = def.throughMonth ?? 12;
      for (const year of SEED_YEARS) {
        const wanted = publishedVolumeValue(this.measure, def, year);
        if (wanted === null) continue;
        const counted = own.filter(
          (p) =>
            (def.paymentKinds === null || def.paymentKinds.includes(p[1])) &&
            p[5].startsWith(`${year}-`) &&
            Number(p[5].slice(5, 7)) <= lastMonth,
        ).length;
        if (counted > wanted) throw new Error(`${def.id} ${year}: ${counted} payments, the card says ${wanted}`);
        if (
          counted < wanted &&
          this.ctx.streams.some((s) => s.endTypes[0] === 'PAID' && (!s.kinds || s.kinds.includes(kind)))
        ) {
          throw new Error(`${def.id} ${year}: ${wanted - counted} more ${kind} payments would change a payment norm`);
        }
        for (let i = counted; i < wanted; i++) {
          const month = this.prng.int(1, lastMonth);
          const period = `${year}-${String(month).padStart(2, '0')}-01`;
          const paid = at(period, 9) + this.prng.int(0, 26) * DAY_MS;
          const payment: Rows['payments'][number] = [
            this.paymentCarrier(year, 'ONLINE'),
            kind,
            1,
            period,
            sqlTimestamp(paid - this.prng.int(1, 10) * DAY_MS),
            sqlTimestamp(paid),
            BigInt(this.prng.int(5_000, 500_000)),
          ];
          this.rows.payments.push(payment);
          own.push(payment);
        }
      }
    }
  }

  /** Registered figures: a stock once per year, a flow spread over the months of the year. */
  private registerFigures(): void {
    for (const def of this.ctx.definitions.filter((d) => d.metric === 'REGISTERED')) {
      for (const year of SEED_YEARS) {
        const value = publishedVolumeValue(this.measure, def, year);
        if (value === null) continue;
        if (def.registeredPer === 'YEAR' || !Number.isInteger(value)) {
          this.rows.registered.push([def.id, `${year}-01-01`, value]);
          continue;
        }
        const months = splitCount(
          value,
          Array.from({ length: 12 }, () => 0.5 + this.prng.next()),
        );
        months.forEach((v, i) =>
          this.rows.registered.push([def.id, `${year}-${String(i + 1).padStart(2, '0')}-01`, v]),
        );
      }
    }
  }

  /** A running file to hang a payment of `year` on: about twelve payments per file. */
  private paymentCarrier(year: number, channel: string): number {
    const pool = this.paymentCarriers.get(year) ?? [];
    if (pool.length === 0 || this.prng.next() < 1 / 12) {
      pool.push(this.runningFile('GRANTED', channel));
      this.paymentCarriers.set(year, pool);
    }
    return this.prng.pick(pool);
  }

  /** One payment made in `year`, on a dossier granted before it was requested. */
  private payment(
    stream: Stream,
    year: number,
    met: (n: NormDefinition) => boolean,
    channel: string,
    months?: [number, number],
  ): void {
    const prng = this.prng;
    const norms = stream.norms.filter((n) => n.channel === null || n.channel === channel);
    const deadlineNorm = norms.find((n) => !isDuration(n.rule) && n.rule.type !== 'WITHIN_MONTHS');
    const placed = placeEnd(deadlineNorm?.rule ?? null, deadlineNorm ? met(deadlineNorm) : true, year, prng, months);
    const within = norms.filter((n) => n.rule.type === 'WITHIN_DAYS' || n.rule.type === 'WITHIN_MONTHS');
    let requested = placed.end - prng.int(1, 10) * DAY_MS;
    if (within.length > 0) {
      const rule = within.find((n) => n.rule.type === 'WITHIN_MONTHS');
      if (rule) requested = startFor(rule.rule, met(rule), placed.end, prng);
      else requested = placed.end - pickIn(bucket(within, met), prng) * DAY_MS;
    }
    this.rows.payments.push([
      this.paymentCarrier(year, channel),
      stream.kinds?.[0] ?? 'PAYMENT',
      placed.instalment,
      placed.period,
      sqlTimestamp(Math.min(requested, placed.end)),
      sqlTimestamp(placed.end),
      BigInt(prng.int(5_000, 500_000)),
    ]);
  }
}

/** The published value of the row a stream's population comes from, as printed (before scaling). */
function published(ctx: VolumeContext, stream: Stream, year: number): number | null {
  const def = volumeOfStream(ctx, stream);
  return def ? publishedVolumeValue(ctx.measure, def, year) : null;
}

/** Generates every dossier, event and payment of a domain's measures (deterministic). */
export function generateDossiers(measures: PublishedMeasure[], profile: SeedProfile): Rows {
  const rows: Rows = { dossiers: [], events: [], payments: [], commitments: [], budgets: [], registered: [] };
  const overflow = new Set<unknown[]>();
  let next = 1;
  for (const measure of measures) {
    const generator = new MeasureGenerator(measure, rows, next, profile, overflow);
    generator.generate();
    next = generator.lastId + 1;
  }
  for (const payment of rows.payments) payment.push(!overflow.has(payment));
  grantBeforeRequests(rows);
  completeBeforeDecision(rows);
  return rows;
}

/**
 * Work permits and professional cards are decided on a complete file only: a decided dossier of
 * theirs that no norm gave a completion time was complete when it came in. Every clock that starts
 * at completion falls back to receipt, so no figure changes.
 */
function completeBeforeDecision(rows: Rows): void {
  const decided = new Set<number>();
  for (const e of rows.events) if (e[1] === 'GRANTED' || e[1] === 'REFUSED') decided.add(e[0]);
  for (const d of rows.dossiers)
    if (COMPLETE_FILE_MEASURES.has(d[1]) && d[8] === null && decided.has(d[0])) d[8] = d[7];
}

/**
 * A payment is requested on a granted dossier: a running file whose first payment was requested
 * before its grant (a payment norm's clock can start months before the payment) is moved back, so
 * that it was received and granted (20 days later) before that request. Only files received
 * before the seeded years are moved, and they stay before them.
 */
function grantBeforeRequests(rows: Rows): void {
  const firstRequest = new Map<number, string>();
  for (const p of rows.payments) {
    const known = firstRequest.get(p[0]);
    if (known === undefined || p[4] < known) firstRequest.set(p[0], p[4]);
  }
  const events = new Map<number, Rows['events']>();
  for (const e of rows.events) {
    if (!firstRequest.has(e[0])) continue;
    let list = events.get(e[0]);
    if (!list) events.set(e[0], (list = []));
    list.push(e);
  }
  const ms = (sql: string) => Date.parse(`${sql.replace(' ', 'T')}Z`);
  for (const dossier of rows.dossiers) {
    const request = firstRequest.get(dossier[0]);
    const grant = events.get(dossier[0])?.find((e) => e[1] === 'GRANTED');
    if (request === undefined || !grant || grant[2] <= request) continue;
    if (dossier[7] >= `${SEED_YEARS[0]}`) throw new Error(`dossier ${dossier[0]}: paid before it was granted`);
    const shift = ms(grant[2]) - (ms(request) - DAY_MS);
    for (const e of events.get(dossier[0])!) e[2] = sqlTimestamp(ms(e[2]) - shift);
    dossier[7] = sqlTimestamp(ms(dossier[7]) - shift);
    dossier[9] = `${dossier[7].slice(0, 4)}-01-01`;
  }
}
