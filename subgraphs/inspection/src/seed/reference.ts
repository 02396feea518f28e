import { publishedMeasures, readSeedFile } from '@measure-graph/db';
import { domainEntry } from '@measure-graph/subgraph-platform';
import type { DataSource } from 'typeorm';

/**
 * Inspection's reference data, from the project's copy of the 2020 report until the import tool
 * loads it: the control domains of the VSI table and the measure catalogue (code and domain of
 * every measure, so that a reference to a measure of any domain gets its domain's type).
 */

const S = 'inspection';

export interface VsiRow {
  maatregel: string;
  measureCode: string | null;
  controls2019: number | null;
  controls2020: number | null;
  pvOrWarnings2019: number | null;
  pvOrWarnings2020: number | null;
  proposedRecovery2019: number | null;
  proposedRecovery2020: number | null;
}

/** The VSI table of the 2020 report (section 9.1.11). */
export const vsiTable = () => readSeedFile<{ rows: VsiRow[]; total: VsiRow }>('inspection-2020.json');

/** Codes of the control domains that are not one of the department's measures. */
const OWN_CODES: Record<string, string> = {
  Doelgroepkorting: 'DOELGROEPKORTING',
  'bestrijding antidiscriminatie': 'ANTIDISCRIMINATIE',
  'Private arbeidsbemiddeling anders dan uitzend': 'PRIVATE_ARBEIDSBEMIDDELING',
  Taaldecreet: 'TAALDECREET',
  'Sociale interventie': 'SOCIALE_INTERVENTIE',
};

export interface ControlDomain {
  code: string;
  position: number;
  label: string;
  /** The measure the domain controls; null for processes outside the department's measures. */
  measureCode: string | null;
}

/** The control domains, in the VSI table's order. */
export function controlDomains(): ControlDomain[] {
  return vsiTable().rows.map((row, i) => ({
    code: row.measureCode ?? OWN_CODES[row.maatregel]!,
    position: i + 1,
    label: row.maatregel,
    measureCode: row.measureCode,
  }));
}

/** Upserts the measure catalogue and the control domains: idempotent, run on every start. */
export async function seedInspectionReference(ds: DataSource): Promise<void> {
  const measures = publishedMeasures();
  const domains = controlDomains();
  await ds.transaction(async (em) => {
    await em.query(
      `INSERT INTO ${S}.measure_catalogue (code, domain)
       SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (code) DO UPDATE SET domain = EXCLUDED.domain`,
      [measures.map((m) => m.code), measures.map((m) => domainEntry(m.domain).enumValue)],
    );
    await em.query(
      `INSERT INTO ${S}.control_domain (code, position, label, measure_code)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])
       ON CONFLICT (code) DO UPDATE SET position = EXCLUDED.position, label = EXCLUDED.label,
                                        measure_code = EXCLUDED.measure_code`,
      [
        domains.map((d) => d.code),
        domains.map((d) => d.position),
        domains.map((d) => d.label),
        domains.map((d) => d.measureCode),
      ],
    );
  });
}
