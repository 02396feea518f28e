import type { PublishedMeasure } from '@measure-graph/db';
import { generateOrganisations, generatePersons } from '../parties.ts';
import { Prng } from '../prng.ts';
import { normTargetsOf } from './calibration.ts';
import { at, placeEnd, sqlTimestamp, startFor } from './item-placement.ts';
import { normDefinitionsOf, type NormDefinition, type NormRule } from './norm-rules.ts';
import { planStream, streamsOf, type Stream } from './streams.ts';

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

class MeasureGenerator {
  private nextDossier: number;
  private readonly prng: Prng;
  /** Payments not funded by the budget (overflow); see calibrateMoney. */
  readonly overflow: Set<unknown[]>;
  private readonly orgs = generateOrganisations().map((o) => o.kboNumber);
  private readonly persons = generatePersons().map((p) => p.id);

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
    this.rows.dossiers.push([
      id,
      this.measure.code,
      kind,
      channel,
      person ? null : this.prng.pick(this.orgs),
      person ? this.prng.pick(this.persons) : null,
      status,
      sqlTimestamp(receivedAt),
      completedAt === null ? null : sqlTimestamp(completedAt),
      referenceDate,
    ]);
    this.rows.events.push([id, 'RECEIVED', sqlTimestamp(receivedAt)]);
    return id;
  }

  generate(): void {
    const firstPayment = this.rows.payments.length;
    this.generateStreams();
    this.calibrateMoney(firstPayment);
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
    // A measure that publishes how many dossiers it handled but has no decision norm still has
    // those decisions: a stream without norms, sized by the published volume.
    const decides = streams.some(
      (st) => st.endTypes[0] === 'GRANTED' && (st.kinds === null || st.kinds.includes('APPLICATION')),
    );
    if (!decides) streams.push({ key: 'GRANTED|REFUSED/*', endTypes: ['GRANTED', 'REFUSED'], kinds: null, norms: [] });
    const carriers = new Map<number, number[]>();
    for (const stream of streams) {
      for (const plan of planStream(this.measure, stream, targets, SEED_YEARS, cap)) {
        for (const group of plan.groups) {
          for (let j = 0; j < group.population; j++) {
            const met = (n: NormDefinition) => j < (group.met.get(n.id) ?? group.population);
            const channel = group.channel ?? (this.prng.next() < 0.8 ? 'ONLINE' : 'PAPER');
            if (stream.endTypes[0] === 'PAID') this.payment(stream, plan.year, met, channel, carriers);
            else this.stage(stream, plan.year, met, channel);
          }
        }
      }
    }
  }

  /** One dossier reaching a stage (admissible, decided, advised, a milestone) in `year`. */
  private stage(stream: Stream, year: number, met: (n: NormDefinition) => boolean, channel: string): void {
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
      // is part of the total time, so it stays within the total a met total-time norm allows.
      const [lo, hi] = bucket(receivedNorms, met);
      const [wLo, wHi] = bucket(completedNorms, met);
      const wse = completedNorms.length > 0 ? pickIn([wLo, Math.min(wHi, hi)], prng) : 0;
      const total =
        receivedNorms.length > 0 ? pickIn([Math.max(lo, wse), Math.max(hi, wse)], prng) : wse + prng.int(0, 3);
      const yearStart = at(`${year}-01-01`);
      const latest = at(`${year}-12-31`, 17);
      end = yearStart + Math.ceil(total) * DAY_MS + prng.next() * (latest - yearStart - Math.ceil(total) * DAY_MS);
      received = end - total * DAY_MS;
      if (completedNorms.length > 0) completed = end - wse * DAY_MS;
    }
    const endType =
      stream.endTypes.length > 1 && (norms.length ? !met(norms[0]!) && prng.next() < 0.3 : prng.next() < 0.15)
        ? stream.endTypes[1]!
        : stream.endTypes[0]!;
    const status =
      { GRANTED: 'GRANTED', REFUSED: 'REFUSED', ADMISSIBLE: 'ADMISSIBLE', INADMISSIBLE: 'INADMISSIBLE' }[endType] ??
      'RECEIVED';
    const id = this.dossier(stream.kinds?.[0] ?? 'APPLICATION', channel, received, completed, status, referenceDate);
    this.rows.events.push([id, endType, sqlTimestamp(end)]);
  }

  /** One payment made in `year`, on a dossier granted before it was requested. */
  private payment(
    stream: Stream,
    year: number,
    met: (n: NormDefinition) => boolean,
    channel: string,
    carriers: Map<number, number[]>,
  ): void {
    const prng = this.prng;
    const norms = stream.norms.filter((n) => n.channel === null || n.channel === channel);
    const deadlineNorm = norms.find((n) => !isDuration(n.rule) && n.rule.type !== 'WITHIN_MONTHS');
    const placed = placeEnd(deadlineNorm?.rule ?? null, deadlineNorm ? met(deadlineNorm) : true, year, prng);
    const within = norms.filter((n) => n.rule.type === 'WITHIN_DAYS' || n.rule.type === 'WITHIN_MONTHS');
    let requested = placed.end - prng.int(1, 10) * DAY_MS;
    if (within.length > 0) {
      const rule = within.find((n) => n.rule.type === 'WITHIN_MONTHS');
      if (rule) requested = startFor(rule.rule, met(rule), placed.end, prng);
      else requested = placed.end - pickIn(bucket(within, met), prng) * DAY_MS;
    }
    // Payments hang on dossiers granted the year before the first seeded year (running files).
    const pool = carriers.get(year) ?? [];
    if (pool.length === 0 || prng.next() < 1 / 12) {
      const receivedAt = at(`${SEED_YEARS[0]! - 1}-0${prng.int(1, 6)}-1${prng.int(0, 9)}`, 10);
      const id = this.dossier('APPLICATION', channel, receivedAt, null, 'GRANTED', `${SEED_YEARS[0]! - 1}-01-01`);
      this.rows.events.push([id, 'GRANTED', sqlTimestamp(receivedAt + 20 * DAY_MS)]);
      pool.push(id);
      carriers.set(year, pool);
    }
    const dossierId = prng.pick(pool);
    this.rows.payments.push([
      dossierId,
      stream.kinds?.[0] ?? 'PAYMENT',
      placed.instalment,
      placed.period,
      sqlTimestamp(Math.min(requested, placed.end)),
      sqlTimestamp(placed.end),
      BigInt(prng.int(5_000, 500_000)),
    ]);
  }
}

/** Generates every dossier, event and payment of a domain's measures (deterministic). */
export function generateDossiers(measures: PublishedMeasure[], profile: SeedProfile): Rows {
  const rows: Rows = { dossiers: [], events: [], payments: [], commitments: [], budgets: [] };
  const overflow = new Set<unknown[]>();
  let next = 1;
  for (const measure of measures) {
    const generator = new MeasureGenerator(measure, rows, next, profile, overflow);
    generator.generate();
    next = generator.lastId + 1;
  }
  for (const payment of rows.payments) payment.push(!overflow.has(payment));
  return rows;
}
