import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Migrations of the generic measure-module tables, parameterised by the domain's schema so every
 * domain subgraph has its own copy and never reads another domain's tables.
 */
export function measureModuleMigrations(schema: string): Array<new () => MigrationInterface> {
  class MeasureModuleInit1763800000000 implements MigrationInterface {
    name = 'MeasureModuleInit1763800000000';

    async up(qr: QueryRunner): Promise<void> {
      await qr.query(`
        CREATE TABLE "${schema}".measure_module (
          code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]*$')
        )`);
      await qr.query(`
        CREATE TABLE "${schema}".norm (
          id text PRIMARY KEY,
          measure_code text NOT NULL REFERENCES "${schema}".measure_module (code),
          position integer NOT NULL CHECK (position > 0),
          label text NOT NULL,
          stage text NOT NULL CHECK (stage IN ('ADMISSIBILITY', 'DECISION', 'PAYMENT', 'ADVICE', 'OTHER')),
          kind text NOT NULL CHECK (kind IN ('LEGAL', 'INTERNAL', 'UNSPECIFIED')),
          target_share numeric(5, 4) CHECK (target_share BETWEEN 0 AND 1),
          threshold_days numeric(6, 2) CHECK (threshold_days > 0),
          threshold_rule text,
          channel text CHECK (channel IN ('ONLINE', 'PAPER')),
          overview_row_id text UNIQUE,
          UNIQUE (measure_code, position)
        )`);
    }

    async down(qr: QueryRunner): Promise<void> {
      await qr.query(`DROP TABLE "${schema}".norm`);
      await qr.query(`DROP TABLE "${schema}".measure_module`);
    }
  }
  return [MeasureModuleInit1763800000000];
}
