import type { EntityManager } from 'typeorm';
import { generateOrganisations, generatePersons } from '../parties.ts';

/** Generated demo data: inserts the fictitious organisations and persons that are not there yet. */
export async function seedParties(em: EntityManager): Promise<void> {
  const orgs = generateOrganisations();
  await em.query(
    `INSERT INTO registry.organisation (kbo_number, name, province_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
    [orgs.map((o) => o.kboNumber), orgs.map((o) => o.name), orgs.map((o) => o.provinceCode)],
  );
  const persons = generatePersons();
  await em.query(
    `INSERT INTO registry.person (id, insz, given_name, family_name, birth_date, province_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[])
     ON CONFLICT DO NOTHING`,
    [
      persons.map((p) => p.id),
      persons.map((p) => p.insz),
      persons.map((p) => p.givenName),
      persons.map((p) => p.familyName),
      persons.map((p) => p.birthDate),
      persons.map((p) => p.provinceCode),
    ],
  );
}
