import { publishedMeasures, type PublishedVolume } from '@measure-graph/db';
import { generateOrganisations, generatePersons, showcaseEmployer, showcasePerson } from '../parties.ts';
import { Prng } from '../prng.ts';
import type { SeedProfile } from '../profile.ts';
import { addDays, addMonths } from '@measure-graph/subgraph-platform/calendar';
import type { DataSource } from 'typeorm';
import { schoolYearOf, VOV_EUROS_PER_HOUR } from '@measure-graph/competences/training/rules';

const S = 'competences';
const TOPICS = [
  'Lassen',
  'Boekhouding',
  'Heftruck',
  'Verpleegkunde',
  'Programmeren',
  'Logistiek',
  'Nederlands',
  'Elektriciteit',
];
const LEVELS = ['basis', 'gevorderd', 'opfrissing'];

/** A granted dossier the competences objects hang on: its id, applicant and first GRANTED day. */
export interface GrantedDossier {
  id: string;
  applicant: string;
  on: string;
}

/** A generated course of the training database (on its granted OPLEIDINGSDATABANK dossier). */
export interface GeneratedCourse {
  dossierId: string;
  providerKbo: string;
  title: string;
  hours: number;
  recognisedOn: string;
  validUntil: string;
}

/** How long a course stays recognised. */
const RECOGNISED_MONTHS = 36;

/**
 * The courses and training leave of the demo data: one course per granted OPLEIDINGSDATABANK
 * dossier with an organisation applying (`granted`, by dossier id; the applicant is the provider),
 * and training leave per person for the school years 2018-2019 and 2019-2020, the showcase person
 * among them: at the report's scale in the full profile (leaveAtReportScale), a sample of 2,000
 * requests in the small one. A leave row's course is an index into `courses`. Pure: what the seed
 * writes and what `data:generate` writes (trainings.jsonl).
 */
export function generateTraining(
  granted: readonly GrantedDossier[],
  profile: SeedProfile,
): { courses: GeneratedCourse[]; leave: LeaveRow[] } {
  const prng = new Prng(4303);
  const courses = granted.map((g) => ({
    dossierId: g.id,
    providerKbo: g.applicant,
    title: `${prng.pick(TOPICS)} ${prng.pick(LEVELS)}`,
    hours: prng.int(32, 240),
    recognisedOn: g.on,
    validUntil: addMonths(g.on, RECOGNISED_MONTHS),
  }));
  if (courses.length === 0) return { courses, leave: [] };
  const leave =
    profile === 'full'
      ? leaveAtReportScale(prng, courses.length, (c) => courses[c]!.hours)
      : leaveSample(prng, courses.length, (c) => courses[c]!.hours);
  return { courses, leave };
}

/** The courses and training leave of generateTraining, written on a database without courses. */
export async function seedTraining(ds: DataSource, { profile }: { profile: SeedProfile }): Promise<void> {
  await ds.transaction(async (em) => {
    const [{ present }] = await em.query(`SELECT EXISTS (SELECT 1 FROM ${S}.course) AS present`);
    if (present) return;
    const granted: GrantedDossier[] = await em.query(
      `SELECT d.id::text, d.applicant_kbo AS applicant, to_char(min(e.occurred_at), 'YYYY-MM-DD') AS on
         FROM ${S}.dossier d JOIN ${S}.dossier_event e ON e.dossier_id = d.id AND e.type = 'GRANTED'
        WHERE d.measure_code = 'OPLEIDINGSDATABANK' AND d.applicant_kbo IS NOT NULL
        GROUP BY d.id ORDER BY d.id`,
    );
    const { courses, leave } = generateTraining(granted, profile);
    if (courses.length === 0) return;
    const ids: Array<{ id: string }> = await em.query(
      `INSERT INTO ${S}.course (provider_kbo, title, hours, recognised_on, valid_until, dossier_id)
       SELECT k, t, h, r, v, d
         FROM unnest($1::text[], $2::text[], $3::int[], $4::date[], $5::date[], $6::bigint[]) WITH ORDINALITY
           AS src (k, t, h, r, v, d, n)
        ORDER BY n RETURNING id::text`,
      [
        courses.map((c) => c.providerKbo),
        courses.map((c) => c.title),
        courses.map((c) => c.hours),
        courses.map((c) => c.recognisedOn),
        courses.map((c) => c.validUntil),
        courses.map((c) => c.dossierId),
      ],
    );
    const rows = leave.map((row) => {
      const copy = [...row];
      copy[3] = ids[row[3] as number]!.id;
      return copy;
    });
    await em.query(
      `INSERT INTO ${S}.training_leave (person_id, employer_kbo, scheme, course_id, school_year, course_started_on, requested_on,
                                        hours, amount_cents, advance_paid_on)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::date[], $7::date[], $8::int[],
                            $9::bigint[], $10::date[])`,
      Array.from({ length: 10 }, (_, col) => rows.map((r) => r[col])),
    );
  });
}

/** One training_leave row: person, employer, scheme, course (index until inserted), school year, start, request, hours, cents, advance. */
export type LeaveRow = [string, string, string, number | string, string, string, string, number, number, string | null];

function leaveRow(
  prng: Prng,
  person: string,
  employer: string,
  scheme: string,
  course: number,
  courseHours: number,
  start: string,
): LeaveRow {
  const hours = Math.min(courseHours, prng.int(32, 125));
  return [
    person,
    employer,
    scheme,
    course,
    schoolYearOf(start),
    start,
    addDays(start, prng.int(0, 80)),
    hours,
    hours * VOV_EUROS_PER_HOUR * 100,
    null,
  ];
}

/** 2,000 requests over both school years (wiring tests). */
function leaveSample(prng: Prng, courseCount: number, hoursOf: (course: number) => number): LeaveRow[] {
  const persons = generatePersons();
  const employers = generateOrganisations();
  const rows: LeaveRow[] = [];
  for (let i = 0; i < 2_000; i++) {
    const person = i === 0 ? showcasePerson() : prng.pick(persons);
    const employer = i === 0 ? showcaseEmployer() : prng.pick(employers);
    const c = prng.int(0, courseCount - 1);
    const start = addDays(`${prng.pick([2018, 2019])}-09-01`, prng.int(0, 300));
    rows.push(leaveRow(prng, person.id, employer.kboNumber, prng.next() < 0.8 ? 'VOV' : 'BEV', c, hoursOf(c), start));
  }
  return rows;
}

/** The VOV card's per-party figures: 2018-2019 approved BEV requests, 2019-2020 received VOV requests. */
export function leaveYearsOfCard() {
  const card = publishedMeasures().find((m) => m.code === 'VOV')!;
  const [employees, employers, advances] = card.volumes as [PublishedVolume, PublishedVolume, PublishedVolume];
  return [
    {
      schoolYear: '2018-2019',
      scheme: 'BEV',
      employees: employees.value2019!,
      employers: employers.value2019!,
      withAdvance: null,
    },
    {
      schoolYear: '2019-2020',
      scheme: 'VOV',
      employees: employees.value2020!,
      employers: employers.value2020!,
      withAdvance: advances.value2020!,
    },
  ];
}

/**
 * Leave at the report's scale: per school year exactly the card's unique employees and employers
 * (every chosen employer has at least one employee on leave; one in ten employees follows a second
 * course), and in 2019-2020 exactly the card's number of requests with an advance.
 */
function leaveAtReportScale(prng: Prng, courseCount: number, hoursOf: (course: number) => number): LeaveRow[] {
  const showcase = showcasePerson();
  const employer0 = showcaseEmployer();
  const persons = generatePersons().filter((p) => p.id !== showcase.id);
  const employers = generateOrganisations().filter((o) => o.kboNumber !== employer0.kboNumber);
  const rows: LeaveRow[] = [];
  for (const year of leaveYearsOfCard()) {
    const people = [showcase, ...prng.shuffle(persons).slice(0, year.employees - 1)];
    const firms = [employer0, ...prng.shuffle(employers).slice(0, year.employers - 1)];
    const firstDay = `${year.schoolYear.slice(0, 4)}-09-01`;
    const fromHere = rows.length;
    people.forEach((person, i) => {
      const firm = i < firms.length ? firms[i]! : prng.pick(firms);
      for (let n = prng.next() < 0.1 ? 2 : 1; n > 0; n--) {
        const c = prng.int(0, courseCount - 1);
        rows.push(
          leaveRow(prng, person.id, firm.kboNumber, year.scheme, c, hoursOf(c), addDays(firstDay, prng.int(0, 300))),
        );
      }
    });
    if (year.withAdvance !== null) {
      const indexes = prng.shuffle(Array.from({ length: rows.length - fromHere }, (_, k) => fromHere + k));
      for (const k of indexes.slice(0, year.withAdvance)) rows[k]![9] = addDays(rows[k]![6], prng.int(20, 60));
    }
  }
  return rows;
}
