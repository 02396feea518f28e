import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { generatedSdl, locateSdl, parseSdlParts, sdlFile, sdlTemplate } from '../src/sdl-parts.ts';

const write = (name: string, text: string) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sdl-parts-')), name);
  fs.writeFileSync(file, text);
  return pathToFileURL(file);
};

describe('SDL parts', () => {
  it('locate every node of the joined document in its own file and line', () => {
    const a = write('a.graphql', '# first\ntype A {\n  x: Int\n}\n');
    const t = write('t.graphql', '"The __name__ type."\ntype __name__ {\n  y: Int\n}');
    const parts = [
      sdlFile(a),
      sdlTemplate(t, (text) => text.replaceAll('__name__', 'LongerName')),
      generatedSdl('/repo/src/domains.ts', 'type C {\n  z: Int\n}'),
    ];
    const doc = parseSdlParts(parts);
    const at = (name: string) => {
      const def = doc.definitions.find((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === name)!;
      return locateSdl(parts, (def as { name: { loc?: { start: number } } }).name.loc!.start);
    };
    expect(at('A')).toMatchObject({ file: a.pathname, origin: 'file', line: 2, column: 6 });
    expect(at('LongerName')).toMatchObject({ file: t.pathname, origin: 'template', line: 2, column: 6 });
    expect(at('C')).toEqual({ file: '/repo/src/domains.ts', origin: 'generated', line: 1, column: 6 });
  });

  it('refuse a template filled so that its lines move', () => {
    const t = write('t.graphql', 'type __name__ {\n  y: Int\n}');
    expect(() => sdlTemplate(t, (text) => text.replace('__name__', 'A {\n}\ntype B'))).toThrow(
      /changed its line count/,
    );
  });
});
