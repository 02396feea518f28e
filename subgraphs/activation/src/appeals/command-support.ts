import { notFound } from '@measure-graph/errors';
import { EVENT_COPIED_COLUMNS, runIdempotent } from '@measure-graph/measure-module';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * What the activation domain's own commands (appeals, the combined procedure) share with the kit's
 * dossier commands: idempotency keys in the same table, dossier ids, and events written the way
 * the kit writes them (checkIdempotencyKey comes from the kit too).
 */
const S = 'activation';

/** "ACT-123" -> "123"; NOT_FOUND for ids of another domain or malformed ones (as the kit's commands). */
export function dossierLocalId(dossierId: string, field = 'dossierId'): string {
  const m = /^ACT-(\d{1,15})$/.exec(dossierId);
  if (!m) throw notFound('Dossier', field, dossierId);
  return m[1]!;
}

/** Writes one event on a dossier, with the columns norms read of it; returns the event's id. */
export async function recordEvent(em: EntityManager, dossierId: string, type: string, at: string): Promise<string> {
  const [{ id }] = await em.query(
    `INSERT INTO ${S}.dossier_event (dossier_id, type, occurred_at, ${EVENT_COPIED_COLUMNS})
     SELECT d.id, $2, $3, ${EVENT_COPIED_COLUMNS} FROM ${S}.dossier d WHERE d.id = $1 RETURNING id::text`,
    [dossierId, type, at],
  );
  return id as string;
}

/**
 * Runs `work` in one transaction unless the key was used before, in the domain's idempotency
 * table shared with the kit's dossier commands (a key is unique across every mutation of the domain).
 */
export const idempotent = (
  ds: DataSource,
  key: string,
  operation: string,
  request: object,
  work: (em: EntityManager) => Promise<string>,
): Promise<string> => runIdempotent(ds, S, key, operation, request, work);
