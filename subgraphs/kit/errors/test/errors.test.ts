import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { badInput, maskError, notFound } from '../src/errors.ts';

const format = (err: GraphQLError) => err.toJSON();

describe('maskError', () => {
  it('drops the subgraph response (address and body) the gateway attaches to a subgraph’s 401', () => {
    const formatted = {
      message: 'The access token has expired',
      extensions: {
        code: 'UNAUTHENTICATED',
        response: { url: 'http://10.0.0.7:4002/graphql', status: 401, body: { errors: [] } },
      },
    };
    const out = maskError(formatted, new Error('x'), () => {});
    expect(out).toEqual({ message: 'The access token has expired', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('passes coded client errors through without a stack trace', () => {
    const err = notFound('Measure', 'code', 'NOPE');
    const logged: unknown[] = [];
    const out = maskError({ ...format(err), extensions: { ...err.extensions, stacktrace: ['x'] } }, err, (e) =>
      logged.push(e),
    );
    expect(out.message).toBe('Measure with code "NOPE" does not exist');
    expect(out.extensions).toEqual({ code: 'NOT_FOUND', field: 'code', value: 'NOPE' });
    expect(logged).toEqual([]);
  });

  it('replaces unexpected errors by a generic one and logs the original', () => {
    const driverError = new GraphQLError('relation "registry.measure" does not exist at 10.0.0.5:5432', {
      path: ['measure'],
    });
    const logged: unknown[] = [];
    const out = maskError(format(driverError), driverError, (e) => logged.push(e));
    expect(out).toEqual({
      message: 'Internal server error',
      path: ['measure'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logged).toEqual([driverError]);
  });

  it('keeps the error code even when details use a field named code', () => {
    expect(badInput('bad', 'code').extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
  });
});
