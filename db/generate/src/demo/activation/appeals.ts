import { Prng, seedOf } from '../prng.ts';
import type { DataSource } from 'typeorm';
import { recordEvent } from '@measure-graph/activation/appeals/command-support';
import type { AppealOutcome } from '@measure-graph/activation/appeals/appeal-store';

const S = 'activation';
const DAY_MS = 86_400_000;

/** Grounds an appellant invokes against a refusal (fictitious wording). */
const GROUNDS = [
  'Betwist de motivering van de weigering',
  'Legt nieuwe stukken voor over de beroepsactiviteit',
  'Economisch belang van het project onvoldoende beoordeeld',
  'Verblijfssituatie gewijzigd sinds de aanvraag',
  'Ondernemingsplan aangevuld met financieel plan',
  'Vraagt herbeoordeling van de vereiste diploma’s en ervaring',
];

/** Outcomes of the seeded appeals with their weights: most refusals stand. */
const OUTCOMES: Array<[Exclude<AppealOutcome, 'PENDING'>, number]> = [
  ['UPHELD', 0.25],
  ['REJECTED', 0.55],
  ['INADMISSIBLE', 0.1],
  ['WITHDRAWN', 0.1],
];

const local = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

function pickOutcome(prng: Prng): Exclude<AppealOutcome, 'PENDING'> {
  let x = prng.next();
  for (const [outcome, weight] of OUTCOMES) {
    if (x < weight) return outcome;
    x -= weight;
  }
  return 'REJECTED';
}

/** A seeded appeal: its grounds, outcome and decision time (null: still pending). */
export interface GeneratedAppeal {
  grounds: string;
  outcome: AppealOutcome;
  decidedAt: string | null;
}

/**
 * The appeal lodged by a dossier's `APPEALED` event at `at` ("YYYY-MM-DD HH:MM:SS"): grounds,
 * outcome and decision date come from a PRNG seeded by the dossier and the event's time, so they do
 * not depend on which appeals exist; decided 1 to 5 months later, or pending when that would lie in
 * the future.
 */
export function generateAppeal(dossierId: string, at: string): GeneratedAppeal {
  const prng = new Prng(seedOf(`appeal|${dossierId}|${at}`));
  const grounds = prng.pick(GROUNDS);
  const outcome = pickOutcome(prng);
  const lodged = Date.parse(`${at.replace(' ', 'T')}Z`);
  const decided = lodged + prng.int(30, 150) * DAY_MS + prng.int(0, 6 * 3600) * 1000;
  // A decision that would lie in the future stays pending.
  const pending = decided > Date.now();
  return { grounds, outcome: pending ? 'PENDING' : outcome, decidedAt: pending ? null : local(decided) };
}

/**
 * One appeal per `APPEALED` event of the domain's dossiers that has none yet (the seeded
 * follow-up events: the card row "beroepsprocedures"), lodged at the event's time, as
 * generateAppeal makes it; the decision writes the dossier's `APPEAL_DECIDED` event as
 * `decideAppeal` does. Idempotent: appeals lodged through the graph already have their row, and a
 * second start finds every event taken.
 */
export async function seedAppeals(ds: DataSource): Promise<void> {
  await ds.transaction(async (em) => {
    const events: Array<{ eventId: string; dossierId: string; measureCode: string; at: string }> = await em.query(
      `SELECT e.id::text AS "eventId", e.dossier_id::text AS "dossierId", e.measure_code AS "measureCode",
              to_char(e.occurred_at, 'YYYY-MM-DD HH24:MI:SS') AS at
         FROM ${S}.dossier_event e
        WHERE e.type = 'APPEALED' AND NOT EXISTS (SELECT 1 FROM ${S}.appeal a WHERE a.lodged_event_id = e.id)
        ORDER BY e.occurred_at, e.dossier_id`,
    );
    for (const event of events) {
      const { grounds, outcome, decidedAt } = generateAppeal(event.dossierId, event.at);
      const decidedEventId =
        decidedAt === null ? null : await recordEvent(em, event.dossierId, 'APPEAL_DECIDED', decidedAt);
      await em.query(
        `INSERT INTO ${S}.appeal (dossier_id, measure_code, lodged_event_id, lodged_at, grounds, outcome, decided_at,
                                  decided_event_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [event.dossierId, event.measureCode, event.eventId, event.at, grounds, outcome, decidedAt, decidedEventId],
      );
    }
  });
}
