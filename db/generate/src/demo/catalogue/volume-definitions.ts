import type { PublishedMeasure, PublishedVolume } from '@measure-graph/db';
import type { VolumeDefinition, VolumeMetric } from '@measure-graph/measure-module/volume-rules';

/**
 * How the rows of the report's measure cards are read as volume definitions (measures.jsonl's card
 * rows). Moved from the kit: the runtime evaluates the stored definitions, it no longer derives
 * them from the report.
 */

type Rule = Partial<Omit<VolumeDefinition, 'id' | 'measureCode' | 'position' | 'label'>> & { metric: VolumeMetric };

/** Applications proper: a measure's special kinds (contingent requests, ...) are not "handled dossiers". */
const APPLICATION_KINDS = ['APPLICATION', 'EXTENSION', 'INCREASE'];
const DECISIONS = ['GRANTED', 'REFUSED'];

/** Generic wordings, first match wins; the label is matched after whitespace normalisation. */
const PATTERNS: Array<[RegExp, Rule]> = [
  [/^Aantal ontvangen (dossiers|aanvragen)$/i, { metric: 'DOSSIERS_RECEIVED' }],
  [/^% online$/, { metric: 'ONLINE_SHARE', unit: 'SHARE' }],
  [/^Aantal \(on\)ontvankelijke dossiers$/, { metric: 'ADMISSIBILITY_DECISIONS' }],
  [/^(Aantal )?afgehandelde dossiers( :)?$/i, { metric: 'DOSSIERS_HANDLED' }],
  [/^Aandeel goedgekeurde dossiers$/, { metric: 'GRANTED_SHARE', unit: 'SHARE' }],
  [/^(Aantal )?betaalde dossiers$|^Aantal betalingen$/i, { metric: 'PAYMENTS' }],
  [/^Aantal (goedgekeurde )?voorschotten$/, { metric: 'PAYMENTS', paymentKinds: ['ADVANCE'] }],
  [/^Aantal goedgekeurde saldo's$|^Aantal afrekeningen$/, { metric: 'PAYMENTS', paymentKinds: ['BALANCE'] }],
];

const events = (eventTypes: string[], kinds: string[] | null = null): Rule => ({ metric: 'EVENTS', eventTypes, kinds });
const received = (kinds: string[]): Rule => ({ metric: 'DOSSIERS_RECEIVED', kinds });

/**
 * Rows whose wording needs more than the patterns (by measure and label). Rows found nowhere here
 * nor in PATTERNS are REGISTERED figures.
 */
const OVERRIDES: Record<string, Record<string, Rule>> = {
  VOP: { 'Aantal betaalde dossiers (tem 3de kwartaal)': { metric: 'PAYMENTS', throughMonth: 9 } },
  UITZEND_ERKENNING: {
    'Aantal nieuwe aanvragen': received(['NEW_APPLICATION']),
    'Aantal bijkomende aanvragen': received(['ADDITIONAL_APPLICATION']),
    'Aantal intrekkingen': events(['WITHDRAWN']),
    'Aantal schrappingen': events(['STRUCK_OFF']),
    'Aantal overdracht': events(['TRANSFERRED']),
    'Aantal zonder gevolg': events(['CLOSED_WITHOUT_FOLLOW_UP']),
  },
  BEROEPSKAARTEN: { beroepsprocedures: events(['APPEALED']) },
  DIENSTENCHEQUES: {
    'Aantal aanvragen erkenningen': received(['FIRST_APPLICATION']),
    'Aantal vrijwillige intrekkingen': events(['WITHDRAWN']),
    'Aantal inbreukdossiers': events(['INFRINGEMENT_OPENED']),
    'Aantal ambtshalve intrekkingen': events(['REVOKED']),
  },
  OPLEIDINGSFONDS_DC: { 'Aantal afgehandelde goedkeuringsdossiers': { metric: 'DOSSIERS_HANDLED' } },
  WERKBAARHEIDSCHEQUES: {
    'Aantal afgehandelde rapporteringen (beoordeeld)': events(['REPORT_ASSESSED']),
    'Aantal betaalde rapporteringen': { metric: 'PAYMENTS' },
  },
  ESF_AMIF: {
    // Calls are counted when they close (the norm measures how long they stayed open).
    'Aantal gelanceerde oproepen': events(['CALL_CLOSED']),
    'Aantal beslissingen over projecten': { metric: 'DOSSIERS_HANDLED' },
    'Aantal financiële beoordelingen': events(['ASSESSED']),
  },
  ADMIN_GELDBOETES: {
    // A fine file is "decided" by imposing the fine or by finding it not opportune.
    'Aantal dossiers niet opportuun': events(['REFUSED']),
    'Aantal oplegging Ag': events(['GRANTED']),
    'Aantal beroepsdossiers': events(['APPEALED']),
  },
  OPLEIDINGSDATABANK: { 'Aantal afgehandelde dossiers in beroep': events(['APPEAL_DECIDED']) },
  BKT: {
    'Aantal afgehandelde dossiers': { metric: 'DOSSIERS_HANDLED', eventTypes: [...DECISIONS, 'CANCELLED'] },
    Goedgekeurd: events(['GRANTED']),
    'Geannuleerd/stopgezet': events(['CANCELLED']),
  },
  MAATWERK: {
    'Aantal contingentuitbreding nav oproep': events(['GRANTED'], ['CONTINGENT']),
    'Aantal contingentwijziging nav herverdeling': events(['EFFECTIVE']),
  },
};

/** Registered stocks: a head count or a share is not the sum of months. */
const isStock = (label: string, unit: PublishedVolume['unit']) =>
  unit === 'fraction' || /unieke|tewerkgestelde personen|lopende|partnerschappen/i.test(label);

export const normaliseLabel = (label: string): string => label.replace(/\s+/g, ' ').trim();

/** The evaluable definitions of every volume row on a measure's card, in card order. */
export function volumeDefinitionsOf(measure: PublishedMeasure): VolumeDefinition[] {
  return measure.volumes.map((volume, index) => {
    const label = normaliseLabel(volume.label);
    const rule: Rule = OVERRIDES[measure.code]?.[label] ??
      PATTERNS.find(([pattern]) => pattern.test(label))?.[1] ?? { metric: 'REGISTERED' };
    const metric = rule.metric;
    const eventTypes =
      rule.eventTypes ??
      (metric === 'ADMISSIBILITY_DECISIONS'
        ? ['ADMISSIBLE', 'INADMISSIBLE']
        : metric === 'DOSSIERS_HANDLED' || metric === 'GRANTED_SHARE'
          ? DECISIONS
          : null);
    const kinds =
      rule.kinds !== undefined
        ? rule.kinds
        : metric === 'DOSSIERS_HANDLED' || metric === 'GRANTED_SHARE'
          ? APPLICATION_KINDS
          : null;
    return {
      id: `${measure.code}-V${index + 1}`,
      measureCode: measure.code,
      position: index + 1,
      label,
      metric,
      unit: rule.unit ?? (volume.unit === 'fraction' ? 'SHARE' : 'COUNT'),
      kinds,
      eventTypes,
      paymentKinds: rule.paymentKinds ?? null,
      throughMonth: rule.throughMonth ?? null,
      registeredPer: metric === 'REGISTERED' ? (isStock(label, volume.unit) ? 'YEAR' : 'MONTH') : null,
    };
  });
}

/** The published value of a volume row in a year (null where the card has none). */
export function publishedVolumeValue(measure: PublishedMeasure, definition: VolumeDefinition, year: number) {
  const row = measure.volumes[definition.position - 1]!;
  return year === 2019 ? row.value2019 : year === 2020 ? row.value2020 : null;
}
