import { badInput } from '@measure-graph/errors';

/**
 * Relay global ids: opaque base64url of `<Typename>:<key>` (docs/architecture.md, "Relay"). The
 * type name is the one the id was made for (`Organisation`, `Measure`), so an id stays the same
 * whichever concrete type answers it later.
 */
export const toGlobalId = (typename: string, key: string): string =>
  Buffer.from(`${typename}:${key}`, 'utf8').toString('base64url');

/** The type name and key of a global id, or null when the text is not one (it may be another kind of id). */
export function fromGlobalId(id: string): { typename: string; key: string } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  // A round trip rejects text that merely decodes (any base64url string decodes to something).
  if (Buffer.from(text, 'utf8').toString('base64url') !== id) return null;
  const m = /^([A-Z][A-Za-z]*):(.+)$/.exec(text);
  return m ? { typename: m[1]!, key: m[2]! } : null;
}

/** BAD_USER_INPUT for an id that is none of the graph's global ids. */
export const notAGlobalId = (id: string) =>
  badInput(`"${id}" is not a global id of this graph (Measure.id, Organisation.id, Person.id or a dossier id)`, 'id');
