import { describe, expect, it } from 'vitest';
import { isIntrospectionOnly } from '../src/safelist.ts';

describe('isIntrospectionOnly (the IDE exception of safelist mode)', () => {
  it('accepts documents that ask only __schema, __type and __typename at the root, through fragments', () => {
    expect(isIntrospectionOnly('{ __schema { types { name } } }')).toBe(true);
    expect(isIntrospectionOnly('query { __type(name: "Measure") { fields { name } } __typename }')).toBe(true);
    expect(
      isIntrospectionOnly(
        'query IntrospectionQuery { ...Root } fragment Root on Query { __schema { queryType { name } } }',
      ),
    ).toBe(true);
    expect(isIntrospectionOnly('query A { measures { code } } query B { __schema { description } }', 'B')).toBe(true);
  });

  it('refuses anything that reaches data, a mutation, or a document that does not say which operation', () => {
    expect(isIntrospectionOnly('{ __typename measures { code } }')).toBe(false);
    expect(isIntrospectionOnly('{ ...F } fragment F on Query { measures { code } }')).toBe(false);
    expect(isIntrospectionOnly('{ ... on Query { measures { code } } }')).toBe(false);
    expect(isIntrospectionOnly('mutation { __typename }')).toBe(false);
    expect(isIntrospectionOnly('query A { __typename } query B { __typename }')).toBe(false);
    expect(isIntrospectionOnly('{ __schema {')).toBe(false);
    // A fragment that spreads itself is refused, not followed forever.
    expect(isIntrospectionOnly('{ ...F } fragment F on Query { __typename ...F }')).toBe(false);
  });
});
