/** One problem of one row: where it is (file, line, field) and why it is refused. */
export interface RowError {
  file: string;
  /** 1-based line of the file. */
  line: number;
  /** Path of the field in the row, e.g. `kboNumber`, `events[1].at`; `(row)` for the row as a whole. */
  field: string;
  reason: string;
}

/** What happened to one file. */
export interface FileReport {
  file: string;
  /** Rows read (non-blank lines). */
  rows: number;
  /** True when the file was written; false when it was refused (nothing of it was written). */
  loaded: boolean;
  /** All problems found, in line order; at most `errorLimit` of them are listed. */
  errors: RowError[];
  /** Every problem found, also those beyond the list. */
  errorCount: number;
  /** Rows or items written, e.g. { inserted: 10, updated: 2, unchanged: 88 }. */
  counts: Record<string, number>;
  milliseconds: number;
}

/** How many errors of one file are listed (all are counted). */
export const DEFAULT_ERROR_LIMIT = 100;

/**
 * Collects the errors of one file: the first `limit` by line are kept, the rest only counted. Errors
 * arrive from the row checks (in line order) and from the database checks (each sorted by line), so
 * keeping the smallest lines of each source keeps the smallest lines overall.
 */
export class ErrorCollector {
  private kept: RowError[] = [];
  count = 0;

  constructor(
    readonly file: string,
    readonly limit: number = DEFAULT_ERROR_LIMIT,
  ) {}

  add(line: number, field: string, reason: string): void {
    this.count += 1;
    this.kept.push({ file: this.file, line, field, reason });
    if (this.kept.length > this.limit * 2) this.trim();
  }

  /** Adds the errors of one database check: `rows` are its first ones by line, `total` all it found. */
  addChecked(rows: Array<{ line: number; field: string; reason: string }>, total: number): void {
    for (const r of rows) this.kept.push({ file: this.file, line: r.line, field: r.field, reason: r.reason });
    this.count += total;
    this.trim();
  }

  private trim(): void {
    // Stable: the errors of one line keep the order they were found in.
    this.kept.sort((a, b) => a.line - b.line);
    this.kept.length = Math.min(this.kept.length, this.limit);
  }

  list(): RowError[] {
    this.trim();
    return this.kept;
  }
}

/** `dossiers.jsonl:12: events[1].at: must not be in the future` */
export const formatRowError = (e: RowError): string => `${e.file}:${e.line}: ${e.field}: ${e.reason}`;
