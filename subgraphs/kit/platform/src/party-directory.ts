import { DomainError, notFound } from '@measure-graph/errors';
import type { Logger } from './log.ts';
import { callSubgraph } from './subgraph-call.ts';

/**
 * Organisations and persons as a domain command sees them: the registry's, read at the time of
 * the command (no copy in the domain, so strongly consistent with the registry). The registry
 * subgraph answers through internal root fields (`_knownParties`, `_resolveInsz`, @inaccessible);
 * see docs/architecture.md, "Parties".
 */
export interface PartyDirectory {
  /** Which of these organisations (KBO, 10 digits) and persons (registry ids) exist: one call for all. */
  known(query: PartyQuery): Promise<KnownParties>;
  /**
   * The registry id of the person with this national number (11 digits), or null. A personal-data
   * access: the registry logs it, with the caller's purpose (x-purpose) or else `operation`, which
   * names what the number is resolved for, e.g. "dossier submission (activation)".
   */
  resolveInsz(insz: string, operation: string): Promise<string | null>;
}

export interface PartyQuery {
  kboNumbers?: readonly string[];
  personIds?: readonly string[];
}

export interface KnownParties {
  kboNumbers: ReadonlySet<string>;
  personIds: ReadonlySet<string>;
}

/** A party a command names: an organisation by KBO number (10 digits) or a person by registry id. */
export interface PartyReference {
  kind: 'organisation' | 'person';
  id: string;
  /** The input field that named it, for the NOT_FOUND error. */
  field: string;
}

/** The registry could not be asked (down, too slow, refusing): the command writes nothing. */
export const registryUnavailable = (): DomainError =>
  new DomainError(
    'REGISTRY_UNAVAILABLE',
    'The registry of organisations and persons did not answer; nothing was written',
  );

/**
 * Checks that every party a command names is in the registry, with one call: NOT_FOUND for the
 * first one that is not, REGISTRY_UNAVAILABLE when the registry does not answer.
 */
export async function requireParties(directory: PartyDirectory, parties: readonly PartyReference[]): Promise<void> {
  if (parties.length === 0) return;
  const idsOf = (kind: PartyReference['kind']) => parties.filter((p) => p.kind === kind).map((p) => p.id);
  const known = await directory.known({ kboNumbers: idsOf('organisation'), personIds: idsOf('person') });
  for (const party of parties) {
    if (party.kind === 'organisation' && !known.kboNumbers.has(party.id)) {
      throw notFound('Organisation', party.field, party.id);
    }
    if (party.kind === 'person' && !known.personIds.has(party.id)) throw notFound('Person', party.field, party.id);
  }
}

/** The party directory of a request (ctx.parties); REGISTRY_UNAVAILABLE when the subgraph has none. */
export function partyDirectoryOf(ctx: { parties?: PartyDirectory }): PartyDirectory {
  if (!ctx.parties) throw registryUnavailable();
  return ctx.parties;
}

/** What a request tells about its caller, forwarded to the registry. */
export interface PartyCaller {
  /** The caller's Authorization header as received (the registry verifies the token again). */
  authorization?: string;
  /** The caller's stated purpose (x-purpose), already checked. */
  purpose?: string;
  /** The gateway's request id (x-request-id). */
  requestId?: string;
}

export interface RegistryDirectoryOptions {
  /** The registry subgraph's GraphQL URL (REGISTRY_URL). */
  url: string;
  /** SUBGRAPH_SECRET, sent as x-gateway-credential; null when the registry runs without one (development). */
  credential: string | null;
  /** A call is cut after this long (REGISTRY_TIMEOUT_MS). */
  timeoutMs: number;
  logger: Logger;
}

/** Default of REGISTRY_TIMEOUT_MS: below the gateway's SUBGRAPH_TIMEOUT_MS (10 s). */
export const DEFAULT_REGISTRY_TIMEOUT_MS = 5000;

/** Where a domain subgraph run alone finds the registry in development: its default port. */
export const DEFAULT_REGISTRY_URL = 'http://localhost:4001/graphql';

/**
 * REGISTRY_URL (the variable the gateway reads too) and REGISTRY_TIMEOUT_MS of a domain subgraph
 * run alone, adding to `problems` instead of throwing. REGISTRY_URL defaults to the registry's
 * development port when NODE_ENV is unset, `development` or `test`, and is required otherwise.
 */
export function readRegistryConfig(
  env: NodeJS.ProcessEnv,
  problems: string[],
): { registryUrl?: string; registryTimeoutMs: number } {
  const timeoutRaw = env.REGISTRY_TIMEOUT_MS;
  let registryTimeoutMs = DEFAULT_REGISTRY_TIMEOUT_MS;
  if (timeoutRaw !== undefined && timeoutRaw !== '') {
    registryTimeoutMs = Number(timeoutRaw);
    if (!Number.isInteger(registryTimeoutMs) || registryTimeoutMs < 100 || registryTimeoutMs > 60_000) {
      problems.push(`REGISTRY_TIMEOUT_MS must be an integer between 100 and 60000, got "${timeoutRaw}"`);
      registryTimeoutMs = DEFAULT_REGISTRY_TIMEOUT_MS;
    }
  }
  const raw = env.REGISTRY_URL;
  if (raw === undefined || raw === '') {
    if (['', 'development', 'test'].includes(env.NODE_ENV ?? '')) {
      return { registryUrl: DEFAULT_REGISTRY_URL, registryTimeoutMs };
    }
    problems.push(
      `REGISTRY_URL (the registry subgraph's internal URL, as the gateway's) is required with NODE_ENV=${env.NODE_ENV}`,
    );
    return { registryTimeoutMs };
  }
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    problems.push('REGISTRY_URL must be an http:// or https:// URL');
    return { registryTimeoutMs };
  }
  return { registryUrl: raw, registryTimeoutMs };
}

/** Codes of the registry's answer that concern the caller and are passed on as they are. */
const CALLER_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT']);

const KNOWN_PARTIES = `query KnownParties($kboNumbers: [ID!], $personIds: [ID!]) {
  _knownParties(kboNumbers: $kboNumbers, personIds: $personIds) { kboNumbers personIds }
}`;
const RESOLVE_INSZ = `query ResolveInsz($insz: ID!) { _resolveInsz(insz: $insz) }`;

/**
 * Party directories that call the registry subgraph over HTTP, one per request (`caller`): with
 * the gateway credential, the caller's Authorization, x-purpose and x-request-id, and a timeout.
 * No answer, a timeout, an HTTP error or an unexpected error of the registry is
 * REGISTRY_UNAVAILABLE (the cause is logged here, never shown).
 */
export function registryPartyDirectories(options: RegistryDirectoryOptions): (caller: PartyCaller) => PartyDirectory {
  return (caller) => {
    const call = <T>(field: string, query: string, variables: object, purpose?: string) =>
      callSubgraph<T>({
        url: options.url,
        credential: options.credential,
        timeoutMs: options.timeoutMs,
        logger: options.logger,
        failure: { message: 'registry call failed', context: { registry: options.url } },
        unavailable: registryUnavailable,
        callerCodes: CALLER_CODES,
        authorization: caller.authorization,
        purpose,
        requestId: caller.requestId,
        field,
        query,
        variables,
      });

    return {
      async known(query) {
        const kboNumbers = [...new Set(query.kboNumbers ?? [])];
        const personIds = [...new Set(query.personIds ?? [])];
        if (kboNumbers.length === 0 && personIds.length === 0) return { kboNumbers: new Set(), personIds: new Set() };
        const found = await call<{ kboNumbers: string[]; personIds: string[] } | null>(
          '_knownParties',
          KNOWN_PARTIES,
          { kboNumbers, personIds },
          caller.purpose,
        );
        if (!found) throw registryUnavailable();
        return { kboNumbers: new Set(found.kboNumbers), personIds: new Set(found.personIds) };
      },
      resolveInsz: (insz, operation) =>
        call<string | null>('_resolveInsz', RESOLVE_INSZ, { insz }, caller.purpose ?? operation),
    };
  };
}

export interface MemoryParties {
  kboNumbers: Iterable<string>;
  persons: Iterable<{ id: string; insz: string }>;
}

/**
 * A directory over fixed lists (or a function giving them, called at the first lookup), for tests that run a subgraph without a registry. `calls` counts
 * the lookups (a command makes one); `unavailable` makes every lookup fail as a registry that does
 * not answer.
 */
export function memoryPartyDirectory(
  source: MemoryParties | (() => MemoryParties),
): PartyDirectory & { calls: number; unavailable: boolean } {
  let index: { kbos: Set<string>; ids: Set<string>; byInsz: Map<string, string> } | undefined;
  const load = () => {
    if (!index) {
      const parties = typeof source === 'function' ? source() : source;
      const persons = [...parties.persons];
      index = {
        kbos: new Set(parties.kboNumbers),
        ids: new Set(persons.map((p) => p.id)),
        byInsz: new Map(persons.map((p) => [p.insz, p.id])),
      };
    }
    return index;
  };
  const directory = {
    calls: 0,
    unavailable: false,
    async known(query: PartyQuery): Promise<KnownParties> {
      directory.calls++;
      if (directory.unavailable) throw registryUnavailable();
      const { kbos, ids } = load();
      return {
        kboNumbers: new Set((query.kboNumbers ?? []).filter((k) => kbos.has(k))),
        personIds: new Set((query.personIds ?? []).filter((id) => ids.has(id))),
      };
    },
    async resolveInsz(insz: string): Promise<string | null> {
      directory.calls++;
      if (directory.unavailable) throw registryUnavailable();
      return load().byInsz.get(insz) ?? null;
    },
  };
  return directory;
}
