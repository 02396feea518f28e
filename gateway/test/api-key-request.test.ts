import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpError } from '@measure-graph/subgraph-platform/http';
import { apiKeyFromRequest } from '../src/api-keys.ts';

const KEY = `mgk_0123456789abcdef_${'A'.repeat(43)}`;
const request = (method: string, path: string, headers: Record<string, string | string[]> = {}) => ({
  req: { method, url: path, headers } as unknown as IncomingMessage,
  url: new URL(path, 'http://gateway'),
});
const keyOf = (method: string, path: string, headers: Record<string, string | string[]> = {}) => {
  const { req, url } = request(method, path, headers);
  return apiKeyFromRequest(req, url);
};
const refusal = (method: string, path: string, headers: Record<string, string | string[]> = {}) => {
  try {
    keyOf(method, path, headers);
  } catch (err) {
    if (err instanceof HttpError) return `${err.status} ${err.code}`;
    throw err;
  }
  return 'accepted';
};

describe('where a request presents its API key', () => {
  it('takes one static header: Authorization Bearer or X-API-Key', () => {
    expect(keyOf('POST', '/graphql', { authorization: `Bearer ${KEY}` })).toBe(KEY);
    expect(keyOf('POST', '/graphql', { 'x-api-key': KEY })).toBe(KEY);
    // A token is not a key: the token verifier has it.
    expect(keyOf('POST', '/graphql', { authorization: 'Bearer eyJhbGciOi.eyJzdWIi.c2ln' })).toBeUndefined();
    expect(keyOf('POST', '/graphql')).toBeUndefined();
  });

  it('takes the api_key query parameter on GET /tables/* only', () => {
    expect(keyOf('GET', `/tables/dossiers?api_key=${KEY}`)).toBe(KEY);
    expect(refusal('GET', `/graphql?query={__typename}&api_key=${KEY}`)).toBe('400 API_KEY_IN_URL_NOT_ACCEPTED');
    expect(refusal('POST', `/tables/dossiers?api_key=${KEY}`)).toBe('400 API_KEY_IN_URL_NOT_ACCEPTED');
  });

  it('refuses two credentials at once rather than choosing one', () => {
    expect(refusal('POST', '/graphql', { authorization: 'Bearer eyJhbGciOi.eyJzdWIi.c2ln', 'x-api-key': KEY })).toBe(
      '400 AMBIGUOUS_CREDENTIALS',
    );
    expect(refusal('GET', `/tables/dossiers?api_key=${KEY}`, { 'x-api-key': KEY })).toBe('400 AMBIGUOUS_CREDENTIALS');
    expect(refusal('GET', `/tables/dossiers?api_key=${KEY}&api_key=${KEY}`)).toBe('400 AMBIGUOUS_CREDENTIALS');
  });
});
