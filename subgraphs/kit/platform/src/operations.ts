import { createHash } from 'node:crypto';
import { parse, print } from 'graphql';

/**
 * Hash of a GraphQL document for the safelist: SHA-256 of its printed form, so whitespace,
 * comments and formatting do not matter but every selection does. Throws on a document that does
 * not parse.
 */
export const operationHash = (document: string): string =>
  createHash('sha256')
    .update(print(parse(document, { noLocation: true })))
    .digest('hex');
