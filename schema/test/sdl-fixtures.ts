import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import type { RecordedOperation } from '@measure-graph/schema-usage';
import { parseSdlParts, type AnySubgraphDefinition } from '@measure-graph/subgraph-platform';
import { Supergraph } from '@apollo/federation-internals';
import { coordinatesOf } from '../src/coordinates.ts';
import { repoRoot } from '../src/locate.ts';

/**
 * The subgraphs as they would be after editing one SDL file (repository-relative path) as a
 * developer would: every subgraph built from that file gets the edit, and its nodes keep their
 * file and line. Throws when the text is not there, so a fixture cannot silently change nothing.
 */
export function editSdl(
  subgraphs: readonly AnySubgraphDefinition[],
  file: string,
  from: string | RegExp,
  to: string,
): AnySubgraphDefinition[] {
  let edited = 0;
  const result = subgraphs.map((s) => {
    if (!s.sdlParts?.some((p) => path.relative(repoRoot, p.file) === file)) return s;
    const sdlParts = s.sdlParts.map((p) => {
      if (path.relative(repoRoot, p.file) !== file) return p;
      const text = p.text.replace(from, to);
      if (text === p.text) throw new Error(`${String(from)} is not in ${file}`);
      edited++;
      return { ...p, text };
    });
    return { ...s, sdlParts, typeDefs: parseSdlParts(sdlParts) };
  });
  if (edited === 0) throw new Error(`no subgraph is built from ${file}`);
  return result;
}

/** An operation as the gateway records it: its coordinates taken from the schema it ran against. */
export function recorded(
  supergraphSdl: string,
  document: string,
  seen: { lastSeen: string; clients?: Array<{ name: string; version: string }> },
): RecordedOperation {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  const doc = parse(document);
  const op = doc.definitions.find((d) => d.kind === 'OperationDefinition');
  return {
    hash: createHash('sha256').update(document).digest('hex'),
    name: op && 'name' in op ? (op.name?.value ?? null) : null,
    document,
    coordinates: [...coordinatesOf(api, doc)].sort(),
    clients: seen.clients ?? [{ name: 'bi-dashboard', version: '3.1.0' }],
    firstSeen: seen.lastSeen,
    lastSeen: seen.lastSeen,
    count: 17,
  };
}

/** The 1-based line of a file (repository-relative) holding `text`, once: expected lines follow the file. */
export function lineOf(file: string, text: string): number {
  const lines = fs.readFileSync(path.join(repoRoot, file), 'utf8').split('\n');
  const found = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  if (found.length !== 1) throw new Error(`${text} is on ${found.length} lines of ${file}`);
  return found[0]!;
}
