/**
 * The one list of policy domains. Each entry is a domain subgraph (`subgraphs/<name>/`); everything
 * per domain outside that folder is derived from this list:
 *
 * - the domain subgraph's own names (`defineDomainSubgraph({ domain: 'x', ... })`: service
 *   name, Postgres schema, default port, type prefix, dossier-id prefix, measure description);
 * - the registry's per-domain SDL (`Domain` enum, `<Prefix>Measure` and `<Prefix>NormResultRow`
 *   implementations, the `<prefix>TimelineEvents` externals and the timeline's `@requires`), its
 *   measure and norm-row type maps and the timeline's parts (`subgraphs/registry/src/domains.ts`);
 * - inspection's per-domain SDL (the other domains' measure stubs and the `InspectedMeasure` union)
 *   and its measure type map (`subgraphs/inspection/src/domains.ts`);
 * - the composition's subgraph list (`schema/src/subgraphs.ts`), and so the supergraph's
 *   `join__Graph`, from which the gateway takes its subgraphs and URL variables;
 * - the URL variables the stack sets (`subgraphUrlVariable`).
 *
 * `schema/test/domains.test.ts` and `gateway/test/config.test.ts` check that the list drives all of
 * these; docs/architecture.md ("Adding a domain") lists every step.
 */
/** Environment variable holding a subgraph's URL (gateway, stack, REGISTRY_URL of the domains). */
export const subgraphUrlVariable = (name: string): string => `${name.toUpperCase().replace(/-/g, '_')}_URL`;

export interface DomainEntry {
  /** Service name and folder (`subgraphs/<name>`), also the domain's name in the report data. */
  readonly name: string;
  /** Value of the GraphQL `Domain` enum and of the catalogue's `domain` column. */
  readonly enumValue: string;
  /** The PostgreSQL schema the subgraph owns. */
  readonly schema: string;
  /** Prefix of its GraphQL type names: `<Prefix>Measure`, `<Prefix>NormResultRow`, `<Prefix>Dossier` ... */
  readonly typePrefix: string;
  /** Prefix of its dossier ids, e.g. ACT-123. */
  readonly dossierIdPrefix: string;
  /** Port when run alone, and in the supergraph's default URL. */
  readonly defaultPort: number;
  /** What its measures are: the description of its measure type. */
  readonly measureDescription: string;
}

/** The policy domains, in the order of the `Domain` enum and of the supergraph's subgraph list. */
export const DOMAINS = [
  {
    name: 'activation',
    enumValue: 'ACTIVATION',
    schema: 'activation',
    typePrefix: 'Activation',
    dossierIdPrefix: 'ACT',
    defaultPort: 4002,
    measureDescription:
      'A measure of the policy field Work (beleidsveld Werk): wage subsidies, permits, recognitions, career measures, ESF/AMIF.',
  },
  {
    name: 'competences',
    enumValue: 'COMPETENCES',
    schema: 'competences',
    typePrefix: 'Competences',
    dossierIdPrefix: 'COM',
    defaultPort: 4003,
    measureDescription:
      'A training measure (beleidsveld Competenties): training leave, educational leave, training vouchers, the training database, qualifying trajectories.',
  },
  {
    name: 'social-economy',
    enumValue: 'SOCIAL_ECONOMY',
    schema: 'social_economy',
    typePrefix: 'SocialEconomy',
    dossierIdPrefix: 'SE',
    defaultPort: 4004,
    measureDescription:
      'A social-economy measure (beleidsveld Sociale Economie): collective custom work, local service economy, arbeidszorg, support measures.',
  },
  {
    name: 'inspection',
    enumValue: 'INSPECTION',
    schema: 'inspection',
    typePrefix: 'Inspection',
    dossierIdPrefix: 'INS',
    defaultPort: 4005,
    measureDescription:
      'An enforcement measure run by the inspection domain (e.g. administrative fines after a VSI report).',
  },
] as const satisfies readonly DomainEntry[];

export type DomainName = (typeof DOMAINS)[number]['name'];
/** A value of the GraphQL `Domain` enum (ACTIVATION, ...). */
export type DomainEnumValue = (typeof DOMAINS)[number]['enumValue'];

/** The entry of one domain. */
export function domainEntry<N extends DomainName>(name: N): Extract<(typeof DOMAINS)[number], { name: N }> {
  const entry = DOMAINS.find((d) => d.name === name);
  if (!entry) throw new Error(`unknown domain ${name}`);
  return entry as Extract<(typeof DOMAINS)[number], { name: N }>;
}

const lowerFirst = (text: string): string => text[0]!.toLowerCase() + text.slice(1);

/** Derived GraphQL names of a domain (as literal types, so a typed resolver map can be keyed by them). */
export const domainNames = <P extends string>(d: { typePrefix: P }) => ({
  measureType: `${d.typePrefix}Measure` as const,
  normRowType: `${d.typePrefix}NormResultRow` as const,
  dossierType: `${d.typePrefix}Dossier` as const,
  /** Its field under Mutation, and the prefix of its fields on Person and Organisation. */
  field: lowerFirst(d.typePrefix),
  /** The field on Person and Organisation with its events, merged by the registry's timeline. */
  timelineEventsField: `${lowerFirst(d.typePrefix)}TimelineEvents`,
});

/**
 * The description of a domain's measure type, the same in every subgraph that declares the type
 * (the domain's, the registry, inspection): composition keeps one description per type, so
 * differing words would make the supergraph's depend on the subgraphs' order.
 */
export const measureTypeDescription = (d: Pick<DomainEntry, 'name' | 'measureDescription'>): string =>
  `${d.measureDescription} Catalogue fields (name, status, objective, budget article) come from the registry; ` +
  `the module fields (norms, dossiers, figures) from the ${d.name} subgraph.`;

/** Map from each domain's enum value to something derived from its entry. */
export function byDomainEnum<T>(pick: (d: (typeof DOMAINS)[number]) => T): Record<DomainEnumValue, T> {
  return Object.fromEntries(DOMAINS.map((d) => [d.enumValue, pick(d)])) as Record<DomainEnumValue, T>;
}
