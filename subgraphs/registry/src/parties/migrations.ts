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

/** The role that owns the access log where the migration may create it (docs/operations.md). */
export const AUDIT_OWNER_ROLE = 'measure_graph_audit_owner';

/**
 * The access log becomes tamper-evident:
 * - its refusing triggers fire ALWAYS, so `SET session_replication_role = replica` no longer
 *   bypasses them;
 * - every new row carries `prev_hash`, `hash` and `key_id` of the hash chain the registry computes
 *   with a key the database never sees (parties/access-log-chain.ts). Rows written before this
 *   migration have none: the chain starts at the first row written with a key, and the verification
 *   counts older rows as unchained. A constraint (NOT VALID: older rows are left as they are)
 *   refuses new rows without them;
 * - where the current role may (superuser or CREATEROLE), a NOLOGIN role owns the table, its
 *   sequence and the trigger function, and the current role keeps only SELECT and INSERT, so the
 *   service's own role can neither rewrite rows nor disable the triggers. Without those rights this
 *   step is skipped: the DBA sets the roles up (docs/operations.md, "Personal data").
 */
export class RegistryAccessLogChain1764100000000 implements MigrationInterface {
  name = 'RegistryAccessLogChain1764100000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      ALTER TABLE registry.personal_data_access
        ADD COLUMN prev_hash text,
        ADD COLUMN hash text,
        ADD COLUMN key_id text`);
    await qr.query(`
      ALTER TABLE registry.personal_data_access ADD CONSTRAINT personal_data_access_chained CHECK (
        prev_hash IS NOT NULL AND hash IS NOT NULL AND key_id IS NOT NULL
        AND prev_hash ~ '^[0-9a-f]{64}$' AND hash ~ '^[0-9a-f]{64}$' AND key_id ~ '^[0-9a-f]{16}$'
      ) NOT VALID`);
    await qr.query('ALTER TABLE registry.personal_data_access ENABLE ALWAYS TRIGGER personal_data_access_no_change');
    await qr.query('ALTER TABLE registry.personal_data_access ENABLE ALWAYS TRIGGER personal_data_access_no_truncate');
    await qr.query(`
      DO $$
      DECLARE
        me pg_roles%ROWTYPE;
      BEGIN
        SELECT * INTO me FROM pg_roles WHERE rolname = current_user;
        IF NOT (me.rolsuper OR me.rolcreaterole) THEN
          RETURN;
        END IF;
        BEGIN
          CREATE ROLE ${AUDIT_OWNER_ROLE} NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
          NULL; -- made by another database's migration (roles belong to the whole server)
        END;
        IF NOT me.rolsuper THEN
          -- ALTER ... OWNER needs membership of the new owner, which needs CREATE on the schema.
          GRANT ${AUDIT_OWNER_ROLE} TO CURRENT_USER;
          GRANT CREATE ON SCHEMA registry TO ${AUDIT_OWNER_ROLE};
        END IF;
        ALTER TABLE registry.personal_data_access OWNER TO ${AUDIT_OWNER_ROLE};
        ALTER FUNCTION registry.refuse_access_log_change() OWNER TO ${AUDIT_OWNER_ROLE};
        GRANT SELECT, INSERT ON registry.personal_data_access TO CURRENT_USER;
        EXECUTE format('GRANT USAGE ON SEQUENCE %s TO CURRENT_USER',
                       pg_get_serial_sequence('registry.personal_data_access', 'id'));
        IF NOT me.rolsuper THEN
          REVOKE CREATE ON SCHEMA registry FROM ${AUDIT_OWNER_ROLE};
          REVOKE ${AUDIT_OWNER_ROLE} FROM CURRENT_USER;
        END IF;
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'registry.personal_data_access keeps its owner: %', SQLERRM;
      END $$`);
  }

  async down(qr: QueryRunner): Promise<void> {
    // Reverting must not erase the chain: archive the log first (see docs/operations.md).
    const [{ chained }] = await qr.query(
      'SELECT count(*)::int AS chained FROM registry.personal_data_access WHERE hash IS NOT NULL',
    );
    if (chained > 0) {
      throw new Error(`registry.personal_data_access holds ${chained} chained rows: archive them before reverting`);
    }
    // Taking the table back needs a superuser (or the owner role); the rest needs the owner.
    await qr.query(`
      DO $$
      BEGIN
        ALTER TABLE registry.personal_data_access OWNER TO CURRENT_USER;
        ALTER FUNCTION registry.refuse_access_log_change() OWNER TO CURRENT_USER;
      EXCEPTION WHEN insufficient_privilege THEN
        NULL;
      END $$`);
    await qr.query('ALTER TABLE registry.personal_data_access ENABLE TRIGGER personal_data_access_no_change');
    await qr.query('ALTER TABLE registry.personal_data_access ENABLE TRIGGER personal_data_access_no_truncate');
    await qr.query('ALTER TABLE registry.personal_data_access DROP CONSTRAINT personal_data_access_chained');
    await qr.query(
      'ALTER TABLE registry.personal_data_access DROP COLUMN prev_hash, DROP COLUMN hash, DROP COLUMN key_id',
    );
  }
}
