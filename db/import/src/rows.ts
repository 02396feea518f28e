import fs from 'node:fs';
import readline from 'node:readline';
import { DomainError } from '@measure-graph/errors';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { ErrorCollector } from './report.ts';

/** Folder of the JSON Schemas of the dataset files (docs/data-format.md). */
export const SCHEMA_DIR = new URL('../schemas/', import.meta.url);

/** A line longer than this is refused without parsing (no row of the format comes near it). */
export const MAX_LINE_CHARS = 1_000_000;

const REAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date that exists (2021-02-29 does not). */
export function isRealDate(value: string): boolean {
  const m = REAL_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

let ajv: Ajv2020 | undefined;

/** The compiled validator of one file's JSON Schema, e.g. `organisations`. */
export function schemaValidator(name: string): ValidateFunction {
  // Strict: a typo in a schema fails here instead of passing rows unchecked. A `required` naming a
  // property declared at the top level is fine inside the applicant's oneOf.
  ajv ??= new Ajv2020({ allErrors: true, strict: true, strictRequired: false, verbose: true }).addFormat(
    'date',
    isRealDate,
  );
  const schema = JSON.parse(fs.readFileSync(new URL(`${name}.schema.json`, SCHEMA_DIR), 'utf8'));
  return ajv.compile(schema);
}

/** `/events/1/at` -> `events[1].at` */
export function fieldPath(pointer: string, property?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (property !== undefined) parts.push(property);
  let path = '';
  for (const p of parts) path += /^\d+$/.test(p) ? `[${p}]` : path ? `.${p}` : p;
  return path || '(row)';
}

/**
 * Ajv's errors of one row as field and reason. The errors under a failed `oneOf` (each branch's own
 * failure) are dropped; the `oneOf` itself says what is wrong (messages for the known ones).
 */
export function schemaErrors(
  errors: readonly ErrorObject[],
  oneOfReasons: Record<string, { field: string; reason: string }> = {},
): Array<{ field: string; reason: string }> {
  const failedOneOf = errors.filter((e) => e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  const out: Array<{ field: string; reason: string }> = [];
  for (const e of errors) {
    if (failedOneOf.some((p) => e.schemaPath.startsWith(p))) continue;
    if (e.keyword === 'oneOf') {
      out.push(oneOfReasons[e.instancePath] ?? { field: fieldPath(e.instancePath), reason: e.message ?? 'invalid' });
    } else if (e.keyword === 'required') {
      out.push({ field: fieldPath(e.instancePath, String(e.params.missingProperty)), reason: 'is required' });
    } else if (e.keyword === 'additionalProperties') {
      out.push({
        field: fieldPath(e.instancePath, String(e.params.additionalProperty)),
        reason: 'is not a field of this file (see its JSON Schema)',
      });
    } else if (e.keyword === 'enum') {
      const allowed = (e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      out.push({ field: fieldPath(e.instancePath), reason: `must be one of ${allowed}` });
    } else if (e.keyword === 'pattern') {
      // The value is not repeated: it may be personal data (a national number).
      const described = (e.parentSchema as { description?: string } | undefined)?.description;
      out.push({
        field: fieldPath(e.instancePath),
        reason: `must match ${String(e.params.pattern)}${described ? ` (${described})` : ''}`,
      });
    } else if (e.keyword === 'format' && e.params.format === 'date') {
      out.push({ field: fieldPath(e.instancePath), reason: 'must be a real calendar date YYYY-MM-DD' });
    } else {
      out.push({ field: fieldPath(e.instancePath), reason: e.message ?? 'invalid' });
    }
  }
  return out;
}

/**
 * Runs one of the kit's rules (they throw the mutations' BAD_USER_INPUT/CONFLICT errors) and turns
 * its error into a row error of `field`; the field's name is dropped from the start of the message,
 * since the report names the field already. Returns undefined when the rule refused the value.
 */
export function rule<T>(errors: ErrorCollector, line: number, field: string, check: () => T): T | undefined {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const reason = err.message.startsWith(`${field} `) ? err.message.slice(field.length + 1) : err.message;
    errors.add(line, field, reason);
    return undefined;
  }
}

/** Whether a parsed value holds a NUL character anywhere (in a key or a string). */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, v]) => key.includes('\0') || hasNul(v));
}

/** One non-blank line of a dataset file, parsed and valid against the file's JSON Schema. */
export interface ParsedLine<T> {
  line: number;
  row: T;
}

/**
 * Reads a JSON Lines file and yields the rows that parse and match the schema; the others go to
 * `errors` with their line. Blank lines are skipped; a byte-order mark at the start is ignored.
 */
export async function* readJsonLines<T>(
  file: string,
  validate: ValidateFunction,
  errors: ErrorCollector,
  counter: { rows: number },
  oneOfReasons?: Record<string, { field: string; reason: string }>,
): AsyncGenerator<ParsedLine<T>> {
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (let text of lines) {
      line += 1;
      if (line === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
      if (text.trim() === '') continue;
      counter.rows += 1;
      if (text.length > MAX_LINE_CHARS) {
        errors.add(line, '(row)', `is longer than ${MAX_LINE_CHARS} characters`);
        continue;
      }
      let row: unknown;
      try {
        row = JSON.parse(text);
      } catch (err) {
        errors.add(line, '(row)', `is not valid JSON: ${(err as Error).message}`);
        continue;
      }
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        errors.add(line, '(row)', 'must be a JSON object');
        continue;
      }
      if (text.includes('\\u0000') && hasNul(row)) {
        errors.add(line, '(row)', 'contains the character \\u0000, which PostgreSQL text cannot hold');
        continue;
      }
      if (!validate(row)) {
        for (const e of schemaErrors(validate.errors ?? [], oneOfReasons)) errors.add(line, e.field, e.reason);
        continue;
      }
      yield { line, row: row as T };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}
