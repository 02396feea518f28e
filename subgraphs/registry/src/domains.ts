import { byDomainEnum, DOMAINS, domainNames } from '@measure-graph/subgraph-platform';

/**
 * The registry's per-domain parts, derived from the kit's list of domains
 * (`subgraphs/kit/platform/src/domains.ts`): schema.graphql holds the shared parts only.
 */

/** Concrete GraphQL type of a measure: the domain decides which subgraph resolves its module fields. */
export const MEASURE_TYPE_BY_DOMAIN = byDomainEnum((d) => domainNames(d).measureType);

/** Concrete type of a norm-table row: the domain of the norm's measure fills in its figures. */
export const NORM_ROW_TYPE_BY_DOMAIN = byDomainEnum((d) => domainNames(d).normRowType);

/** The domains' fields a timeline is merged from (fetched by the gateway through @requires). */
export const TIMELINE_PARTS: readonly string[] = DOMAINS.map((d) => domainNames(d).timelineEventsField);

const TIMELINE_EVENT_FIELDS = '{ at domain type measureCode reference summary }';

const measureFields = `  code: ID!
  name: String
  domain: Domain
  status: MeasureStatus
  policyField: PolicyField
  objective: PolicyObjective
  budgetArticle: String
  reportSection: String`;

/** The `timeline` field of Person and Organisation: every domain's events, through @requires. */
const timelineExtension = (type: string) => `extend type ${type} {
${TIMELINE_PARTS.map((part) => `  ${part}: [TimelineEvent!] @external`).join('\n')}
  """
  Everything that happened to it in every domain, oldest first: each domain lists its own events,
  this subgraph merges them; \`from\` and \`to\` are days (YYYY-MM-DD), inclusive.
  """
  timeline(from: String, to: String): [TimelineEvent!]
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
${DOMAINS.map((d) => `  ${d.enumValue}`).join('\n')}
}`,
  ...DOMAINS.flatMap((d) => {
    const names = domainNames(d);
    return [
      // Composition keeps one description per type (this one for social-economy, where the names
      // sort the registry first): the same words as before the list, for an unchanged supergraph.
      `"A ${d.name} measure, owned by the ${d.name} subgraph."
type ${names.measureType} implements Measure @key(fields: "code") {
${measureFields}
}`,
      `type ${names.normRowType} implements NormResultRow @key(fields: "normId year") {
  normId: ID!
  year: Int!
  measure: Measure!
}`,
    ];
  }),
  timelineExtension('Organisation'),
  timelineExtension('Person'),
].join('\n\n');
