/**
 * What a volume row of a measure card counts. Every metric but REGISTERED is computed in SQL from
 * the measure's dossiers, events and payments (volume-store.ts); REGISTERED figures are counts the
 * department receives from other systems (vouchers issued by the issuer, persons employed from the
 * social security declarations, ...), stored per month or per year and summed.
 */
export type VolumeMetric =
  | 'DOSSIERS_RECEIVED'
  | 'ONLINE_SHARE'
  | 'ADMISSIBILITY_DECISIONS'
  | 'DOSSIERS_HANDLED'
  | 'GRANTED_SHARE'
  | 'EVENTS'
  | 'PAYMENTS'
  | 'REGISTERED';

/** Every metric, as the volume_definition table allows them. */
export const VOLUME_METRICS: readonly VolumeMetric[] = [
  'DOSSIERS_RECEIVED',
  'ONLINE_SHARE',
  'ADMISSIBILITY_DECISIONS',
  'DOSSIERS_HANDLED',
  'GRANTED_SHARE',
  'EVENTS',
  'PAYMENTS',
  'REGISTERED',
];

/** A volume row as the module machinery evaluates it; ids are "<measure>-V<position>", stable. */
export interface VolumeDefinition {
  id: string;
  measureCode: string;
  position: number;
  /** The row as the report's measure card words it (Dutch, whitespace normalised). */
  label: string;
  metric: VolumeMetric;
  unit: 'COUNT' | 'SHARE';
  /** Dossier kinds counted; null = every kind. */
  kinds: string[] | null;
  /** Event types counted (EVENTS, ADMISSIBILITY_DECISIONS, DOSSIERS_HANDLED, GRANTED_SHARE). */
  eventTypes: string[] | null;
  /** Payment kinds counted (PAYMENTS); null = every kind. */
  paymentKinds: string[] | null;
  /** Count only up to the end of this month of the year (e.g. 9: "tem 3de kwartaal"). */
  throughMonth: number | null;
  /** REGISTERED figures that are a stock (persons employed, a share) are kept per year, flows per month. */
  registeredPer: 'MONTH' | 'YEAR' | null;
}
