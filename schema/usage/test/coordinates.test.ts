import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { coordinatesOf, variableCoordinates } from '../src/index.ts';

const schema = buildSchema(`
  directive @trace(level: Int) on FIELD
  enum Color { RED GREEN BLUE }
  enum Size { S M L }
  input Filter { color: Color, sizes: [Size!], nested: Filter, name: String }
  interface Thing { id: ID! label(upper: Boolean): String }
  type Shirt implements Thing { id: ID! label(upper: Boolean): String color: Color size: Size }
  type Mug implements Thing { id: ID! label(upper: Boolean): String volume: Int }
  type Query {
    things(filter: Filter, first: Int = 10): [Thing!]!
    thing(id: ID!): Thing
    shirts(color: Color!): [Shirt!]!
  }
`);

describe('coordinatesOf', () => {
  it('names every field, argument, input field, enum value, type and custom directive a document uses', () => {
    const document = parse(`
      query Things($filter: Filter, $color: Color!) {
        things(filter: { color: RED, sizes: [S, M], nested: { name: "x" } }) {
          __typename
          id
          label(upper: true) @trace(level: 2) @include(if: true)
          ... on Shirt { color }
          ...MugFields
        }
        byVariable: things(filter: $filter) { id }
        shirts(color: $color) { size }
      }
      fragment MugFields on Mug { volume }
    `);
    const { coordinates, variables } = coordinatesOf(schema, document);
    expect(coordinates).toEqual(
      [
        '@trace',
        '@trace(level:)',
        'Color',
        'Color.RED',
        'Filter',
        'Filter.color',
        'Filter.name',
        'Filter.nested',
        'Filter.sizes',
        'Mug',
        'Mug.volume',
        'Query',
        'Query.shirts',
        'Query.shirts(color:)',
        'Query.things',
        'Query.things(filter:)',
        'Shirt',
        'Shirt.color',
        'Shirt.size',
        'Size',
        'Size.M',
        'Size.S',
        'Thing',
        'Thing.id',
        'Thing.label',
        'Thing.label(upper:)',
      ].sort(),
    );
    // Built-ins (String, ID, @include, __typename) and arguments left to their default are not used.
    expect(coordinates.some((c) => /String|ID|include|__typename|first/.test(c))).toBe(false);
    expect(variables.map((v) => [v.name, String(v.type)])).toEqual([
      ['filter', 'Filter'],
      ['color', 'Color!'],
    ]);
  });

  it("finds the enum values and input fields a request's variables name, within a budget", () => {
    const uses = coordinatesOf(
      schema,
      parse('query($f: Filter, $c: Color!) { things(filter: $f) { id } shirts(color: $c) { id } }'),
    );
    const found = new Set<string>();
    variableCoordinates(uses, { c: 'BLUE', f: { sizes: ['L', 'XXL'], nested: { color: 'GREEN', unknown: 1 } } }, found);
    expect([...found].sort()).toEqual([
      'Color.BLUE',
      'Color.GREEN',
      'Filter.color',
      'Filter.nested',
      'Filter.sizes',
      'Size.L',
    ]);
    const bounded = new Set<string>();
    const deep = { nested: { nested: { nested: { nested: { color: 'RED' } } } } };
    variableCoordinates(uses, { f: deep }, bounded, 3);
    expect(bounded.has('Color.RED')).toBe(false);
    expect(bounded.has('Filter.nested')).toBe(true);
  });
});
