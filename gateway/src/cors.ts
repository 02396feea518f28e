import type { IncomingMessage, ServerResponse } from 'node:http';
import { intVar } from '@measure-graph/db';
import { HttpError } from '@measure-graph/subgraph-platform/http';

/**
 * CORS for browser apps on other origins (dashboards, notebooks in a browser). A module of its
 * own rather than the `cors` package: that one answers a refused preflight with an ordinary 204
 * without allow headers, where the gateway answers every refusal with a coded JSON error
 * (CORS_ORIGIN_NOT_ALLOWED), and it needs an Express-style `next` around a handler that has none.
 */
export interface CorsConfig {
  /** Exact origins (scheme://host[:port]) allowed; CORS_ORIGINS. */
  origins: ReadonlySet<string>;
  /** Outside production without CORS_ORIGINS: every http origin on the loopback interface, any port. */
  loopback: boolean;
  /** How long a browser may cache a preflight answer (Access-Control-Max-Age). */
  maxAgeSeconds: number;
}

export const CORS_METHODS = ['GET', 'POST', 'OPTIONS'] as const;

/** Request headers a browser app may send: auth, tracing, Apollo's client identification and CSRF header, conditional GETs. */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-api-key',
  'x-request-id',
  'x-purpose',
  'apollographql-client-name',
  'apollographql-client-version',
  'apollo-require-preflight',
  'traceparent',
  'if-none-match',
] as const;

/** Response headers a browser app may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'etag', 'last-modified', 'content-disposition'] as const;

const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/**
 * CORS_ORIGINS: comma-separated exact origins; each must be what a browser sends in Origin
 * (no path, no trailing slash, lower-case host, default port left out). Unset: the loopback
 * origins outside production, none in production.
 */
export function readCorsConfig(env: NodeJS.ProcessEnv, production: boolean, problems: string[]): CorsConfig {
  const maxAgeSeconds = intVar(env, 'CORS_MAX_AGE_SECONDS', 600, problems, { min: 0, max: 86_400 });
  const raw = env.CORS_ORIGINS?.trim();
  if (!raw) return { origins: new Set(), loopback: !production, maxAgeSeconds };
  const origins = new Set<string>();
  for (const entry of raw.split(',').map((e) => e.trim())) {
    if (!entry) continue;
    const parsed = URL.canParse(entry) ? new URL(entry) : null;
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      problems.push(`CORS_ORIGINS: "${entry}" is not an http(s) origin (scheme://host[:port])`);
    } else if (parsed.origin !== entry) {
      problems.push(
        `CORS_ORIGINS: "${entry}" is not an origin as browsers send it: write "${parsed.origin}" (no path, no trailing slash, default port left out)`,
      );
    } else origins.add(entry);
  }
  return { origins, loopback: false, maxAgeSeconds };
}

export const isAllowedOrigin = (origin: string, config: CorsConfig): boolean =>
  config.origins.has(origin) || (config.loopback && LOOPBACK.test(origin));

/** Adds to the Vary header without losing what is there. */
export function addVary(res: ServerResponse, ...names: string[]): void {
  const current = String(res.getHeader('vary') ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const name of names) if (!current.some((c) => c.toLowerCase() === name.toLowerCase())) current.push(name);
  res.setHeader('vary', current.join(', '));
}

/**
 * Runs before any route. A preflight (OPTIONS with Origin and Access-Control-Request-Method) is
 * answered here: 204 with the allow headers for an allowed origin, 403 CORS_ORIGIN_NOT_ALLOWED
 * (thrown) for another. Any other request from an allowed origin gets Access-Control-Allow-Origin
 * and the exposed headers; from another origin nothing, so the browser keeps the answer from the
 * page. Returns true when the request has been answered. No Allow-Credentials: callers send
 * bearer tokens, never cookies.
 */
export function handleCors(req: IncomingMessage, res: ServerResponse, config: CorsConfig): boolean {
  // The answer depends on Origin, so caches must keep one per origin, also for a request without one.
  addVary(res, 'Origin');
  const origin = req.headers.origin;
  const preflight = req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'];
  if (origin === undefined || !isAllowedOrigin(origin, config)) {
    if (preflight)
      throw new HttpError(403, 'CORS_ORIGIN_NOT_ALLOWED', `The origin ${origin.slice(0, 200)} may not call this API`);
    return false;
  }
  res.setHeader('access-control-allow-origin', origin);
  if (!preflight) {
    res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
    return false;
  }
  addVary(res, 'Access-Control-Request-Method', 'Access-Control-Request-Headers');
  res.writeHead(204, {
    'access-control-allow-methods': CORS_METHODS.join(', '),
    'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
    'access-control-max-age': String(config.maxAgeSeconds),
    'content-length': '0',
  });
  res.end();
  return true;
}
