import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalogue of measures, provinces, organisations and persons: the registry's own tables (the first
 * migration, here with the catalogue; the party tables' later migrations are in parties/migrations.ts).
 */
export class RegistryInit1763800000000 implements MigrationInterface {
  name = 'RegistryInit1763800000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE registry.measure (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
        position integer NOT NULL UNIQUE,
        name text NOT NULL,
        domain text NOT NULL CHECK (domain IN ('ACTIVATION', 'COMPETENCES', 'SOCIAL_ECONOMY', 'INSPECTION')),
        status text NOT NULL CHECK (status IN ('ACTIVE', 'PHASING_OUT', 'REFORM')),
        policy_field text NOT NULL CHECK (policy_field IN ('WORK', 'COMPETENCES', 'SOCIAL_ECONOMY')),
        objective_code text NOT NULL,
        objective_heading text NOT NULL,
        budget_article text,
        report_section text NOT NULL
      )`);
    await qr.query(`
      CREATE TABLE registry.province (
        code text PRIMARY KEY,
        name text NOT NULL UNIQUE
      )`);
    await qr.query(`
      CREATE TABLE registry.organisation (
        kbo_number char(10) PRIMARY KEY CHECK (kbo_number ~ '^[01][0-9]{9}$'),
        name text NOT NULL,
        province_code text NOT NULL REFERENCES registry.province (code)
      )`);
    await qr.query(`
      CREATE TABLE registry.person (
        id text PRIMARY KEY,
        insz char(11) NOT NULL UNIQUE CHECK (insz ~ '^[0-9]{11}$'),
        given_name text NOT NULL,
        family_name text NOT NULL,
        birth_date date NOT NULL,
        province_code text NOT NULL REFERENCES registry.province (code)
      )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE registry.person');
    await qr.query('DROP TABLE registry.organisation');
    await qr.query('DROP TABLE registry.province');
    await qr.query('DROP TABLE registry.measure');
  }
}

/**
 * The report's list of norms (which norm belongs to which measure, and its row in the overview
 * table), so the registry can list the rows of the flat norm table; the figures come from the
 * domain owning each norm.
 */
export class RegistryNormIndex1763900000000 implements MigrationInterface {
  name = 'RegistryNormIndex1763900000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE registry.norm_index (
        id text PRIMARY KEY,
        measure_code text NOT NULL REFERENCES registry.measure (code),
        position integer NOT NULL,
        overview_row_id text UNIQUE,
        UNIQUE (measure_code, position)
      )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE registry.norm_index');
  }
}
