import { splitExactly } from '../dossiers/dossier-generator.ts';
import { generateOrganisations, sectorOrganisations, showcaseEmployer } from '../parties.ts';
import { Prng } from '../prng.ts';
import { addDays } from '@measure-graph/subgraph-platform/calendar';
import { CONTROL_DOMAINS } from '@measure-graph/inspection/seed/reference';
import { vsiTable } from './vsi-table.ts';

/**
 * Inspection records of 2019 and 2020 that reproduce the VSI table of the 2020 report (section
 * 9.1.11): per control domain the controls, the official reports or warnings and the proposed
 * recoveries, exactly, from one record per inspection.
 */

/** The rule a finding of a domain breaks (seed 000 for LDE: development plans not formalised). */
const FINDINGS: Record<string, [string, string]> = {
  LDE: ['LDE_POP_NOT_FORMALISED', 'Persoonlijk ontwikkelingsplan (POP) van een doelgroepwerknemer niet geformaliseerd'],
  MAATWERK: ['SUPPORT_PACKAGE_CONDITIONS', 'Voorwaarden van het werkondersteuningspakket niet nageleefd'],
  ARBEIDSKAARTEN: ['WORK_WITHOUT_PERMIT', 'Tewerkstelling van een buitenlandse werknemer zonder arbeidsvergunning'],
  BEROEPSKAARTEN: ['SELF_EMPLOYED_WITHOUT_CARD', 'Zelfstandige activiteit zonder beroepskaart'],
  UITZEND_ERKENNING: ['RECOGNITION_CONDITIONS', 'Erkenningsvoorwaarden uitzendbureau niet nageleefd'],
  DIENSTENCHEQUES: ['VOUCHERS_FOR_OTHER_WORK', 'Dienstencheques voor niet-toegelaten activiteiten'],
  DOELGROEPKORTING: ['TARGET_GROUP_REDUCTION_CONDITIONS', 'Doelgroepvermindering zonder vervulde voorwaarden'],
  TAALDECREET: ['LANGUAGE_DECREE', 'Sociale documenten niet in het Nederlands'],
  ANTIDISCRIMINATIE: ['DISCRIMINATION', 'Discriminatie bij aanwerving of arbeidsbemiddeling'],
};
const DEFAULT_FINDING: [string, string] = ['MEASURE_CONDITIONS', 'Voorwaarden van de maatregel niet nageleefd'];

const UNITS: Record<string, string> = {
  ANT: 'VSI Antwerpen',
  LIM: 'VSI Limburg',
  OVL: 'VSI Oost-Vlaanderen',
  VBR: 'VSI Vlaams-Brabant',
  WVL: 'VSI West-Vlaanderen',
  BRU: 'VSI Vlaams-Brabant',
};

export interface InspectionRows {
  inspections: Array<
    [
      number,
      string,
      string,
      string | null,
      string,
      string,
      string,
      string,
      bigint | null,
      string,
      string | null,
      string,
    ]
  >;
  findings: Array<[number, string, string]>;
}

export function generateInspections(): InspectionRows {
  const { rows } = vsiTable();
  const prng = new Prng(4005);
  const registry = generateOrganisations();
  const sector = sectorOrganisations();
  const domains = CONTROL_DOMAINS;
  const out: InspectionRows = { inspections: [], findings: [] };
  let id = 0;
  rows.forEach((row, position) => {
    const { code } = domains[position]!;
    // Custom work and LDE inspect the sector's organisations; the other domains any employer.
    const pool =
      code === 'LDE' ? sector.LDE : code === 'MAATWERK' ? [...sector.BW, ...sector.SW] : registry.slice(0, 1_500);
    for (const year of [2019, 2020] as const) {
      const controls = row[`controls${year}`] ?? 0;
      const reported = row[`pvOrWarnings${year}`] ?? 0;
      const recovery = row[`proposedRecovery${year}`] ?? 0;
      // Recoveries come from financial analyses, about one inspection in six.
      const analyses = recovery > 0 ? Math.max(1, Math.round(controls / 6)) : 0;
      const amounts =
        analyses > 0
          ? splitExactly(
              BigInt(recovery) * 100n,
              Array.from({ length: analyses }, () => 0.3 + prng.next()),
            )
          : [];
      for (let i = 0; i < controls; i++) {
        const picked = prng.pick(pool);
        // The showcase employer has the first custom-work inspection of each year.
        const organisation = code === 'MAATWERK' && i === 0 ? showcaseEmployer() : picked;
        const on = addDays(`${year}-01-01`, prng.int(0, 364));
        const outcome = i < reported ? (prng.next() < 0.55 ? 'WARNING' : 'OFFICIAL_REPORT') : 'NONE';
        const analysis = i >= controls - analyses;
        const kind = analysis
          ? 'FINANCIAL_ANALYSIS'
          : (code === 'ARBEIDSKAARTEN' || code === 'TAALDECREET') && prng.next() < 0.3
            ? 'ILLEGAL_WORK_DETECTION'
            : prng.next() < 0.15
              ? 'PREVENTIVE_ROUND'
              : 'TARGETED_CONTROL';
        const followUp =
          outcome === 'OFFICIAL_REPORT'
            ? 'FINE_PROCEDURE'
            : outcome === 'WARNING'
              ? 'RE_INSPECTION'
              : analysis
                ? 'RECOVERY'
                : 'NONE';
        out.inspections.push([
          ++id,
          organisation.kboNumber,
          code,
          row.measureCode,
          on,
          kind,
          UNITS[organisation.provinceCode]!,
          outcome,
          analysis ? amounts[i - (controls - analyses)]! : null,
          followUp,
          followUp === 'RE_INSPECTION' ? addDays(on, prng.int(90, 180)) : null,
          addDays(on, prng.int(7, 40)),
        ]);
        if (outcome !== 'NONE') out.findings.push([id, ...(FINDINGS[code] ?? DEFAULT_FINDING)]);
      }
    }
  });
  return out;
}
