import type { DataSource } from 'typeorm';

/**
 * Inspection's reference data: the control domains of the Flemish Social Inspectorate, what an
 * inspection is recorded under (recordInspection) and what the VSI table is laid out by. They are
 * the inspectorate's fixed list of control areas (the measures of the department it controls and
 * five processes outside them), not figures of a report: a constant here, like the provinces. The
 * order and wording are the VSI table's (section 9.1.11 of the 2020 report); a test of the
 * generator keeps them equal to the project's copy of that table.
 *
 * The measure catalogue inspection keeps (code and domain of every measure) is data: written by
 * the import (measures.jsonl) or the generator's demo seed, never here.
 */

const S = 'inspection';

export interface ControlDomain {
  code: string;
  position: number;
  label: string;
  /** The measure the domain controls; null for processes outside the department's measures. */
  measureCode: string | null;
}

const domain = (code: string, label: string, measureCode: string | null = code) => ({ code, label, measureCode });

/** The control domains, in the VSI table's order. */
export const CONTROL_DOMAINS: readonly ControlDomain[] = [
  domain('ARBEIDSKAARTEN', 'Arbeidskaarten'),
  domain('BEROEPSKAARTEN', 'Beroepskaarten'),
  domain('DAC', 'DAC'),
  domain('DOELGROEPKORTING', 'Doelgroepkorting', null),
  domain('GESCO', 'GESCO (tem Q32017)'),
  domain('UITZEND_ERKENNING', 'Uitzendkantoren'),
  domain('DIENSTENCHEQUES', 'Dienstencheques'),
  domain('BEV', 'Betaald educatief verlof'),
  domain('VOV', 'Vlaams Opleidingsverlof'),
  domain('LDE', 'Lokale diensten-economie (incl. VIA)'),
  domain('MAATWERK', 'Maatwerk'),
  domain('ANTIDISCRIMINATIE', 'bestrijding antidiscriminatie', null),
  domain('ESF_AMIF', 'ESF'),
  domain('PRIVATE_ARBEIDSBEMIDDELING', 'Private arbeidsbemiddeling anders dan uitzend', null),
  domain('TAALDECREET', 'Taaldecreet', null),
  domain('SOCIALE_INTERVENTIE', 'Sociale interventie', null),
].map((d, i) => ({ ...d, position: i + 1 }));

/** Upserts the control domains: idempotent, run on every start. */
export async function seedInspectionReference(ds: DataSource): Promise<void> {
  await ds.query(
    `INSERT INTO ${S}.control_domain (code, position, label, measure_code)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])
     ON CONFLICT (code) DO UPDATE SET position = EXCLUDED.position, label = EXCLUDED.label,
                                      measure_code = EXCLUDED.measure_code`,
    [
      CONTROL_DOMAINS.map((d) => d.code),
      CONTROL_DOMAINS.map((d) => d.position),
      CONTROL_DOMAINS.map((d) => d.label),
      CONTROL_DOMAINS.map((d) => d.measureCode),
    ],
  );
}
