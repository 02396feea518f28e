import { runIdempotent } from '@measure-graph/measure-module';
import type { DataSource, EntityManager } from 'typeorm';

export { checkIdempotencyKey } from '@measure-graph/measure-module';
export { parseDay } from '../training/rules.ts';

/** What the competences objects' mutations share (vouchers and dual learning): days and idempotency. */
const S = 'competences';

/**
 * Runs a command in one transaction, idempotent per its idempotencyKey on this schema's idempotency
 * table (the kit's, as the dossier commands): a retry returns the first outcome, another request
 * with the same key is a CONFLICT.
 */
export const idempotent = (
  ds: DataSource,
  operation: string,
  request: { idempotencyKey: string },
  work: (em: EntityManager) => Promise<string>,
): Promise<string> => runIdempotent(ds, S, request.idempotencyKey, operation, request, work);
