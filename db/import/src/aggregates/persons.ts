import { badInput, notFound } from '@measure-graph/errors';
import { isValidInsz, normaliseDigits } from '@measure-graph/subgraph-platform/identifiers';
import { REGISTRY, type FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import { Stager, type StagingTable } from '../staging.ts';
import { check, inTransaction, UPSERT_COUNTS } from './common.ts';

interface PersonRow {
  id: string;
  insz: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  provinceCode: string;
}

const STAGE: StagingTable = {
  name: 'import_person',
  columns: [
    ['line', 'int'],
    ['id', 'text'],
    ['insz', 'text'],
    ['given_name', 'text'],
    ['family_name', 'text'],
    ['birth_date', 'date'],
    ['province_code', 'text'],
  ],
};

/** The INSZ rule of the mutations (applicantInsz): check digits; the message never repeats the number. */
export function checkInsz(value: string, field: string): string {
  if (!isValidInsz(value))
    throw badInput(`${field} is not a valid national number (11 digits with a mod-97 check)`, field);
  return normaliseDigits(value);
}

let validate: ReturnType<typeof schemaValidator> | undefined;

/** persons.jsonl into registry.person, by registry id. */
export async function loadPersons(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('persons');
  const today = ctx.now.slice(0, 10);
  const db = await ctx.databases.of(REGISTRY);
  return inTransaction([db], async () => {
    const stager = new Stager(db.client, db.staging);
    await stager.create(STAGE);
    for await (const { line, row } of readJsonLines<PersonRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const insz = rule(ctx.errors, line, 'insz', () => checkInsz(row.insz, 'insz'));
      const born = rule(ctx.errors, line, 'birthDate', () => {
        if (row.birthDate > today) throw badInput(`must not be in the future (it is ${today} in Belgium)`, 'birthDate');
        return row.birthDate;
      });
      if (insz === undefined || born === undefined) continue;
      await stager.add(STAGE, [line, row.id, insz, row.givenName, row.familyName, born, row.provinceCode]);
    }
    await stager.finish();
    await check(
      db,
      ctx.errors,
      `SELECT line, 'id', first::text, NULL FROM (
         SELECT line, min(line) OVER (PARTITION BY id) AS first FROM import_person) d WHERE line > first`,
      [],
      (r) => `the same person as line ${r.value}`,
    );
    await check(
      db,
      ctx.errors,
      `SELECT line, 'insz', first::text, NULL FROM (
         SELECT line, min(line) OVER (PARTITION BY insz) AS first FROM import_person) d WHERE line > first`,
      [],
      (r) => `the same national number as line ${r.value}`,
    );
    // Another person of the registry has the number (the column is unique); its id is no personal data.
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'insz', p.id, NULL FROM import_person i JOIN registry.person p ON p.insz = i.insz AND p.id <> i.id`,
      [],
      (r) => `the national number of person ${r.value} of the registry`,
    );
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'provinceCode', i.province_code, NULL FROM import_person i
        WHERE NOT EXISTS (SELECT 1 FROM registry.province p WHERE p.code = i.province_code)`,
      [],
      (r) => notFound('Province', 'provinceCode', r.value!).message,
    );
    if (ctx.errors.count > 0) return false;
    const { rows } = await db.client.query(
      `WITH written AS (
         INSERT INTO registry.person (id, insz, given_name, family_name, birth_date, province_code)
         SELECT id, insz, given_name, family_name, birth_date, province_code FROM import_person
         ON CONFLICT (id) DO UPDATE SET insz = EXCLUDED.insz, given_name = EXCLUDED.given_name,
                                        family_name = EXCLUDED.family_name, birth_date = EXCLUDED.birth_date,
                                        province_code = EXCLUDED.province_code
          WHERE (person.insz, person.given_name, person.family_name, person.birth_date, person.province_code)
                IS DISTINCT FROM
                (EXCLUDED.insz, EXCLUDED.given_name, EXCLUDED.family_name, EXCLUDED.birth_date, EXCLUDED.province_code)
         RETURNING xmax = 0 AS inserted)
       SELECT ${UPSERT_COUNTS} FROM written`,
    );
    Object.assign(ctx.counts, rows[0]);
    ctx.counts.unchanged = ctx.counter.rows - rows[0].inserted - rows[0].updated;
    return true;
  });
}
