import fs from 'node:fs';
import { operationHash } from '@measure-graph/subgraph-platform';

/**
 * Safelist mode: only documents whose hash is in the manifest (schema/safelist.json, built from
 * the repository's client operations) are executed.
 */
export function loadSafelist(file: string): Set<string> {
  const hashes = readManifest(file)
    .map((o) => o.hash)
    .filter((h): h is string => typeof h === 'string');
  if (hashes.length === 0) throw new Error('the safelist has no operations');
  return new Set(hashes);
}

/** The operation names of a manifest: registered operations, labelled by name in the metrics. */
export const manifestNames = (file: string): string[] =>
  readManifest(file)
    .map((o) => o.name)
    .filter((n): n is string => typeof n === 'string');

function readManifest(file: string): Array<{ hash?: unknown; name?: unknown }> {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    operations?: Array<{ hash?: unknown; name?: unknown }>;
  };
  return parsed.operations ?? [];
}

/** Whether a document is on the safelist; a document that does not parse is left to GraphQL to refuse. */
export function isSafelisted(query: string, safelist: Set<string>): boolean {
  try {
    return safelist.has(operationHash(query));
  } catch {
    return true;
  }
}
