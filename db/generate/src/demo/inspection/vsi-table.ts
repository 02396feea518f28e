import { readSeedFile } from '@measure-graph/db';

/** A row of the VSI table of the 2020 report (section 9.1.11): the figures the inspections reproduce. */
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

/** The VSI table of the 2020 report (moved from inspection's reference seed: report figures are demo data). */
export const vsiTable = () => readSeedFile<{ rows: VsiRow[]; total: VsiRow }>('inspection-2020.json');
