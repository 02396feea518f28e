import { Prng, seedOf } from '../prng.ts';
import type { DataSource } from 'typeorm';
import { PERMIT_MEASURE, SINGLE_PERMIT_KINDS } from '@measure-graph/activation/permits/combined-procedure-store';

const S = 'activation';
const DAY_MS = 86_400_000;
const CHUNK = 20_000;

/** A row of activation.combined_procedure as the seed writes it (dossier by its generated id). */
export interface GeneratedCombinedProcedure {
  id: string;
  sentOn: string;
  reference: string;
  decision: 'PENDING' | 'GRANTED' | 'REFUSED';
  decidedOn: string | null;
}

/**
 * The federal part of a single permit Flanders granted on `grantedOn`: sent to the Immigration
 * Office that day, with a reference of its own (DVZ-<year>-<dossier number>), and decided 2 to 16
 * weeks later, the residence refused for about one in fifteen; a decision that would lie in the
 * future is still awaited. Values come from a PRNG seeded by the dossier, so they do not depend on
 * which rows exist.
 */
export function generateCombinedProcedure(id: string, grantedOn: string): GeneratedCombinedProcedure {
  const prng = new Prng(seedOf(`combined-procedure|${id}`));
  const decided = new Date(Date.parse(grantedOn) + prng.int(14, 112) * DAY_MS);
  const refused = prng.next() < 1 / 15;
  const pending = decided.getTime() > Date.now();
  return {
    id,
    sentOn: grantedOn,
    reference: `DVZ-${grantedOn.slice(0, 4)}-${id.padStart(7, '0')}`,
    decision: pending ? 'PENDING' : refused ? 'REFUSED' : 'GRANTED',
    decidedOn: pending ? null : decided.toISOString().slice(0, 10),
  };
}

/**
 * The federal part of every seeded single permit Flanders granted (generateCombinedProcedure, on
 * the day of its latest GRANTED event). Like the dossiers, it runs on an empty table only: a permit
 * granted through the graph later waits for `recordFederalDecision`, and a second start adds nothing.
 */
export async function seedCombinedProcedures(ds: DataSource): Promise<void> {
  await ds.transaction(async (em) => {
    const [{ present }] = await em.query(`SELECT EXISTS (SELECT 1 FROM ${S}.combined_procedure) AS present`);
    if (present) return;
    const granted: Array<{ id: string; grantedOn: string }> = await em.query(
      `SELECT d.id::text AS id,
              to_char((SELECT max(e.occurred_at) FROM ${S}.dossier_event e WHERE e.dossier_id = d.id AND e.type = 'GRANTED'),
                      'YYYY-MM-DD') AS "grantedOn"
         FROM ${S}.dossier d
        WHERE d.measure_code = $1 AND d.kind = ANY ($2::text[]) AND d.status = 'GRANTED'
        ORDER BY d.id`,
      [PERMIT_MEASURE, SINGLE_PERMIT_KINDS],
    );
    const rows = granted.filter((g) => g.grantedOn !== null).map((g) => generateCombinedProcedure(g.id, g.grantedOn));
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      await em.query(
        `INSERT INTO ${S}.combined_procedure (dossier_id, sent_on, federal_reference, federal_decision, federal_decided_on)
         SELECT * FROM unnest($1::bigint[], $2::date[], $3::text[], $4::text[], $5::date[])`,
        [
          chunk.map((r) => r.id),
          chunk.map((r) => r.sentOn),
          chunk.map((r) => r.reference),
          chunk.map((r) => r.decision),
          chunk.map((r) => r.decidedOn),
        ],
      );
    }
  });
}
