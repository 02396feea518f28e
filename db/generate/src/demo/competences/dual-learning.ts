import { generateOrganisations, generatePersons } from '../parties.ts';
import { Prng } from '../prng.ts';
import type { SeedProfile } from '../profile.ts';
import { addDays, daysBetween } from '@measure-graph/subgraph-platform/calendar';
import type { DataSource } from 'typeorm';
import { recognitionValidUntil, schoolYearRange } from '@measure-graph/competences/dual-learning/rules';
import { dualLearningSeedTargets } from './targets.ts';

const S = 'competences';
/** Days from a recognition application to its approval, at most. */
const DECISION_DAYS = 60;

/** A fictitious establishment unit number: 2 to 8, seven digits, and a mod-97 check like KBO numbers. */
function establishmentNumber(prng: Prng): string {
  const head = prng.int(20_000_000, 89_999_999);
  return `${head}${String(97 - (head % 97)).padStart(2, '0')}`;
}

/** `total` over `n` parts, each at least one, the rest at random. */
function spread(total: number, n: number, prng: Prng): number[] {
  const parts = Array.from({ length: n }, () => 1);
  for (let i = n; i < total; i++) parts[prng.int(0, n - 1)]!++;
  return parts;
}

/** An agreement: learner, workplace id, starts, ends, registered. */
export type GeneratedAgreement = [string, number, string, string, string];

/** A generated workplace recognition application, with its id in the seed and its source reference. */
export interface GeneratedWorkplace extends Workplace {
  sourceRef: string;
  validUntil: string | null;
}

interface Workplace {
  id: number;
  kbo: string;
  establishment: string;
  appliedOn: string;
  status: 'RECOGNISED' | 'REFUSED';
  recognisedOn: string | null;
  mentors: string[];
}

/**
 * Workplace recognitions and agreements of the school years 2018-2019 and 2019-2020, built so that
 * the card's rows come out of the objects exactly (profile `full`; `small`: one in twenty):
 * per school year, the card's unique enterprises (registry organisations), each with at least one
 * establishment, the card's unique establishments, each with at least one recognition and one
 * mentor, the card's recognitions and mentors (registry persons, every one named on a recognition of
 * their establishment), applications received and approved in the year, the refused rest at the
 * same workplaces, and the card's agreements registered in the year at workplaces recognised on
 * their first day. Pure: what the seed writes and what `data:generate` writes (dual-learning.jsonl).
 */
export function generateDualLearning(profile: SeedProfile): {
  workplaces: GeneratedWorkplace[];
  agreements: GeneratedAgreement[];
} {
  const prng = new Prng(4318);
  const organisations = generateOrganisations().map((o) => o.kboNumber);
  const persons = generatePersons();
  const mentorPool = prng.shuffle(persons.filter((p) => p.birthDate < '1991').map((p) => p.id));
  const learners = persons.filter((p) => p.birthDate >= '1996').map((p) => p.id);
  const usedNumbers = new Set<string>();
  const establishmentsOf = new Map<string, string[]>();
  const workplaces: Workplace[] = [];
  const agreements: GeneratedAgreement[] = [];
  let nextMentor = 0;
  for (const t of dualLearningSeedTargets(profile)) {
    const { from, to } = schoolYearRange(t.schoolYear);
    const days = daysBetween(from, to);
    if (t.enterprises > organisations.length) throw new Error(`${t.enterprises} enterprises, the registry has fewer`);
    if (nextMentor + t.mentors > mentorPool.length) throw new Error('the registry has too few persons for mentors');
    const enterprises = prng.shuffle(organisations).slice(0, t.enterprises);
    // The same enterprise keeps the same establishments from year to year.
    const sites = spread(t.establishments, t.enterprises, prng).flatMap((count, e) => {
      const kbo = enterprises[e]!;
      const own = establishmentsOf.get(kbo) ?? [];
      while (own.length < count) {
        const number = establishmentNumber(prng);
        if (usedNumbers.has(number)) continue;
        usedNumbers.add(number);
        own.push(number);
      }
      establishmentsOf.set(kbo, own);
      return prng
        .shuffle(own)
        .slice(0, count)
        .map((establishment) => ({ kbo, establishment }));
    });
    const recognitionsPer = spread(t.approved, sites.length, prng);
    const mentorsPer = spread(t.mentors, sites.length, prng);
    const recognised: Workplace[] = [];
    sites.forEach((site, s) => {
      const mentors = mentorPool.slice(nextMentor, nextMentor + mentorsPer[s]!);
      nextMentor += mentors.length;
      const r = recognitionsPer[s]!;
      for (let i = 0; i < r; i++) {
        // Every mentor of the site on one of its recognitions, every recognition with a mentor.
        const own = mentors.filter((_, j) => j % r === i);
        const appliedOn = addDays(from, prng.int(0, days - DECISION_DAYS));
        recognised.push({
          id: 0,
          ...site,
          appliedOn,
          status: 'RECOGNISED',
          recognisedOn: addDays(appliedOn, prng.int(1, DECISION_DAYS)),
          mentors: own.length > 0 ? own : [mentors[i % mentors.length]!],
        });
      }
    });
    const refused = Array.from({ length: t.received - t.approved }, () => ({
      ...prng.pick(recognised),
      appliedOn: addDays(from, prng.int(0, days)),
      status: 'REFUSED' as const,
      recognisedOn: null,
    }));
    for (const w of [...recognised, ...refused]) workplaces.push({ ...w, id: workplaces.length + 1 });
    const open = workplaces.filter((w) => w.recognisedOn !== null);
    for (let i = 0; i < t.agreements; i++) {
      const w = prng.pick(open);
      const registeredOn = addDays(from, prng.int(Math.max(0, daysBetween(from, w.recognisedOn!)), days));
      const startsOn = addDays(registeredOn, prng.int(0, 14));
      agreements.push([prng.pick(learners), w.id, startsOn, addDays(startsOn, prng.int(180, 1_095)), registeredOn]);
    }
  }
  return {
    workplaces: workplaces.map((w) => ({
      ...w,
      sourceRef: `WORKPLACE-${w.id}`,
      validUntil: w.recognisedOn === null ? null : recognitionValidUntil(w.recognisedOn),
    })),
    agreements,
  };
}

/** The workplaces (with their ids and source references) and agreements of generateDualLearning, on a database without workplaces. */
export async function seedDualLearning(ds: DataSource, { profile }: { profile: SeedProfile }): Promise<void> {
  await ds.transaction(async (em) => {
    const [{ present }] = await em.query(`SELECT EXISTS (SELECT 1 FROM ${S}.dual_workplace) AS present`);
    if (present) return;
    const { workplaces, agreements } = generateDualLearning(profile);
    await em.query(
      `INSERT INTO ${S}.dual_workplace (id, enterprise_kbo, establishment_number, applied_on, status, recognised_on,
                                        valid_until, mentor_person_ids, source_ref)
       SELECT id, kbo, est, applied, status, recognised, valid, string_to_array(mentors, ','), ref
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::date[], $5::text[], $6::date[], $7::date[], $8::text[],
                     $9::text[])
           AS src (id, kbo, est, applied, status, recognised, valid, mentors, ref)`,
      [
        workplaces.map((w) => w.id),
        workplaces.map((w) => w.kbo),
        workplaces.map((w) => w.establishment),
        workplaces.map((w) => w.appliedOn),
        workplaces.map((w) => w.status),
        workplaces.map((w) => w.recognisedOn),
        workplaces.map((w) => w.validUntil),
        workplaces.map((w) => w.mentors.join(',')),
        workplaces.map((w) => w.sourceRef),
      ],
    );
    // Explicit ids were used; workplaces added later continue after them.
    await em.query(
      `SELECT setval(pg_get_serial_sequence('${S}.dual_workplace', 'id'), (SELECT max(id) FROM ${S}.dual_workplace))`,
    );
    await em.query(
      `INSERT INTO ${S}.dual_agreement (person_id, workplace_id, starts_on, ends_on, registered_on)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::date[], $4::date[], $5::date[])`,
      Array.from({ length: 5 }, (_, col) => agreements.map((a) => a[col])),
    );
  });
}
