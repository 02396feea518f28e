import { SCOPES } from '@measure-graph/auth';
import { buildGuardedSchema } from '@measure-graph/subgraph-platform';
import type { GraphQLObjectType, GraphQLOutputType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { subgraphs } from '../src/subgraphs.ts';

/**
 * The access policy of the graph, checked on the subgraphs' executable schemas: what each scope
 * guards, and that no field leads to protected data without a scope.
 */
const built = subgraphs.map((def) => ({ name: def.name, ...buildGuardedSchema(def) }));
const objectTypes = (schema: (typeof built)[number]['schema']) =>
  Object.values(schema.getTypeMap()).filter(
    (t): t is GraphQLObjectType =>
      Object.prototype.toString.call(t) === '[object GraphQLObjectType]' && !t.name.startsWith('__'),
  );
/** The named type under lists and non-nulls (by shape: the schema comes from graphql's CommonJS build). */
function namedType(type: GraphQLOutputType): string {
  let inner: GraphQLOutputType = type;
  while ('ofType' in inner) inner = inner.ofType;
  return inner.name;
}
const isExternal = (field: { astNode?: { directives?: ReadonlyArray<{ name: { value: string } }> } | null }) =>
  field.astNode?.directives?.some((d) => d.name.value === 'external') ?? false;

/** Types whose every instance concerns one dossier, person, organisation's contingent or inspection (or a page of changed ones: the *Changes lists of incremental refresh). */
const PROTECTED =
  /^(\w*Dossier|DossierConnection|DossierEdge|NormItem\w*|DossierYearCount|TimelineEvent|TrainingLeave|TrainingVoucher|DualWorkplace|DualAgreement|TargetGroupEmployment|TransitionTrajectory|Contingent|Settlement|LdeCompliance|Inspection|InspectionConnection|InspectionEdge|PersonalDataAccess\w*|GrowthPathApplication|Appeal|AppealConnection|AppealEdge|CombinedProcedure|\w+DossierMutations|\w+Changes)$/;

describe('access policy', () => {
  it('every field leading from an open type to protected data needs a scope', () => {
    const open: string[] = [];
    for (const { name, schema, guarded } of built) {
      for (const type of objectTypes(schema)) {
        if (PROTECTED.test(type.name)) continue;
        for (const field of Object.values(type.getFields())) {
          const target = namedType(field.type);
          if (PROTECTED.test(target) && !isExternal(field) && !guarded.has(`${type.name}.${field.name}`)) {
            open.push(`${name}: ${type.name}.${field.name}`);
          }
        }
      }
    }
    expect(open).toEqual([]);
  });

  it('a write scope returns what was written, not the dossier behind it', () => {
    const open: string[] = [];
    for (const { name, schema, guarded } of built) {
      for (const mutations of objectTypes(schema).filter((t) => t.name.endsWith('DossierMutations'))) {
        for (const mutation of Object.values(mutations.getFields())) {
          const payload = schema.getType(namedType(mutation.type)) as GraphQLObjectType;
          if (payload.name.endsWith('Dossier') || !('getFields' in payload)) continue;
          for (const field of Object.values(payload.getFields())) {
            if (namedType(field.type).endsWith('Dossier') && !guarded.has(`${payload.name}.${field.name}`)) {
              open.push(`${name}: ${mutations.name}.${mutation.name} -> ${payload.name}.${field.name}`);
            }
          }
        }
      }
    }
    expect(open).toEqual([]);
  });

  it('everything about a person but its opaque id needs a scope, in every subgraph', () => {
    for (const { name, schema, guarded } of built) {
      const person = schema.getType('Person') as GraphQLObjectType | undefined;
      if (!person) continue;
      const open = Object.values(person.getFields())
        .filter((f) => f.name !== 'id' && !isExternal(f) && !guarded.has(`Person.${f.name}`))
        .map((f) => `${name}: Person.${f.name}`);
      expect(open).toEqual([]);
    }
  });

  it('each domain’s mutations need that domain’s write scope, and nothing else grants them', () => {
    const mutations = built.flatMap(({ name, guarded }) =>
      [...guarded].filter(([field]) => field.startsWith('Mutation.')).map(([field, scope]) => [name, field, scope]),
    );
    expect(mutations.sort()).toEqual([
      ['activation', 'Mutation.activation', SCOPES.activationWrite],
      ['competences', 'Mutation.competences', SCOPES.competencesWrite],
      ['inspection', 'Mutation.inspection', SCOPES.inspectionWrite],
      ['social-economy', 'Mutation.socialEconomy', SCOPES.socialEconomyWrite],
    ]);
  });

  it('national numbers and the access log have scopes of their own', () => {
    const registry = built.find((b) => b.name === 'registry')!.guarded;
    expect(registry.get('Person.nationalNumber')).toBe(SCOPES.personsRead);
    expect(registry.get('Query.personalDataAccessLog')).toBe(SCOPES.auditRead);
    expect(registry.get('Query.personalDataAccessLogVerification')).toBe(SCOPES.auditRead);
    expect(registry.get('Query.person')).toBe(SCOPES.personsRead);
  });

  it('uses only scopes the graph knows', () => {
    const known = new Set<string>(Object.values(SCOPES));
    const unknown = built.flatMap(({ guarded }) => [...guarded.values()].filter((s) => !known.has(s)));
    expect(unknown).toEqual([]);
  });
});
