import type { MigrationInterface, QueryRunner } from 'typeorm';

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
