import { byDomainEnum, DOMAINS, domainNames, measureTypeDescription } from '@measure-graph/subgraph-platform';

/**
 * The registry's per-domain parts, derived from the kit's list of domains
 * (`subgraphs/kit/platform/src/domains.ts`): schema.graphql holds the shared parts only.
 */

/** Concrete GraphQL type of a measure: the domain decides which subgraph resolves its module fields. */
export const MEASURE_TYPE_BY_DOMAIN = byDomainEnum((d) => domainNames(d).measureType);

/** Concrete type of a dossier by its id prefix (ACT -> ActivationDossier): the domain that resolves it. */
export const DOSSIER_TYPE_BY_PREFIX: Readonly<Record<string, string>> = Object.fromEntries(
  DOMAINS.map((d) => [d.dossierIdPrefix, domainNames(d).dossierType]),
);

/** Concrete type of a norm-table row: the domain of the norm's measure fills in its figures. */
export const NORM_ROW_TYPE_BY_DOMAIN = byDomainEnum((d) => domainNames(d).normRowType);

/** The domains' fields a timeline is merged from (fetched by the gateway through @requires). */
export const TIMELINE_PARTS: readonly string[] = DOMAINS.map((d) => domainNames(d).timelineEventsField);

const TIMELINE_EVENT_FIELDS = '{ at day domain type measureCode reference summary }';

// The words of the Measure interface in schema.graphql: composition keeps one description per
// field, the same in every subgraph keeps the supergraph's independent of their order.
const measureFields = `  "Global id (Relay), opaque: refetch the measure with Query.node(id)."
  id: ID! @shareable
  "Stable code of the measure, e.g. VOP, LDE, MAATWERK."
  code: ID!
  "Official Dutch name as in the 2020 report (naam van de maatregel)."
  name: String
  "Policy domain, and so the subgraph, that owns the measure's data."
  domain: Domain
  "Whether the measure is running, being phased out (in uitdoof) or reformed (in hervorming)."
  status: MeasureStatus
  "Policy field (beleidsveld) of the department."
  policyField: PolicyField
  "Strategic/operational objective (operationele doelstelling) the measure serves."
  objective: PolicyObjective
  "Budget article(s) (begrotingsartikel) as listed in the report; null when the report gives none."
  budgetArticle: String
  "Section of the 2020 report's annex that describes the measure, e.g. 9.1.1.1."
  reportSection: String`;

/** The `timeline` field of Person and Organisation: every domain's events, through @requires. */
const timelineExtension = (type: 'Organisation' | 'Person') => `extend type ${type} {
${DOMAINS.map(
  // The words of the kit's domain-types.graphql, where each domain declares the field.
  (
    d,
  ) => `  "What happened to the ${type.toLowerCase()} in the ${d.name} domain, oldest first (merged into ${type}.timeline). Scope dossiers:read."
  ${domainNames(d).timelineEventsField}: [TimelineEvent!] @external`,
).join('\n')}
  """
  Everything that happened to it in every domain, oldest first: each domain lists its own events,
  this subgraph merges them; \`from\` and \`to\` are days (YYYY-MM-DD), inclusive.
  """
  timeline(
    "First day (YYYY-MM-DD, inclusive); null for no lower bound."
    from: Date
    "Last day (YYYY-MM-DD, inclusive); null for no upper bound."
    to: Date
  ): [TimelineEvent!]
    @scope(requires: "dossiers:read")
    @requires(fields: "${TIMELINE_PARTS.map((part) => `${part} ${TIMELINE_EVENT_FIELDS}`).join(' ')}")
}`;

/**
 * The registry SDL's per-domain parts: the `Domain` enum, each domain's `Measure` and
 * `NormResultRow` implementations, and the timeline fields of Person and Organisation.
 */
export const registryDomainSdl = [
  `"Policy domain: each has its own subgraph."
enum Domain {
${DOMAINS.map((d) => `  "Measures of the ${d.name} subgraph. ${d.measureDescription}"\n  ${d.enumValue}`).join('\n')}
}`,
  ...DOMAINS.flatMap((d) => {
    const names = domainNames(d);
    return [
      // allDossiers returns references to the domain's dossiers, resolved by the domain (the
      // template's words, kit's domain-types.graphql).
      `"A dossier of a ${d.name} measure; ids start with ${d.dossierIdPrefix}-."
type ${names.dossierType} implements Dossier & Node @key(fields: "id") {
  "Opaque id, e.g. ${d.dossierIdPrefix}-123."
  id: ID!
}`,
      // Composition keeps one description per type: the domain's own words, as its subgraph has them.
      `"""
${measureTypeDescription(d)}
"""
type ${names.measureType} implements Measure & Node @key(fields: "code") {
${measureFields}
}`,
      `"A row of the flat norm table for a norm of the ${d.name} domain."
type ${names.normRowType} implements NormResultRow @key(fields: "normId year") {
  "Norm id: measure code and position, e.g. VOP-1."
  normId: ID!
  "Calendar year of the figures."
  year: Int!
  "The measure the norm belongs to."
  measure: Measure!
}`,
    ];
  }),
  timelineExtension('Organisation'),
  timelineExtension('Person'),
].join('\n\n');
