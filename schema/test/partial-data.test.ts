import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import fs from 'node:fs';
import path from 'node:path';
import { DOMAINS, domainNames } from '@measure-graph/subgraph-platform';
import { isNonNullType, Kind, parse, type TypeNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../src/compose.ts';
import { repoRoot } from '../src/locate.ts';
import { crossSubgraphFields, type CrossSubgraphField } from './cross-subgraph-fields.ts';

// Partial data: when one subgraph fails (down, timed out), the gateway answers the rest and leaves
// the fields that subgraph should have supplied empty. A non-null field left empty makes its parent
// null, then the parent's parent ..., up to the nearest nullable field: with a non-null chain from a
// field of one domain up to `Query.measures`, one domain down emptied the whole response. So every
// field that may come from another subgraph than the one that produced its parent object is nullable.

const describeField = (f: CrossSubgraphField) =>
  `${f.coordinate} (resolved by ${f.resolvedBy.join(', ') || 'none'}; ` +
  (f.requires ? 'has @requires' : `parent produced by ${f.producedElsewhereBy.join(', ')}`) +
  ')';

/**
 * The one exception: the dossiers the registry returns as references, which their domains fill in
 * (their fields count as produced elsewhere). Two root fields do so, and only they (the test below
 * keeps it so):
 * - `Query.allDossiers`: the dossiers' fields stay non-null because that list is all or nothing by
 *   design (a list without one domain's dossiers would look complete to a BI tool): a domain that
 *   fails its part empties `allDossiers` (nullable) and nothing else, which is what the rule protects.
 * - `Query.node(id)` (Relay) with a dossier id: the owning domain failing makes `node` (nullable)
 *   null with an error at its path and empties nothing else, which is what Relay clients expect of
 *   a refetch; the dossier's fields keep the non-null types every other path gives them.
 */
const DOSSIER_TYPES = new Set(['Dossier', ...DOMAINS.map((d) => domainNames(d).dossierType)]);
const allOrNothing = (f: CrossSubgraphField) =>
  DOSSIER_TYPES.has(f.coordinate.split('.')[0]!) && f.producedElsewhereBy.every((by) => by === 'registry');

describe('fields another subgraph supplies', () => {
  it('of the dossiers the registry returns are all or nothing: only allDossiers and node reach a dossier in the registry', () => {
    const sdl = parse(fs.readFileSync(path.join(repoRoot, 'schema', 'subgraphs', 'registry.graphql'), 'utf8'));
    // Node reaches dossiers too (the domains' dossier types implement it in the registry).
    const reaching = new Set([...DOSSIER_TYPES, 'DossierConnection', 'DossierEdge', 'Node']);
    const named = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : named(type.type));
    const fieldsToDossiers = sdl.definitions.flatMap((def) =>
      (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      !reaching.has(def.name.value)
        ? (def.fields ?? []).filter((f) => reaching.has(named(f.type))).map((f) => `${def.name.value}.${f.name.value}`)
        : [],
    );
    expect(fieldsToDossiers.sort()).toEqual(['Query.allDossiers', 'Query.node']);
  });

  let fields: CrossSubgraphField[];
  beforeAll(() => {
    fields = crossSubgraphFields(composeSupergraph());
  });

  it('are found from the join directives of the supergraph', () => {
    const byCoordinate = new Map(fields.map((f) => [f.coordinate, f]));
    // A domain's field on a measure listed by the registry (the headline query).
    expect(byCoordinate.get('ActivationMeasure.normResults')).toMatchObject({
      resolvedBy: ['activation'],
      producedElsewhereBy: ['inspection', 'registry'],
    });
    expect(byCoordinate.get('Measure.normResults')?.producedElsewhereBy).toContain('registry');
    // A field every measure type gets from inspection.
    expect(byCoordinate.get('SocialEconomyMeasure.inspectionStats')?.resolvedBy).toEqual(['inspection']);
    // Catalogue fields of a measure that inspection returns by its key (Inspection.measure).
    expect(byCoordinate.get('CompetencesMeasure.name')?.producedElsewhereBy).toEqual(['inspection']);
    // Registry fields of an organisation a domain returns as a reference, and the domains' fields of it.
    expect(byCoordinate.get('Organisation.name')?.producedElsewhereBy).toContain('activation');
    expect(byCoordinate.get('Organisation.inspections')?.resolvedBy).toEqual(['inspection']);
    // Figures of a norm-table row the registry lists.
    expect(byCoordinate.get('InspectionNormResultRow.counted')?.producedElsewhereBy).toEqual(['registry']);
    // @requires: the registry merges the domains' timeline events.
    expect(byCoordinate.get('Person.timeline')?.requires).toBe(true);
    // Keys and value types every producer resolves itself are not listed.
    // Global ids too: every subgraph that produces a measure or an organisation computes its id.
    for (const own of [
      'ActivationMeasure.code',
      'Organisation.kboNumber',
      'NormResult.result',
      'Norm.label',
      'ActivationMeasure.id',
      'Measure.id',
      'Organisation.id',
    ])
      expect(byCoordinate.has(own), own).toBe(false);
  });

  it('are nullable, so that a failing subgraph empties only its own fields', () => {
    expect(
      fields.filter((f) => f.nonNull && !allOrNothing(f)).map(describeField),
      'make these fields nullable in their subgraph SDL (for a list, `[X!]`), then `npm run compose`',
    ).toEqual([]);
  });
});

describe('root fields', () => {
  it('are nullable: one request may ask root fields of several subgraphs, and one failing must not empty the others', () => {
    const api = Supergraph.build(composeSupergraph()).apiSchema().toGraphQLJSSchema();
    const nonNull = Object.values(api.getQueryType()!.getFields())
      .filter((f) => isNonNullType(f.type))
      .map((f) => `Query.${f.name}: ${String(f.type)}`);
    expect(nonNull, 'make these root fields nullable in their subgraph SDL').toEqual([]);
  });
});

describe('the rule on a small supergraph', () => {
  const link =
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", ' +
    'import: ["@key", "@shareable", "@external", "@requires", "@interfaceObject"])';
  let fields: Map<string, CrossSubgraphField>;
  beforeAll(() => {
    const result = composeServices([
      {
        name: 'catalogue',
        url: 'http://catalogue',
        typeDefs: parse(`${link}
          type Query { items: [Item!]! things: [Thing!]! }
          type Item @key(fields: "id") { id: ID! title: String! price: Money! }
          type Money @shareable { amount: String! currency: String! }
          interface Thing @key(fields: "id") { id: ID! label: String! }
          type Book implements Thing @key(fields: "id") { id: ID! label: String! }
          type Seller @key(fields: "id") { id: ID! name: String! }`),
      },
      {
        name: 'stock',
        url: 'http://stock',
        typeDefs: parse(`${link}
          type Query { seller(id: ID!): Seller featured: Thing }
          type Item @key(fields: "id") {
            id: ID!
            stock: Int!
            title: String! @external
            shelfLabel: String @requires(fields: "title")
          }
          type Seller @key(fields: "id") { id: ID! items: [Item!] }
          type Money @shareable { amount: String! currency: String! }
          type Thing @key(fields: "id") @interfaceObject { id: ID! reviews: [String!]! }`),
      },
    ]);
    if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
    fields = new Map(crossSubgraphFields(result.supergraphSdl).map((f) => [f.coordinate, f]));
  });

  it('lists a field one subgraph adds to an entity of another', () => {
    expect(fields.get('Item.stock')).toMatchObject({ nonNull: true, resolvedBy: ['stock'] });
  });

  it('lists the fields of an entity another subgraph returns by its key', () => {
    // Seller.items returns Item references from stock: their title and price come from catalogue.
    expect(fields.get('Item.title')).toMatchObject({ nonNull: true, producedElsewhereBy: ['stock'] });
    expect(fields.get('Item.price')?.nonNull).toBe(true);
    expect(fields.get('Seller.name')).toMatchObject({ resolvedBy: ['catalogue'], producedElsewhereBy: ['stock'] });
  });

  it('lists an @interfaceObject field on the implementations and the interface', () => {
    expect(fields.get('Book.reviews')).toMatchObject({ nonNull: true, resolvedBy: ['stock'] });
    expect(fields.get('Thing.reviews')?.nonNull).toBe(true);
    // stock returns things without knowing Book: the label comes from catalogue.
    expect(fields.get('Book.label')?.producedElsewhereBy).toEqual(['stock']);
  });

  it('lists a field with @requires', () => {
    expect(fields.get('Item.shelfLabel')).toMatchObject({ nonNull: false, requires: true });
  });

  it('leaves out keys and value types each subgraph resolves itself', () => {
    for (const own of ['Item.id', 'Money.amount', 'Seller.id', 'Book.id']) expect(fields.has(own), own).toBe(false);
  });
});
