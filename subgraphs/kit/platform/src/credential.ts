import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './http.ts';

/**
 * The credential shared by the gateway and the subgraphs (SUBGRAPH_SECRET): the gateway sends it
 * on every subgraph request in a header of its own (Authorization carries the caller's token), and
 * a subgraph answers nothing, not even `_service` or introspection, to a request without it.
 */
export const SUBGRAPH_CREDENTIAL_HEADER = 'x-gateway-credential';

export const SUBGRAPH_SECRET_MIN_LENGTH = 32;
/** Visible ASCII only: the secret travels in an HTTP header. */
const SECRET_SHAPE = /^[\x21-\x7e]+$/;

/**
 * Reads SUBGRAPH_SECRET, adding to `problems` instead of throwing. Required wherever NODE_ENV is
 * not unset, `development` or `test` (as the identity provider is); undefined when it is unset
 * there (the in-process stack then generates one, a subgraph alone runs without the check).
 */
export function readSubgraphSecret(env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const secret = env.SUBGRAPH_SECRET;
  if (secret === undefined || secret === '') {
    if (!['', 'development', 'test'].includes(env.NODE_ENV ?? '')) {
      problems.push(
        `SUBGRAPH_SECRET (at least ${SUBGRAPH_SECRET_MIN_LENGTH} characters, the same for the gateway and ` +
          `every subgraph) is required with NODE_ENV=${env.NODE_ENV}`,
      );
    }
    return undefined;
  }
  if (secret.length < SUBGRAPH_SECRET_MIN_LENGTH || secret.length > 1024 || !SECRET_SHAPE.test(secret)) {
    // Never quote the value: it is a secret even when it is a bad one.
    problems.push(
      `SUBGRAPH_SECRET must be ${SUBGRAPH_SECRET_MIN_LENGTH} to 1024 visible ASCII characters without spaces ` +
        `(e.g. \`openssl rand -base64 48\`), got ${secret.length} characters`,
    );
    return undefined;
  }
  return secret;
}

/** A fresh random secret (the in-process stack's, when none is configured). */
export const generateSubgraphSecret = (): string => randomBytes(48).toString('base64url');

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The check a subgraph runs on every request before it reads the body: null when the header holds
 * the secret, otherwise 401 SUBGRAPH_CREDENTIAL_REQUIRED (no header) or 403
 * SUBGRAPH_CREDENTIAL_INVALID. The comparison is of SHA-256 digests in constant time, so neither
 * the content nor the length of the secret leaks through timing.
 */
export function createCredentialCheck(secret: string): (headers: IncomingHttpHeaders) => HttpError | null {
  const expected = digest(secret);
  return (headers) => {
    const given = headers[SUBGRAPH_CREDENTIAL_HEADER];
    if (given === undefined || given === '') {
      return new HttpError(401, 'SUBGRAPH_CREDENTIAL_REQUIRED', 'This service answers the gateway only');
    }
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      return new HttpError(403, 'SUBGRAPH_CREDENTIAL_INVALID', 'This service answers the gateway only');
    }
    return null;
  };
}

/**
 * For the gateway: the code of a subgraph's answer that refuses the gateway's credential (401/403
 * SUBGRAPH_CREDENTIAL_*), null for any other answer (a refused caller token included).
 */
export async function credentialRefusalCode(response: {
  status: number;
  clone(): { json(): Promise<unknown> };
}): Promise<string | null> {
  if (response.status !== 401 && response.status !== 403) return null;
  try {
    const body = (await response.clone().json()) as { errors?: Array<{ extensions?: { code?: unknown } }> };
    const code = body.errors?.[0]?.extensions?.code;
    return typeof code === 'string' && code.startsWith('SUBGRAPH_CREDENTIAL_') ? code : null;
  } catch {
    return null;
  }
}
