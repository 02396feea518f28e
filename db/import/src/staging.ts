import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A staging table: temporary, dropped at the end of the file's transaction. */
export interface StagingTable {
  name: string;
  /** Column name and SQL type, in the order rows give their values. */
  columns: ReadonlyArray<readonly [string, string]>;
}

export type StagedValue = string | number | boolean | null;

/** Rows are sent to the database in batches of this many. */
export const STAGING_BATCH = 5_000;

/** A value in COPY's text format: `\N` for null, backslash, tab and line breaks escaped. */
export function copyText(value: StagedValue): string {
  if (value === null) return '\\N';
  const text = typeof value === 'string' ? value : String(value);
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * Bulk load into staging tables on one connection. On a PostgreSQL server rows go in with
 * `COPY ... FROM STDIN` (pg-copy-streams), the fastest way in. The embedded PGlite cannot take COPY
 * FROM STDIN over the wire protocol (it drops the connection: "protocol synchronization was lost"),
 * so there each batch is one `INSERT ... SELECT FROM jsonb_to_recordset($1)`: one statement and one
 * parameter per batch, about three times slower than COPY on a server (docs/data-format.md).
 */
export class Stager {
  private readonly buffers = new Map<StagingTable, StagedValue[][]>();
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    readonly client: pg.ClientBase,
    readonly method: 'copy' | 'insert',
  ) {}

  async create(table: StagingTable): Promise<void> {
    const columns = table.columns.map(([name, type]) => `${name} ${type}`).join(', ');
    await this.client.query(`CREATE TEMP TABLE ${table.name} (${columns}) ON COMMIT DROP`);
  }

  /** Queues a row; a full batch is sent at once. */
  async add(table: StagingTable, row: StagedValue[]): Promise<void> {
    let rows = this.buffers.get(table);
    if (!rows) this.buffers.set(table, (rows = []));
    rows.push(row);
    if (rows.length >= STAGING_BATCH) await this.send(table);
  }

  /** Sends what is queued and refreshes the planner's statistics of the staging tables. */
  async finish(): Promise<void> {
    for (const table of this.buffers.keys()) await this.send(table);
    await this.inflight;
    // Autovacuum never analyses temporary tables; without statistics the checks and upserts below
    // would be planned for an empty table.
    for (const table of this.buffers.keys()) await this.client.query(`ANALYZE ${table.name}`);
  }

  /**
   * Starts sending a batch and waits for the one before it: one batch is in flight while the next
   * is read and checked, so the database and the row checks work at the same time.
   */
  private async send(table: StagingTable): Promise<void> {
    const rows = this.buffers.get(table);
    if (!rows || rows.length === 0) return;
    this.buffers.set(table, []);
    const previous = this.inflight;
    this.inflight = previous.then(() => this.write(table, rows));
    // Its failure is awaited (and thrown) by the next send or by finish, not reported as unhandled.
    this.inflight.catch(() => undefined);
    await previous;
  }

  private async write(table: StagingTable, rows: StagedValue[][]): Promise<void> {
    const names = table.columns.map(([name]) => name).join(', ');
    if (this.method === 'copy') {
      const text = rows.map((row) => row.map(copyText).join('\t')).join('\n') + '\n';
      await pipeline(Readable.from([text]), this.client.query(copyFrom(`COPY ${table.name} (${names}) FROM STDIN`)));
    } else {
      const objects = rows.map((row) => Object.fromEntries(table.columns.map(([name], i) => [name, row[i]])));
      const types = table.columns.map(([name, type]) => `${name} ${type}`).join(', ');
      await this.client.query(
        `INSERT INTO ${table.name} (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r (${types})`,
        [JSON.stringify(objects)],
      );
    }
  }
}
