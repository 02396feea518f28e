import {
  DOMAINS,
  domainNames,
  fromGlobalId,
  notAGlobalId,
  toGlobalId,
  type SubgraphContext,
} from '@measure-graph/subgraph-platform';
import { MEASURE_TYPE_BY_DOMAIN } from '../domains.ts';
import type { RegistryLoaders } from '../subgraph.ts';
import type { MeasureRecord } from '../catalogue/store.ts';
import type { OrganisationRecord, PersonRecord } from '../parties/store.ts';

type Ctx = SubgraphContext<RegistryLoaders>;

/** Dossier ids carry their domain's prefix (ACT-123): the domain's dossier type, which that subgraph resolves. */
const DOSSIER_TYPE_BY_PREFIX = new Map<string, string>(
  DOMAINS.map((d) => [d.dossierIdPrefix, domainNames(d).dossierType]),
);

type NodeValue =
  | (MeasureRecord & { __typename: string })
  | (OrganisationRecord & { __typename: 'Organisation' })
  | (PersonRecord & { __typename: 'Person' })
  | { __typename: string; id: string };

/**
 * Query.node: measures and organisations by their global id, dossiers by theirs (a reference the
 * gateway completes from the domain's subgraph), persons by their registry id. Null for an id of
 * the right form that names nothing, as Relay asks; BAD_USER_INPUT for anything else.
 */
async function node(_: unknown, { id }: { id: string }, { loaders }: Ctx): Promise<NodeValue | null> {
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
    const typename = DOSSIER_TYPE_BY_PREFIX.get(dossier[1]!);
    if (!typename) throw notAGlobalId(id);
    return { __typename: typename, id };
  }
  if (!/^[\x21-\x7e]{1,100}$/.test(id)) throw notAGlobalId(id);
  const person = await loaders.person.load(id);
  return person ? { ...person, __typename: 'Person' } : null;
}

export const nodeResolvers = {
  Query: { node },
  Node: { __resolveType: (value: { __typename: string }) => value.__typename },
  Organisation: { id: (o: { kboNumber: string }) => toGlobalId('Organisation', o.kboNumber) },
  Measure: { id: (m: { code: string }) => toGlobalId('Measure', m.code) },
  ...Object.fromEntries(
    Object.values(MEASURE_TYPE_BY_DOMAIN).map((type) => [
      type,
      { id: (m: { code: string }) => toGlobalId('Measure', m.code) },
    ]),
  ),
};
