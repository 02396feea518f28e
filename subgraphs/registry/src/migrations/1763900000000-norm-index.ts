import type { MigrationInterface, QueryRunner } from 'typeorm';

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
