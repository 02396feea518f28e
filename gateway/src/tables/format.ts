import type { TableColumn } from './catalogue.ts';

/**
 * The three renderings of a table's rows. Each is written row by row (header, rows, footer), so a
 * paged table is streamed without ever holding more than a page.
 */

export type TableFormat = 'csv' | 'jsonl' | 'json';
export const TABLE_FORMATS: readonly TableFormat[] = ['csv', 'jsonl', 'json'];

export const CONTENT_TYPES: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export type Cell = string | number | boolean | null;

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, its quotes doubled. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// A decimal arrives as an exact decimal string (money) or a number: written as the number it is,
// digit for digit, never through a binary double.
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** A cell as a JSON value: decimals and integers as JSON numbers (exact text), the rest as JSON. */
function jsonValue(value: Cell, column: TableColumn): string {
  if (value === null) return 'null';
  if ((column.type === 'decimal' || column.type === 'integer') && typeof value === 'string' && DECIMAL.test(value))
    return value;
  return JSON.stringify(value);
}

export interface TableWriter {
  header(): string;
  row(cells: Cell[], first: boolean): string;
  footer(): string;
  /** What ends a stream that failed after rows were sent, for a connector to notice. */
  errorMarker(code: string, message: string): string;
}

export function tableWriter(format: TableFormat, columns: TableColumn[], bom: boolean): TableWriter {
  const keys = columns.map((c) => JSON.stringify(c.name));
  const object = (cells: Cell[]) =>
    `{${cells.map((cell, i) => `${keys[i]}:${jsonValue(cell, columns[i]!)}`).join(',')}}`;
  const errorObject = (code: string, message: string) => JSON.stringify({ error: { code, message } });
  switch (format) {
    case 'csv':
      return {
        header: () => `${bom ? '\uFEFF' : ''}${columns.map((c) => csvField(c.name)).join(',')}\r\n`,
        row: (cells) => `${cells.map(csvField).join(',')}\r\n`,
        footer: () => '',
        errorMarker: (code, message) => `#ERROR,${csvField(code)},${csvField(message)}\r\n`,
      };
    case 'jsonl':
      return {
        header: () => '',
        row: (cells) => `${object(cells)}\n`,
        footer: () => '',
        errorMarker: (code, message) => `${errorObject(code, message)}\n`,
      };
    case 'json':
      return {
        header: () => '[',
        row: (cells, first) => `${first ? '\n' : ',\n'}${object(cells)}`,
        footer: () => '\n]\n',
        // Not valid JSON on purpose: a parser fails on it rather than taking a truncated array.
        errorMarker: (code, message) => `\n#ERROR ${errorObject(code, message)}\n`,
      };
  }
}
