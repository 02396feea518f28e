import { DomainError } from '@measure-graph/errors';
import { DOMAINS, subgraphUrlVariable, type DomainName } from './domains.ts';
import type { Logger } from './log.ts';
import { callSubgraph } from './subgraph-call.ts';
import type { PartyCaller } from './party-directory.ts';

/**
 * Calls to the domain subgraphs' internal root fields on behalf of a request (the registry's
 * `allDossiers` asks each domain for a keyset page of its dossier keys). The same pattern as the
 * party directory the domains use to reach the registry: the gateway credential, the caller's
 * Authorization (each domain verifies the token and its scope again), x-purpose and x-request-id.
 * See docs/architecture.md, "A list over every domain: allDossiers".
 */
export interface DomainCaller {
  /** Runs `query` on one domain subgraph and returns `data[field]`. */
  query<T>(domain: DomainName, field: string, query: string, variables: object): Promise<T>;
}

/** A domain did not answer (down, too slow, refusing the credential): the list cannot be complete. */
export const domainUnavailable = (domain: string): DomainError =>
  new DomainError('SUBGRAPH_UNAVAILABLE', `The ${domain} service is unavailable`, { serviceName: domain });

/** Default of a domain call's timeout: below the gateway's SUBGRAPH_TIMEOUT_MS (10 s), as REGISTRY_TIMEOUT_MS. */
export const DEFAULT_DOMAIN_TIMEOUT_MS = 8000;

export interface DomainCallerOptions {
  /** Each domain subgraph's GraphQL URL (<DOMAIN>_URL, the gateway's variables). */
  urls: Readonly<Record<DomainName, string>>;
  /** SUBGRAPH_SECRET, sent as x-gateway-credential; null when the domains run without one (development). */
  credential: string | null;
  timeoutMs: number;
  logger: Logger;
}

/**
 * <DOMAIN>_URL of every domain (ACTIVATION_URL, ..., the same variables the gateway reads) for a
 * subgraph run alone that `callsDomains`, adding to `problems` instead of throwing: defaults to each
 * domain's development port when NODE_ENV is unset, `development` or `test`, required otherwise.
 */
export function readDomainUrls(
  env: NodeJS.ProcessEnv,
  problems: string[],
): { domainUrls?: Record<DomainName, string> } {
  const development = ['', 'development', 'test'].includes(env.NODE_ENV ?? '');
  const urls: Partial<Record<DomainName, string>> = {};
  for (const d of DOMAINS) {
    const variable = subgraphUrlVariable(d.name);
    const raw = env[variable];
    if (raw === undefined || raw === '') {
      if (development) urls[d.name] = `http://localhost:${d.defaultPort}/graphql`;
      else
        problems.push(
          `${variable} (the ${d.name} subgraph's internal URL, as the gateway's) is required with NODE_ENV=${env.NODE_ENV}`,
        );
      continue;
    }
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      problems.push(`${variable} must be an http:// or https:// URL`);
      continue;
    }
    urls[d.name] = raw;
  }
  return Object.keys(urls).length === DOMAINS.length ? { domainUrls: urls as Record<DomainName, string> } : {};
}

/** Codes of a domain's answer that concern the caller and are passed on as they are. */
const CALLER_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND']);

/**
 * Domain callers over HTTP, one per request (`caller`). No answer, a timeout, an HTTP error or an
 * unexpected error of the domain is SUBGRAPH_UNAVAILABLE naming the domain (the cause, with its
 * URL, is logged here, never shown); the domain's refusals of the caller are passed on.
 */
export function domainCallers(options: DomainCallerOptions): (caller: PartyCaller) => DomainCaller {
  return (caller) => ({
    query: <T>(domain: DomainName, field: string, query: string, variables: object) =>
      callSubgraph<T>({
        url: options.urls[domain],
        credential: options.credential,
        timeoutMs: options.timeoutMs,
        logger: options.logger,
        failure: { message: 'domain call failed', context: { domain, url: options.urls[domain] } },
        unavailable: () => domainUnavailable(domain),
        callerCodes: CALLER_CODES,
        authorization: caller.authorization,
        purpose: caller.purpose,
        requestId: caller.requestId,
        field,
        query,
        variables,
        requireValue: true,
      }),
  });
}
