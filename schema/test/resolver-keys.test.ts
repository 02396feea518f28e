import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildGuardedSchema, resolverMapProblems, type ResolverMap } from '@measure-graph/subgraph-platform';
import { describe, expect, it } from 'vitest';
import { subgraphs } from '../src/subgraphs.ts';

// buildSubgraphSchema ignores a resolver whose type or field the SDL does not have: a field renamed
// in the SDL alone would keep its old resolver and answer the new one with the default resolver.
// Every subgraph's resolver map is walked against its schema, and the platform refuses to build one
// that does not fit.

const schemaOf = (def: (typeof subgraphs)[number]) => buildSubgraphSchema({ typeDefs: def.typeDefs });

describe('resolver maps against their schemas', () => {
  it.each(subgraphs.map((s) => [s.name, s] as const))('%s has a place in its schema for every resolver', (_, def) => {
    const resolvers = def.resolvers;
    expect(Object.keys(resolvers).length).toBeGreaterThan(0);
    expect(resolverMapProblems(schemaOf(def), resolvers)).toEqual([]);
  });

  it('names an unknown field, type, union key and enum value', () => {
    const registry = subgraphs.find((s) => s.name === 'registry')!;
    const resolvers: ResolverMap = {
      ...registry.resolvers,
      Query: { ...registry.resolvers.Query, measureByCode: () => null },
      Organization: { name: () => 'x' },
      NormResultRow: { ...registry.resolvers.NormResultRow, __isTypeOf: () => true },
      Domain: { ACTIVATION: 'activation', LABOUR: 'labour' },
    };
    expect(resolverMapProblems(schemaOf(registry), resolvers).sort()).toEqual([
      'Domain.LABOUR: no such value',
      'NormResultRow.__isTypeOf: no such field',
      'Organization: no such type in the schema',
      'Query.measureByCode: no such field',
    ]);
  });

  it('the platform refuses to build a subgraph whose resolvers do not fit its SDL', () => {
    const def = subgraphs.find((s) => s.name === 'competences')!;
    const course = def.resolvers.Course as Record<string, unknown>;
    // As if `provider` had been renamed in the SDL and its resolver kept the old name.
    const renamed = {
      ...def,
      resolvers: { ...def.resolvers, Course: { ...course, providerOrganisation: course.provider } },
    };
    expect(() => buildGuardedSchema(def)).not.toThrow();
    expect(() => buildGuardedSchema(renamed)).toThrow(
      /competences: resolvers the schema does not have:\n {2}Course\.providerOrganisation: no such field/,
    );
  });
});
