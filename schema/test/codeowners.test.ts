import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { subgraphs } from '../src/subgraphs.ts';

/** Owners per path of .github/CODEOWNERS (comments and blank lines left out). */
function codeOwners(): Map<string, string[]> {
  const text = fs.readFileSync(new URL('../../.github/CODEOWNERS', import.meta.url), 'utf8');
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(/\s+/));
  return new Map(rules.map(([pattern, ...owners]) => [pattern!, owners]));
}

describe('.github/CODEOWNERS', () => {
  it('gives every subgraph of the composition a team for its folder and its final SDL', () => {
    const owners = codeOwners();
    for (const { name } of subgraphs) {
      const team = [`@measure-graph/${name}-team`];
      expect(owners.get(`/subgraphs/${name}/`), name).toEqual(team);
      expect(owners.get(`/schema/subgraphs/${name}.graphql`), name).toEqual(team);
    }
  });

  it('gives the shared parts (kit, schema, gateway, db) and everything else to the platform team', () => {
    const owners = codeOwners();
    for (const path of ['*', '/subgraphs/kit/', '/schema/', '/gateway/', '/db/']) {
      expect(owners.get(path), path).toEqual(['@measure-graph/platform-team']);
    }
  });
});
