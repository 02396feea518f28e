import { notFound } from '@measure-graph/errors';
import { parseLocalTime } from '@measure-graph/measure-module/validation';
import type { FileContext } from '../context.ts';
import type { Database } from '../databases.ts';
import type { ErrorCollector } from '../report.ts';
import { rule } from '../rows.ts';
import { Stager, type StagingTable } from '../staging.ts';
import { check, inTransaction } from './common.ts';

/** Name of the activation subgraph, whose database holds appeals and combined procedures. */
export const ACTIVATION = 'activation';

/**
 * Runs one activation file in one transaction on the activation database: `work` stages, checks
 * and writes, returns whether it wrote.
 */
export async function inActivation(
  ctx: FileContext,
  tables: readonly StagingTable[],
  work: (db: Database, stager: Stager) => Promise<boolean>,
): Promise<boolean> {
  const db = await ctx.databases.of(ACTIVATION);
  return inTransaction([db], async () => {
    const stager = new Stager(db.client, db.staging);
    for (const table of tables) await stager.create(table);
    return work(db, stager);
  });
}

/**
 * A local date-time of the activation mutations (parseLocalTime, as lodgeAppeal and
 * recordFederalDecision read theirs): from 2000 on, not after the import's time in Belgium.
 * `asDay` keeps the day only. Undefined (and an error) when refused.
 */
export function localTime(
  errors: ErrorCollector,
  line: number,
  field: string,
  value: string,
  now: string,
  asDay = false,
): string | undefined {
  return rule(errors, line, field, () => {
    const t = parseLocalTime(value, field, now);
    return asDay ? t.slice(0, 10) : t;
  });
}

/**
 * The staged rows of `table` (line, dossier_ref) whose dossierRef names no dossier of the
 * activation domain (by the sourceRef dossiers.jsonl gave it).
 */
export async function checkDossierRefs(db: Database, errors: ErrorCollector, table: string): Promise<void> {
  await check(
    db,
    errors,
    `SELECT i.line, 'dossierRef', i.dossier_ref, NULL FROM ${table} i
      WHERE NOT EXISTS (SELECT 1 FROM activation.dossier d WHERE d.source_ref = i.dossier_ref)`,
    [],
    (r) => notFound('Dossier of the activation domain', 'dossierRef', r.value!).message,
  );
}
