import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'activation';

/**
 * The federal part of the combined procedure (gecombineerde vergunning, single permit): once
 * Flanders grants the labour-market part of a single permit, the file goes to the federal
 * Immigration Office (Dienst Vreemdelingenzaken), which decides on the residence part. One row per
 * dossier sent; the Flemish part stays the dossier's own lifecycle.
 */
class ActivationCombinedProcedure1765610000000 implements MigrationInterface {
  name = 'ActivationCombinedProcedure1765610000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE ${S}.combined_procedure (
        dossier_id bigint PRIMARY KEY REFERENCES ${S}.dossier (id),
        sent_on date NOT NULL,
        -- The Immigration Office's own reference of the file.
        federal_reference text UNIQUE CHECK (federal_reference ~ '^[A-Z0-9][A-Z0-9/-]{3,39}$'),
        federal_decision text NOT NULL DEFAULT 'PENDING' CHECK (federal_decision IN ('PENDING', 'GRANTED', 'REFUSED')),
        federal_decided_on date,
        CHECK ((federal_decision = 'PENDING') = (federal_decided_on IS NULL)),
        CHECK (federal_decided_on IS NULL OR federal_decided_on >= sent_on),
        CHECK (federal_decision = 'PENDING' OR federal_reference IS NOT NULL)
      )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE ${S}.combined_procedure`);
  }
}

export const activationPermitMigrations = [ActivationCombinedProcedure1765610000000];
