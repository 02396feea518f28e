/** Runs one statement in the caller's transaction and gives its rows. */
export type RunSql = (sql: string, parameters?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * Loads into `tables` (of `schema`) with their secondary indexes built once afterwards instead of
 * row by row, when every one of them is empty: an initial load. Inside the caller's transaction, so
 * a failed load leaves the indexes as they were. Unique indexes and those behind constraints stay
 * (ON CONFLICT and foreign keys need them). A table that already holds rows keeps its indexes: its
 * readers would wait on the table lock for the whole load.
 *
 * Measured on the full demo profile (PGlite): 917,141 payments took 34.8 s with the five indexes
 * maintained per row; see docs/benchmarks.md for the figure with the indexes built after.
 */
export async function withIndexesBuiltAfter<T>(
  run: RunSql,
  schema: string,
  tables: string[],
  load: () => Promise<T>,
): Promise<T> {
  for (const table of tables) {
    const [row] = await run(`SELECT EXISTS (SELECT 1 FROM "${schema}"."${table}") AS present`);
    if (row!.present) return load();
  }
  const deferred = (await run(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname = ANY ($2::text[])
        AND NOT x.indisunique AND NOT x.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
      ORDER BY i.relname`,
    [schema, tables],
  )) as Array<{ name: string; definition: string }>;
  for (const index of deferred) await run(`DROP INDEX "${schema}"."${index.name}"`);
  const result = await load();
  // Index builds sort in memory up to this bound instead of spilling to disk.
  await run(`SET LOCAL maintenance_work_mem = '256MB'`);
  for (const index of deferred) await run(index.definition);
  return result;
}
