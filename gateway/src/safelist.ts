import fs from 'node:fs';
import { operationHash } from '@measure-graph/subgraph-platform';
import { getOperationAST, Kind, parse, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

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

/**
 * Whether the operation that would run asks only the introspection fields (__schema, __type,
 * __typename) at its root, through fragments too: what an IDE sends to learn the schema. A document
 * that does not parse or names no operation is not one.
 */
export function isIntrospectionOnly(query: string, operationName?: string | null): boolean {
  let document;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return false;
  }
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation || operation.operation !== 'query') return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();
  const rootOnlyMeta = (set: SelectionSetNode): boolean =>
    set.selections.every((sel) => {
      if (sel.kind === Kind.FIELD) return sel.name.value.startsWith('__');
      if (sel.kind === Kind.INLINE_FRAGMENT) return rootOnlyMeta(sel.selectionSet);
      const fragment = fragments.get(sel.name.value);
      if (!fragment || seen.has(fragment.name.value)) return false;
      seen.add(fragment.name.value);
      return rootOnlyMeta(fragment.selectionSet);
    });
  return rootOnlyMeta(operation.selectionSet);
}
