import { byDomainEnum, DOMAINS, domainNames, measureTypeDescription } from '@measure-graph/subgraph-platform';

/**
 * Inspection's per-domain parts, derived from the kit's list of domains
 * (`subgraphs/kit/platform/src/domains.ts`): schema.graphql holds the rest.
 */

/** Inspection's own domain: its measure type is its own, the others' it knows by their key only. */
const OWN = 'inspection';

/** The measure type of every domain, by the Domain enum value its catalogue records. */
export const MEASURE_TYPE_BY_DOMAIN = byDomainEnum((d) => domainNames(d).measureType);

/** The other domains' measure types, which this subgraph adds inspectionStats to. */
export const OTHER_MEASURE_TYPES: readonly string[] = DOMAINS.filter((d) => d.name !== OWN).map(
  (d) => domainNames(d).measureType,
);

/** The other domains' measure types by their key, and the union of every domain's measure type. */
export const inspectionDomainSdl = [
  // The words of the domain's own subgraph and of the Measure interface: composition keeps one
  // description per type and field.
  ...DOMAINS.filter((d) => d.name !== OWN).map(
    (d) => `"""
${measureTypeDescription(d)}
"""
type ${domainNames(d).measureType} @key(fields: "code") {
  "Global id (Relay), opaque: refetch the measure with Query.node(id)."
  id: ID! @shareable
  "Stable code of the measure, e.g. VOP, LDE, MAATWERK."
  code: ID!
  "Controls, official reports or warnings and proposed recoveries of the Flemish Social Inspectorate (VSI) for the measure in a year."
  inspectionStats(
    "Calendar year of the inspections, e.g. 2020."
    year: Int!
  ): InspectionFigures
}`,
  ),
  `"""
A measure of any domain. This subgraph only knows the other domains' measure types by their key,
so it returns them as this union; every member implements Measure in the graph.
"""
union InspectedMeasure = ${DOMAINS.map((d) => domainNames(d).measureType).join(' | ')}`,
].join('\n\n');
