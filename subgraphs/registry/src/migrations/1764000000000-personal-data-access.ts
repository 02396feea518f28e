import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The personal-data access log: one row per read of a national number (who, whose, which field,
 * why, which request; never the number). Append-only: triggers refuse UPDATE, DELETE and TRUNCATE,
 * so neither a bug nor a compromised service account can rewrite the trail through this service.
 */
export class RegistryPersonalDataAccess1764000000000 implements MigrationInterface {
  name = 'RegistryPersonalDataAccess1764000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE registry.personal_data_access (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        accessed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        subject text NOT NULL CHECK (subject <> ''),
        client_id text,
        person_id text NOT NULL REFERENCES registry.person (id),
        field text NOT NULL,
        purpose text NOT NULL CHECK (length(purpose) BETWEEN 3 AND 200),
        request_id text
      )`);
    await qr.query('CREATE INDEX personal_data_access_person_idx ON registry.personal_data_access (person_id, id)');
    await qr.query('CREATE INDEX personal_data_access_subject_idx ON registry.personal_data_access (subject, id)');
    await qr.query(`
      CREATE FUNCTION registry.refuse_access_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'registry.personal_data_access is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await qr.query(`
      CREATE TRIGGER personal_data_access_no_change BEFORE UPDATE OR DELETE ON registry.personal_data_access
      FOR EACH ROW EXECUTE FUNCTION registry.refuse_access_log_change()`);
    await qr.query(`
      CREATE TRIGGER personal_data_access_no_truncate BEFORE TRUNCATE ON registry.personal_data_access
      FOR EACH STATEMENT EXECUTE FUNCTION registry.refuse_access_log_change()`);
  }

  async down(qr: QueryRunner): Promise<void> {
    // Reverting must not erase the trail: archive it first (see docs/operations.md).
    const [{ kept }] = await qr.query('SELECT count(*)::int AS kept FROM registry.personal_data_access');
    if (kept > 0) throw new Error(`registry.personal_data_access holds ${kept} rows: archive them before reverting`);
    await qr.query('DROP TABLE registry.personal_data_access');
    await qr.query('DROP FUNCTION registry.refuse_access_log_change()');
  }
}
