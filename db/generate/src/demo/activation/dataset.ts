import { publishedMeasures } from '@measure-graph/db';
import { PERMIT_MEASURE, SINGLE_PERMIT_KINDS } from '@measure-graph/activation/permits/rules';
import { generateDossiers } from '../dossiers/dossier-generator.ts';
import type { SeedProfile } from '../profile.ts';
import { generateAppeal } from './appeals.ts';
import { generateIwl } from './iwl.ts';
import { generateCombinedProcedure } from './permits.ts';

type Rows = ReturnType<typeof generateDossiers>;

/** SQL timestamp "2020-03-02 09:30:00" to the format's local date-time "2020-03-02T09:30:00". */
const localTime = (sql: string) => sql.replace(' ', 'T');

/**
 * The `APPEAL_DECIDED` events seedAppeals writes on the generated activation dossiers (one per
 * `APPEALED` event whose appeal is decided), as [dossier id, type, time]: dossiers.jsonl carries
 * them, appeals.jsonl refers to them.
 */
export function* appealDecisionEvents(events: Rows['events']): Generator<[number, string, string]> {
  for (const [id, type, at] of events) {
    if (type !== 'APPEALED') continue;
    const { decidedAt } = generateAppeal(String(id), at);
    if (decidedAt !== null) yield [id, 'APPEAL_DECIDED', decidedAt];
  }
}

/**
 * The activation domain's own records of the demo data as rows of appeals.jsonl and
 * combined-procedures.jsonl (docs/data-format.md): what seedAppeals and seedCombinedProcedures write
 * after the generated dossiers, with the dossiers named by their sourceRef in dossiers.jsonl
 * (`<measure>-<generated id>`).
 */
export function activationLines(profile: SeedProfile): { appeals: object[]; combinedProcedures: object[] } {
  const rows = generateDossiers(
    publishedMeasures().filter((m) => m.domain === 'activation'),
    profile,
  );
  const measureOf = new Map<number, string>(rows.dossiers.map((d) => [d[0], d[1]]));
  const ref = (id: number) => `${measureOf.get(id)}-${id}`;
  // As seedAppeals reads the events: by time, then dossier.
  const appealed = rows.events
    .filter(([, type]) => type === 'APPEALED')
    .sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[0] - b[0]));
  const appeals = appealed.map(([id, , at]) => {
    const a = generateAppeal(String(id), at);
    return {
      dossierRef: ref(id),
      lodgedOn: localTime(at),
      grounds: a.grounds,
      outcome: a.outcome,
      ...(a.decidedAt !== null ? { decidedOn: localTime(a.decidedAt) } : {}),
    };
  });
  const grantedOn = new Map<number, string>();
  for (const [id, type, at] of rows.events) {
    if (type !== 'GRANTED') continue;
    const day = at.slice(0, 10);
    const before = grantedOn.get(id);
    if (before === undefined || day > before) grantedOn.set(id, day);
  }
  const combinedProcedures = rows.dossiers
    .filter(
      ([id, measure, kind, , , , status]) =>
        measure === PERMIT_MEASURE && SINGLE_PERMIT_KINDS.includes(kind) && status === 'GRANTED' && grantedOn.has(id),
    )
    .sort((a, b) => a[0] - b[0])
    .map(([id]) => {
      const p = generateCombinedProcedure(String(id), grantedOn.get(id)!);
      return {
        dossierRef: ref(id),
        sentOn: p.sentOn,
        federalReference: p.reference,
        federalDecision: p.decision,
        ...(p.decidedOn !== null ? { federalDecidedOn: p.decidedOn } : {}),
      };
    });
  return { appeals, combinedProcedures };
}

/** Exact cents to euros as the format writes them ("1250000", "1250000.50"). */
const euros = (cents: number) => (cents % 100 === 0 ? `${cents / 100}` : (cents / 100).toFixed(2));

/** The IWL tender seedIwl writes, as rows of iwl-tenders.jsonl (docs/data-format.md). */
export function iwlTenderLines(): object[] {
  const { tender } = generateIwl();
  const { lots, ...fields } = tender;
  return [
    {
      ...fields,
      lots: lots.map((l) => ({
        id: l.id,
        provinceCode: l.provinceCode,
        ...(l.awardedKbo !== null ? { awardedKbo: l.awardedKbo, awardedOn: l.awardedOn } : {}),
        bids: l.bids.map((b) => ({
          kbo: b.kbo,
          selected: b.selected,
          selectionNote: b.selectionNote,
          ...(b.qualityScore !== null ? { qualityScore: b.qualityScore } : {}),
          ...(b.priceCents !== null ? { price: euros(b.priceCents) } : {}),
        })),
        ...(l.monitoring.length > 0 ? { monitoring: l.monitoring } : {}),
      })),
    },
  ];
}

/** The WEP+ promoters seedIwl writes, each with its places, as rows of wep-promoters.jsonl (docs/data-format.md). */
export function wepPromoterLines(): object[] {
  const { promoters, places } = generateIwl();
  return promoters.map((p) => ({
    kbo: p.kbo,
    type: p.type,
    ...(p.umbrella !== null ? { umbrella: p.umbrella } : {}),
    places: places.filter((w) => w.kbo === p.kbo).map(({ module, year, places }) => ({ module, year, places })),
  }));
}
