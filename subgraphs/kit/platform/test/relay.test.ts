import { describe, expect, it } from 'vitest';
import { fromGlobalId, notAGlobalId, toGlobalId } from '../src/relay.ts';

describe('Relay global ids', () => {
  it('are base64url of <Typename>:<key>, opaque and read back', () => {
    const id = toGlobalId('Measure', 'VOP');
    expect(id).toBe(Buffer.from('Measure:VOP').toString('base64url'));
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(id).not.toContain('VOP');
    expect(fromGlobalId(id)).toEqual({ typename: 'Measure', key: 'VOP' });
    expect(fromGlobalId(toGlobalId('Organisation', '0403170701'))).toEqual({
      typename: 'Organisation',
      key: '0403170701',
    });
  });

  it('are told apart from the graph’s other ids and from text that merely decodes', () => {
    for (const other of ['ACT-123', 'SE-1', 'has spaces', '', 'prs_nobody', 'abc=', 'TWVhc3VyZQ'])
      expect(fromGlobalId(other), other).toBeNull();
  });

  it('refuse what is none of them with BAD_USER_INPUT naming id', () => {
    expect(notAGlobalId('x').extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});
