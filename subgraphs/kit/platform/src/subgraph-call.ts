import { DomainError, type ErrorCode } from '@measure-graph/errors';
import { SUBGRAPH_CREDENTIAL_HEADER } from './credential.ts';
import { describeError, type Logger } from './log.ts';

/** One GraphQL call from a subgraph to another (the registry, a domain), for one request. */
export interface SubgraphCall {
  url: string;
  /** The gateway's credential the other subgraph requires; null when it runs without one. */
  credential: string | null;
  timeoutMs: number;
  logger: Logger;
  /** Log message and fields that say which call failed (never shown to the client). */
  failure: { message: string; context: Record<string, unknown> };
  /** The error the client gets when the other subgraph cannot be used (down, slow, faulty). */
  unavailable: () => Error;
  /** Codes of the other subgraph's answer that concern the caller: passed on as they are. */
  callerCodes: ReadonlySet<string>;
  /** The caller's Authorization, purpose and request id, forwarded. */
  authorization?: string;
  purpose?: string;
  requestId?: string;
  field: string;
  query: string;
  variables: object;
  /** Whether a null value of the field is an unexpected answer (otherwise only a missing one is). */
  requireValue?: boolean;
}

/**
 * Calls another subgraph over HTTP with the gateway credential, the caller's Authorization,
 * x-purpose and x-request-id, and a timeout; returns the field's value. Down or too slow is an
 * outage (logged as a warning); an answer this client cannot use (a refused credential, an error
 * of the other subgraph) is a fault to fix (logged as an error); both become `unavailable()`.
 * The other subgraph's refusals of the caller (callerCodes) reach the client with their field.
 */
export async function callSubgraph<T>(call: SubgraphCall): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (call.credential !== null) headers[SUBGRAPH_CREDENTIAL_HEADER] = call.credential;
  if (call.authorization) headers.authorization = call.authorization;
  if (call.purpose) headers['x-purpose'] = call.purpose;
  if (call.requestId) headers['x-request-id'] = call.requestId;
  const fail = (reason: string, extra: Record<string, unknown> = {}, level: 'warn' | 'error' = 'error') => {
    call.logger[level](call.failure.message, {
      requestId: call.requestId,
      ...call.failure.context,
      field: call.field,
      reason,
      ...extra,
    });
    return call.unavailable();
  };
  let status: number;
  let body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message?: string; extensions?: { code?: unknown; field?: unknown } }>;
  };
  try {
    const response = await fetch(call.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: call.query, variables: call.variables }),
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    status = response.status;
    body = (await response.json()) as typeof body;
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    throw fail(
      'no answer',
      { ...describeError(err), cause: cause?.code ?? cause?.message ?? (err as Error).name },
      'warn',
    );
  }
  const error = body?.errors?.[0];
  if (error) {
    const code = error.extensions?.code;
    if (typeof code === 'string' && call.callerCodes.has(code)) {
      const field = error.extensions?.field;
      throw new DomainError(code as ErrorCode, error.message ?? code, typeof field === 'string' ? { field } : {});
    }
    throw fail('error answer', { status, code });
  }
  const data = body?.data;
  if (status !== 200 || !data || !(call.field in data) || (call.requireValue && data[call.field] == null)) {
    throw fail('unexpected answer', { status });
  }
  return data[call.field] as T;
}
