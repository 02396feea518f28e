import type { DataSource } from 'typeorm';

/** Measures whose granted dossiers are recognitions (erkenningen) of an organisation. */
export const RECOGNITION_MEASURES = ['UITZEND_ERKENNING', 'DIENSTENCHEQUES', 'KWALITEITSREGISTRATIE'];
/** Events that end a recognition, and the status they leave. */
const ENDINGS = ['WITHDRAWN', 'REVOKED', 'STRUCK_OFF', 'TRANSFERRED'];

export interface RecognitionRecord {
  kbo: string;
  dossierId: string;
  measureCode: string;
  kind: string;
  grantedOn: string;
  status: string;
  history: Array<{ type: string; at: string }>;
}

/** Recognitions of organisations, read from the recognition measures' dossiers: the only place with their SQL. */
export class RecognitionStore {
  constructor(private readonly ds: DataSource) {}

  async ofOrganisations(kbos: readonly string[]): Promise<RecognitionRecord[]> {
    return this.ds.query(
      `SELECT d.applicant_kbo AS kbo, d.id::text AS "dossierId", d.measure_code AS "measureCode", d.kind,
              to_char(g.occurred_at, 'YYYY-MM-DD') AS "grantedOn",
              coalesce((SELECT e.type FROM activation.dossier_event e
                         WHERE e.dossier_id = d.id AND e.type = ANY ($3::text[]) ORDER BY e.occurred_at DESC LIMIT 1), 'ACTIVE') AS status,
              (SELECT json_agg(json_build_object('type', e.type, 'at', to_char(e.occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS'))
                        ORDER BY e.occurred_at)
                 FROM activation.dossier_event e WHERE e.dossier_id = d.id) AS history
         FROM activation.dossier d
         JOIN LATERAL (SELECT occurred_at FROM activation.dossier_event WHERE dossier_id = d.id AND type = 'GRANTED'
                        ORDER BY occurred_at LIMIT 1) g ON true
        WHERE d.applicant_kbo = ANY ($1::text[]) AND d.measure_code = ANY ($2::text[])
        ORDER BY d.applicant_kbo, g.occurred_at, d.id`,
      [kbos, RECOGNITION_MEASURES, ENDINGS],
    );
  }
}
