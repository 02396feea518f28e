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

  async personsByIds(ids: readonly string[]): Promise<PersonRecord[]> {
    return this.ds.query(
      `SELECT id, insz, given_name AS "givenName", family_name AS "familyName", province_code AS "provinceCode"
         FROM registry.person WHERE id = ANY($1)`,
      [ids],
    );
  }
}
