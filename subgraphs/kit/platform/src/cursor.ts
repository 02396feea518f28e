import { badInput } from '@measure-graph/errors';

/** Opaque keyset cursor: base64url of a JSON array of the sort key. */
export const encodeCursor = (parts: Array<string | null>): string =>
  Buffer.from(JSON.stringify(parts)).toString('base64url');

/** Decodes a cursor made by encodeCursor with `arity` parts; BAD_USER_INPUT for anything else. */
export function decodeCursor(cursor: string, arity: number, field = 'after'): string[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === arity && parts.every((p) => typeof p === 'string')) return parts;
  } catch {
    // fall through to the coded error
  }
  throw badInput(`${field} is not a cursor of this list`, field);
}

/** Page sizes: 1 to 1000, as for every connection of the graph. */
export function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw badInput('first must be between 1 and 1000', 'first');
  return n;
}
