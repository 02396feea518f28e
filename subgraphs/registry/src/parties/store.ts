import type { DataSource } from 'typeorm';

export interface ProvinceRecord {
  code: string;
  name: string;
}

export interface OrganisationRecord {
  kboNumber: string;
  name: string;
  provinceCode: string;
}

export interface PersonRecord {
  id: string;
  /** National number, 11 digits: personal data, only ever returned through Person.nationalNumber. */
  insz: string;
  givenName: string;
  familyName: string;
  provinceCode: string;
}

/** Organisations, persons and provinces: the only place with their SQL. */
export class PartyStore {
  constructor(private readonly ds: DataSource) {}

  async provinces(): Promise<ProvinceRecord[]> {
    return this.ds.query('SELECT code, name FROM registry.province ORDER BY name');
  }

  async provincesByCodes(codes: readonly string[]): Promise<ProvinceRecord[]> {
    return this.ds.query('SELECT code, name FROM registry.province WHERE code = ANY($1)', [codes]);
  }

  async organisationsByKbo(kboNumbers: readonly string[]): Promise<OrganisationRecord[]> {
    return this.ds.query(
      `SELECT kbo_number AS "kboNumber", name, province_code AS "provinceCode"
         FROM registry.organisation WHERE kbo_number = ANY($1)`,
      [kboNumbers],
    );
  }

  /** Which of these KBO numbers and person ids exist: one statement for both lists. */
  async existing(
    kboNumbers: readonly string[],
    personIds: readonly string[],
  ): Promise<{ kboNumbers: string[]; personIds: string[] }> {
    const [row] = await this.ds.query(
      `SELECT ARRAY(SELECT kbo_number::text FROM registry.organisation WHERE kbo_number = ANY ($1::bpchar[])
                     ORDER BY kbo_number) AS "kboNumbers",
              ARRAY(SELECT id FROM registry.person WHERE id = ANY ($2::text[]) ORDER BY id) AS "personIds"`,
      [kboNumbers, personIds],
    );
    return row;
  }

  /** The id of the person with this national number (11 digits), or null. */
  async personIdByInsz(insz: string): Promise<string | null> {
    const [row] = await this.ds.query('SELECT id FROM registry.person WHERE insz = $1', [insz]);
    return (row?.id as string | undefined) ?? null;
  }

  async personsByIds(ids: readonly string[]): Promise<PersonRecord[]> {
    return this.ds.query(
      `SELECT id, insz, given_name AS "givenName", family_name AS "familyName", province_code AS "provinceCode"
         FROM registry.person WHERE id = ANY($1)`,
      [ids],
    );
  }
}
