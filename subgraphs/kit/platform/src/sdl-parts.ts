import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';
import { SCOPE_DIRECTIVE_FILE, SCOPE_DIRECTIVE_SDL } from '@measure-graph/auth';

/**
 * One piece of a subgraph's SDL and where it comes from. A subgraph's typeDefs are its parts joined
 * by newlines and parsed once, so an AST node's offset leads back to a part, and the part to a file
 * and line that a reviewer can open: what composition errors and the schema check report.
 */
export interface SdlPart {
  /** Absolute path: the SDL file, the template filled in, or the TypeScript module that built the text. */
  file: string;
  /**
   * `file`: the text is the file's. `template`: the file with placeholders filled in on their lines,
   * so line numbers are the file's. `generated`: built by code; lines count within the built text.
   */
  origin: 'file' | 'template' | 'generated';
  text: string;
}

/** Where an offset of a subgraph's joined SDL comes from (line and column 1-based). */
export interface SdlLocation {
  file: string;
  origin: SdlPart['origin'];
  line: number;
  column: number;
}

export const sdlFile = (url: URL): SdlPart => ({
  file: fileURLToPath(url),
  origin: 'file',
  text: fs.readFileSync(url, 'utf8'),
});

/** A filled template: refused when filling it changed its line count, which would break its line numbers. */
export function sdlTemplate(url: URL, fill: (template: string) => string): SdlPart {
  const template = fs.readFileSync(url, 'utf8');
  const text = fill(template);
  const lines = (s: string) => s.split('\n').length;
  if (lines(text) !== lines(template)) {
    throw new Error(`Filling ${fileURLToPath(url)} changed its line count: placeholders must not span lines`);
  }
  return { file: fileURLToPath(url), origin: 'template', text };
}

export const generatedSdl = (module: URL | string, text: string): SdlPart => ({
  file: module instanceof URL ? fileURLToPath(module) : module,
  origin: 'generated',
  text,
});

/** The @scope directive's definition, which every subgraph's SDL starts with. */
export const scopeDirectivePart = (): SdlPart => generatedSdl(SCOPE_DIRECTIVE_FILE, SCOPE_DIRECTIVE_SDL);

const SEPARATOR = '\n';

/** Parses the parts as one document; `locateSdl` maps its nodes' offsets back to the parts. */
export function parseSdlParts(parts: readonly SdlPart[]): DocumentNode {
  return parse(parts.map((p) => p.text).join(SEPARATOR));
}

/** The file and line of an offset into the document parseSdlParts built from `parts`. */
export function locateSdl(parts: readonly SdlPart[], offset: number): SdlLocation | undefined {
  let start = 0;
  for (const part of parts) {
    const end = start + part.text.length;
    if (offset >= start && offset <= end) {
      const before = part.text.slice(0, offset - start).split('\n');
      return { file: part.file, origin: part.origin, line: before.length, column: before.at(-1)!.length + 1 };
    }
    start = end + SEPARATOR.length;
  }
  return undefined;
}
