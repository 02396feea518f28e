import fs from 'node:fs';
import path from 'node:path';
import { printSchema, Supergraph } from '@apollo/federation-internals';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../src/compose.ts';
import { buildSafelist, operationsDir, safelistPath } from '../src/safelist.ts';

describe('the safelist of client operations', () => {
  it('is up to date with schema/operations (run `npm run safelist`)', () => {
    expect(JSON.parse(fs.readFileSync(safelistPath, 'utf8'))).toEqual(buildSafelist());
  });

  it('holds only operations that are valid against the supergraph clients see', () => {
    // Rebuilt from its SDL with this package's graphql (federation-internals loads its own copy).
    const api = buildSchema(printSchema(Supergraph.build(composeSupergraph()).apiSchema()));
    const files = fs.readdirSync(operationsDir).filter((f) => f.endsWith('.graphql'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const errors = validate(api, parse(fs.readFileSync(path.join(operationsDir, file), 'utf8')));
      expect(
        errors.map((e) => e.message),
        file,
      ).toEqual([]);
    }
  });
});
