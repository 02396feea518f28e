import { assertScope, SCOPES } from '@measure-graph/auth';
import { DomainError } from '@measure-graph/errors';
import {
  DOMAINS,
  fromGlobalId,
  notAGlobalId,
  toGlobalId,
  type DomainCaller,
  type SubgraphContext,
} from '@measure-graph/subgraph-platform';
import { DOSSIER_TYPE_BY_PREFIX, MEASURE_TYPE_BY_DOMAIN } from '../domains.ts';
import type { RegistryLoaders } from '../subgraph.ts';

type Ctx = SubgraphContext<RegistryLoaders>;

type NodeValue = { __typename: string } & Record<string, unknown>;

/**
 * Query.node: measures and organisations by their global id and persons by their registry id,
 * answered here; dossiers by their prefixed id, a reference the gateway completes from the domain
 * that owns them (as allDossiers' dossiers). Null for an id of a known form that names nothing, as
 * Relay asks; BAD_USER_INPUT for anything else. Persons and dossiers need the scope of the direct
 * fields (Query.person, Measure.dossier). See docs/architecture.md, "Relay".
 */
async function node(_: unknown, { id }: { id: string }, ctx: Ctx): Promise<NodeValue | null> {
  const { loaders } = ctx;
  const global = fromGlobalId(id);
  if (global?.typename === 'Measure') {
    const measure = await loaders.measure.load(global.key);
    return measure ? { ...measure, __typename: MEASURE_TYPE_BY_DOMAIN[measure.domain] } : null;
  }
  if (global?.typename === 'Organisation') {
    const organisation = /^\d{10}$/.test(global.key) ? await loaders.organisation.load(global.key) : null;
    return organisation ? { ...organisation, __typename: 'Organisation' } : null;
  }
  if (global) throw notAGlobalId(id);
  const dossier = /^([A-Z]+)-\d{1,18}$/.exec(id);
  if (dossier) {
    const typename = DOSSIER_TYPE_BY_PREFIX[dossier[1]!];
    if (!typename) throw notAGlobalId(id);
    assertScope(ctx, SCOPES.dossiersRead, 'A dossier');
    return (await dossierExists(ctx, dossier[1]!, typename, id)) ? { __typename: typename, id } : null;
  }
  if (!/^[\x21-\x7e]{1,100}$/.test(id)) throw notAGlobalId(id);
  assertScope(ctx, SCOPES.personsRead, 'A person');
  const person = await loaders.person.load(id);
  return person ? { ...person, __typename: 'Person' } : null;
}

/**
 * Whether the domain holds the dossier: asked of the domain itself (its `_entities`, with the
 * caller's token, so with its scope check), so that an unknown id gives null as Relay asks rather
 * than a reference the gateway could not complete (an error on a non-null field). A domain that
 * does not answer makes node null with SUBGRAPH_UNAVAILABLE at its path.
 */
async function dossierExists(ctx: Ctx, prefix: string, typename: string, id: string): Promise<boolean> {
  const caller: DomainCaller | undefined = ctx.domains;
  if (!caller) throw new DomainError('SUBGRAPH_UNAVAILABLE', 'The domain services are not configured');
  const domain = DOMAINS.find((d) => d.dossierIdPrefix === prefix)!.name;
  const found = await caller.query<Array<{ id: string } | null>>(
    domain,
    '_entities',
    `query DossierExists($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { id } } }`,
    { representations: [{ __typename: typename, id }] },
  );
  return found[0]?.id === id;
}

const measureId = { id: (m: { code: string }) => toGlobalId('Measure', m.code) };

/** Query.node, Node's type, and the global ids of measures and organisations (from their keys). */
export const nodeResolvers = {
  Query: { node },
  Node: { __resolveType: (value: { __typename: string }) => value.__typename },
  Organisation: { id: (o: { kboNumber: string }) => toGlobalId('Organisation', o.kboNumber) },
  Measure: measureId,
  ...Object.fromEntries(Object.values(MEASURE_TYPE_BY_DOMAIN).map((type) => [type, measureId])),
};
