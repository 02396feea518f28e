import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@measure-graph/errors';

const UNIQUE_VIOLATION = '23505';

/**
 * Runs `work` in a transaction unless `key` was used before in `<schema>.idempotency` (the kit's
 * table, see migrations.ts): then returns the first outcome when the request is the same, or fails
 * with CONFLICT when it differs. Two concurrent first uses of a key meet at the primary key; the
 * loser's transaction rolls back and it returns the winner's result. Every mutation of every domain
 * that takes an idempotencyKey goes through here.
 */
export async function runIdempotent(
  ds: DataSource,
  schema: string,
  key: string,
  operation: string,
  request: object,
  work: (em: EntityManager) => Promise<string>,
): Promise<string> {
  const { idempotencyKey: _key, ...rest } = request as Record<string, unknown>;
  const hash = createHash('sha256')
    .update(JSON.stringify({ operation, ...rest }))
    .digest('hex');
  const previous = async (em: EntityManager | DataSource) => {
    const rows: Array<{ operation: string; hash: string; resultId: string }> = await em.query(
      `SELECT operation, request_hash AS hash, result_id::text AS "resultId" FROM "${schema}".idempotency WHERE key = $1`,
      [key],
    );
    const row = rows[0];
    if (row && (row.hash !== hash || row.operation !== operation)) {
      throw new DomainError('CONFLICT', 'idempotencyKey was already used for a different request', {
        field: 'idempotencyKey',
      });
    }
    return row?.resultId;
  };
  try {
    return await ds.transaction(async (em) => {
      const earlier = await previous(em);
      if (earlier) return earlier;
      const result = await work(em);
      await em.query(
        `INSERT INTO "${schema}".idempotency (key, operation, request_hash, result_id) VALUES ($1, $2, $3, $4)`,
        [key, operation, hash, result],
      );
      return result;
    });
  } catch (err) {
    const code =
      (err as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (err as { code?: string }).code;
    if (code === UNIQUE_VIOLATION) {
      const winner = await previous(ds);
      if (winner) return winner;
    }
    throw err;
  }
}
