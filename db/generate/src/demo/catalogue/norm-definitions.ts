import type { PublishedMeasure, PublishedNorm } from '@measure-graph/db';
import { STAGE_END_TYPES, type NormDefinition, type NormRule } from '@measure-graph/measure-module/norm-rules';

/**
 * How the published report's norms are read as evaluable definitions (measures.jsonl's rule
 * columns): the generic threshold parser and the overrides where the wording needs more. Moved from
 * the kit: the runtime evaluates the stored rules, it no longer derives them from the report.
 */

/** Norms whose wording needs more than the generic parser: milestone events, kinds, clocks. */
const OVERRIDES: Record<string, Partial<Omit<NormDefinition, 'id' | 'measureCode' | 'position'>>> = {
  // "na 1 kwartaal afrekening": a quarter's settlement is paid within the following quarter.
  'VOP-5': { rule: { type: 'BY_END_OF_NEXT_QUARTER' } },
  'AWI-3': { kinds: ['FIRST_INSTALMENT'], clock: 'REQUESTED', rule: { type: 'WITHIN_MONTHS', months: 4.5 } },
  'AWI-4': { kinds: ['SECOND_INSTALMENT'], clock: 'REQUESTED', rule: { type: 'WITHIN_MONTHS', months: 13.5 } },
  'UITZEND_ERKENNING-1': { kinds: ['NEW_APPLICATION'] },
  // The prose-only internal lead time (D07) cannot count the same new applications: all of those
  // are decided within 30 days in total, so their WSE time is too. It is kept for additional ones.
  'UITZEND_ERKENNING-3': { kinds: ['ADDITIONAL_APPLICATION'], clock: 'COMPLETED' },
  // Beroepskaarten: 50 days of WSE time (from the complete file), 80 days in total.
  'BEROEPSKAARTEN-1': { clock: 'COMPLETED' },
  'DIENSTENCHEQUES-1': { kinds: ['FIRST_APPLICATION'] },
  'DIENSTENCHEQUES-2': { kinds: ['FIRST_APPLICATION'], clock: 'COMPLETED' },
  'ESF_AMIF-1': { endTypes: ['CALL_CLOSED'], rule: { type: 'AT_LEAST_DAYS', days: 54 } },
  'ESF_AMIF-3': { endTypes: ['ASSESSED'] },
  'BEV-1': { endTypes: ['REGISTERED'], rule: { type: 'BY_DATE_OF_YEAR', month: 4, day: 30 } },
  // A trajectory file ends granted, refused or cancelled (Goedgekeurd / Geannuleerd-stopgezet).
  'BKT-1': { endTypes: ['GRANTED', 'REFUSED', 'CANCELLED'], rule: { type: 'WITHIN_DAYS', days: 98 } },
  // A fine file ends with a fine (GRANTED), as not opportune (REFUSED) or closed otherwise.
  'ADMIN_GELDBOETES-1': { endTypes: ['GRANTED', 'REFUSED', 'CLOSED'] },
  // Ordinary applications and contingent applications have their own decision norms.
  'MAATWERK-2': { kinds: ['APPLICATION'] },
  'MAATWERK-3': { kinds: ['CONTINGENT'] },
  // Advances (voorschotten) and balances (saldi) are separate payment kinds with their own norms.
  'MAATWERK-4': { kinds: ['ADVANCE'] },
  'MAATWERK-5': { kinds: ['BALANCE'] },
  'LDE-3': { kinds: ['ADVANCE'] },
  'ARBEIDSZORG_STRUCTUREEL-1': { kinds: ['ADVANCE'] },
  'INVOEG-1': { kinds: ['ADVANCE'] },
  'MAATWERK-6': { endTypes: ['EFFECTIVE'], rule: { type: 'ON_DATE_OF_YEAR', month: 10, day: 1 } },
  'REGIEROL-3': { rule: { type: 'BY_DATE_PER_INSTALMENT', first: [6, 30], later: [11, 30] } },
};

const THRESHOLD_PATTERNS: Array<[RegExp, (m: RegExpMatchArray) => NormRule]> = [
  [/<=?\s*(\d+)(?:ste|de)\s+werkdag/, (m) => ({ type: 'BY_WORKING_DAY_OF_PERIOD', n: Number(m[1]) })],
  [
    /(<=?)\s*(\d+)(?:ste|de)\s+(?:kalenderdag\s+)?van de maand/,
    (m) => ({ type: 'BY_DAY_OF_PERIOD', day: Number(m[2]), strict: m[1] === '<' }),
  ],
  [/(\d+)\/(\d+)$/, (m) => ({ type: 'BY_DATE_OF_YEAR', month: Number(m[2]), day: Number(m[1]) })],
  [/(\d+(?:,\d+)?)\s+maanden/, (m) => ({ type: 'WITHIN_MONTHS', months: Number(m[1]!.replace(',', '.')) })],
];

/** Turns the published threshold (days, or the Dutch wording) into a rule; throws on wording it cannot read. */
export function parseThreshold(norm: PublishedNorm): NormRule {
  if (norm.thresholdDays !== null) return { type: 'WITHIN_DAYS', days: norm.thresholdDays };
  const text = norm.thresholdText ?? '';
  for (const [pattern, build] of THRESHOLD_PATTERNS) {
    const m = text.match(pattern);
    if (m) return build(m);
  }
  throw new Error(`cannot read the threshold "${text}" of norm "${norm.label}"`);
}

/** The evaluable definitions of a measure's published norms (ids "<code>-<position>"). */
export function normDefinitionsOf(measure: PublishedMeasure): NormDefinition[] {
  return measure.norms.map((norm, index) => {
    const id = `${measure.code}-${index + 1}`;
    const override = OVERRIDES[id] ?? {};
    const stage = norm.stage.toUpperCase();
    const endTypes = override.endTypes ?? [
      ...(STAGE_END_TYPES[stage as keyof typeof STAGE_END_TYPES] ?? ['GRANTED', 'REFUSED']),
    ];
    return {
      id,
      measureCode: measure.code,
      position: index + 1,
      endTypes,
      clock: override.clock ?? (stage === 'PAYMENT' ? 'REQUESTED' : 'RECEIVED'),
      rule: override.rule ?? parseThreshold(norm),
      kinds: override.kinds ?? null,
      channel: norm.channel === null ? null : (norm.channel.toUpperCase() as 'ONLINE' | 'PAPER'),
    };
  });
}
