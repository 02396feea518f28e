import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, type ASTNode, type DefinitionNode, type DocumentNode } from 'graphql';
import { locateSdl, type AnySubgraphDefinition } from '@measure-graph/subgraph-platform';

/** The repository's root: locations are printed relative to it, as a reviewer opens them. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where an element of a subgraph's SDL is written. */
export interface SourceLocation {
  subgraph: string;
  /** Relative to the repository root; absent when the node cannot be traced to a part. */
  file?: string;
  line?: number;
  column?: number;
  /** `template`: a filled template's line; `generated`: built by code, the line counts in the built SDL. */
  origin?: 'file' | 'template' | 'generated';
}

/** The file and line of a node of `subgraph`'s typeDefs (parsed from its SDL parts). */
export function locateNode(subgraph: AnySubgraphDefinition, node: ASTNode | undefined): SourceLocation {
  const loc = node?.loc;
  // A node of another document (e.g. one composition made up) has no place in this subgraph's files.
  if (!loc || !subgraph.sdlParts || loc.source.body !== subgraph.typeDefs.loc?.source.body) {
    return { subgraph: subgraph.name };
  }
  // The name's line, not the description's above it: the line a reviewer looks for.
  const named = (node as { name?: { loc?: { start: number } } }).name?.loc?.start;
  const at = locateSdl(subgraph.sdlParts, named ?? loc.start);
  if (!at) return { subgraph: subgraph.name };
  return {
    subgraph: subgraph.name,
    file: path.relative(repoRoot, at.file),
    line: at.line,
    column: at.column,
    origin: at.origin,
  };
}

export function formatLocation(l: SourceLocation): string {
  if (!l.file) return `[${l.subgraph}]`;
  const where = l.origin === 'generated' ? `${l.file} (generated SDL, line ${l.line})` : `${l.file}:${l.line}`;
  return `[${l.subgraph}] ${where}`;
}

type NamedDefinition = Extract<DefinitionNode, { name: { value: string } }>;

const namedDefinitions = (doc: DocumentNode, name: string): NamedDefinition[] =>
  doc.definitions.filter((d): d is NamedDefinition => 'name' in d && d.name?.value === name);

/**
 * The nodes that define a schema coordinate (`Type`, `Type.field`, `Type.field(arg:)`,
 * `Enum.VALUE`, `Input.field`) in a subgraph's SDL, every definition and extension of the type
 * included. When the element itself is not there (it was removed), its nearest enclosing element
 * is: the field of a removed argument, the type of a removed field.
 */
export function definitionNodes(doc: DocumentNode, coordinate: string): ASTNode[] {
  const match = /^([_A-Za-z][_0-9A-Za-z]*)(?:\.([_A-Za-z][_0-9A-Za-z]*)(?:\(([_A-Za-z][_0-9A-Za-z]*):\))?)?$/.exec(
    coordinate,
  );
  if (!match) return [];
  const [, typeName, memberName, argName] = match;
  const types = namedDefinitions(doc, typeName!);
  if (!memberName) return types;
  const members: ASTNode[] = [];
  const args: ASTNode[] = [];
  for (const t of types) {
    const list =
      t.kind === Kind.ENUM_TYPE_DEFINITION || t.kind === Kind.ENUM_TYPE_EXTENSION
        ? t.values
        : 'fields' in t
          ? t.fields
          : undefined;
    for (const member of list ?? []) {
      if (member.name.value !== memberName) continue;
      members.push(member);
      if (argName && member.kind === Kind.FIELD_DEFINITION) {
        args.push(...(member.arguments ?? []).filter((a) => a.name.value === argName));
      }
    }
  }
  if (args.length > 0) return args;
  return members.length > 0 ? members : types;
}
