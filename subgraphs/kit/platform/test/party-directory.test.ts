import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_CREDENTIAL_HEADER } from '../src/credential.ts';
import type { Logger } from '../src/log.ts';
import { loadSubgraphConfig } from '../src/main.ts';
import {
  DEFAULT_REGISTRY_TIMEOUT_MS,
  DEFAULT_REGISTRY_URL,
  memoryPartyDirectory,
  readRegistryConfig,
  registryPartyDirectories,
  requireParties,
  type PartyDirectory,
} from '../src/party-directory.ts';
import type { SubgraphDefinition } from '../src/subgraph.ts';

/** A stand-in registry: records each request and answers with what the test sets. */
interface Seen {
  headers: http.IncomingHttpHeaders;
  body: { query: string; variables: Record<string, unknown> };
}
const seen: Seen[] = [];
let answer: (body: Seen['body']) => { status?: number; json?: unknown; delayMs?: number } = () => ({});
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw) as Seen['body'];
      seen.push({ headers: req.headers, body });
      const { status = 200, json = {}, delayMs = 0 } = answer(body);
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const logged: Array<[string, Record<string, unknown> | undefined]> = [];
const logger: Logger = {
  info: () => {},
  warn: (msg, fields) => logged.push([msg, fields]),
  error: (msg, fields) => logged.push([msg, fields]),
};
const SECRET = 's'.repeat(40);
const caller = { authorization: 'Bearer caller-token', requestId: 'req-42' };
const directory = (options: { timeoutMs?: number; credential?: string | null; purpose?: string } = {}) =>
  registryPartyDirectories({
    url,
    credential: options.credential === undefined ? SECRET : options.credential,
    timeoutMs: options.timeoutMs ?? 2000,
    logger,
  })({ ...caller, ...(options.purpose ? { purpose: options.purpose } : {}) });
const codeOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (err) {
    return (err as { extensions?: { code?: string } }).extensions?.code;
  }
  return 'no error';
};

describe('the registry party directory (HTTP)', () => {
  it('asks for every party of a command in one call, as the caller, with the gateway credential', async () => {
    seen.length = 0;
    answer = () => ({ json: { data: { _knownParties: { kboNumbers: ['0449859670'], personIds: ['prs_a'] } } } });
    const known = await directory().known({
      kboNumbers: ['0449859670', '0316381039', '0449859670'],
      personIds: ['prs_a', 'prs_b'],
    });
    expect([...known.kboNumbers]).toEqual(['0449859670']);
    expect([...known.personIds]).toEqual(['prs_a']);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.body.query).toContain('_knownParties');
    expect(seen[0]!.body.variables).toEqual({
      kboNumbers: ['0449859670', '0316381039'],
      personIds: ['prs_a', 'prs_b'],
    });
    expect(seen[0]!.headers).toMatchObject({
      [SUBGRAPH_CREDENTIAL_HEADER]: SECRET,
      authorization: 'Bearer caller-token',
      'x-request-id': 'req-42',
    });
    expect(seen[0]!.headers['x-purpose']).toBeUndefined();
  });

  it('makes no call when a command names no party, and sends no credential when it has none', async () => {
    seen.length = 0;
    expect(await directory().known({})).toEqual({ kboNumbers: new Set(), personIds: new Set() });
    expect(seen).toHaveLength(0);
    answer = () => ({ json: { data: { _knownParties: { kboNumbers: [], personIds: [] } } } });
    await directory({ credential: null }).known({ personIds: ['prs_a'] });
    expect(seen[0]!.headers[SUBGRAPH_CREDENTIAL_HEADER]).toBeUndefined();
  });

  it('resolves a national number with the caller’s purpose, or else one naming the operation', async () => {
    seen.length = 0;
    answer = () => ({ json: { data: { _resolveInsz: 'prs_a' } } });
    expect(await directory().resolveInsz('92032670877', 'dossier submission (activation)')).toBe('prs_a');
    expect(await directory({ purpose: 'appeal AC-2020-0042' }).resolveInsz('92032670877', 'x')).toBe('prs_a');
    expect(seen.map((s) => s.headers['x-purpose'])).toEqual(['dossier submission (activation)', 'appeal AC-2020-0042']);
    expect(seen[0]!.body.variables).toEqual({ insz: '92032670877' });
    answer = () => ({ json: { data: { _resolveInsz: null } } });
    expect(await directory().resolveInsz('92032670877', 'dossier submission (activation)')).toBeNull();
  });

  it('passes the registry’s refusals of the caller on, and turns anything else into REGISTRY_UNAVAILABLE', async () => {
    const refusal =
      (code: string, status = 200) =>
      () => ({
        status,
        json: { data: { _resolveInsz: null }, errors: [{ message: `refused: ${code}`, extensions: { code } }] },
      });
    answer = refusal('FORBIDDEN');
    expect(await codeOf(directory().resolveInsz('92032670877', 'op'))).toBe('FORBIDDEN');
    answer = refusal('UNAUTHENTICATED', 401);
    expect(await codeOf(directory().resolveInsz('92032670877', 'op'))).toBe('UNAUTHENTICATED');
    logged.length = 0;
    for (const failure of [
      refusal('INTERNAL_SERVER_ERROR'),
      refusal('SUBGRAPH_CREDENTIAL_INVALID', 403),
      () => ({ status: 502, json: {} }),
      () => ({ json: { data: null } }),
    ]) {
      answer = failure;
      expect(await codeOf(directory().known({ kboNumbers: ['0449859670'] }))).toBe('REGISTRY_UNAVAILABLE');
    }
    expect(logged).toHaveLength(4);
    expect(JSON.stringify(logged)).not.toContain('caller-token');
  });

  it('gives up after its timeout, and on a registry that is not there', async () => {
    answer = () => ({ delayMs: 1000, json: { data: { _knownParties: { kboNumbers: [], personIds: [] } } } });
    const started = Date.now();
    expect(await codeOf(directory({ timeoutMs: 150 }).known({ kboNumbers: ['0449859670'] }))).toBe(
      'REGISTRY_UNAVAILABLE',
    );
    expect(Date.now() - started).toBeLessThan(900);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const gone = registryPartyDirectories({
      url: `http://127.0.0.1:${port}/graphql`,
      credential: SECRET,
      timeoutMs: 1000,
      logger,
    })(caller);
    expect(await codeOf(gone.known({ personIds: ['prs_a'] }))).toBe('REGISTRY_UNAVAILABLE');
  });
});

describe('requireParties', () => {
  const parties = memoryPartyDirectory({
    kboNumbers: ['0449859670'],
    persons: [{ id: 'prs_a', insz: '92032670877' }],
  });

  it('checks every party of a command with one lookup; the first unknown one is NOT_FOUND at its field', async () => {
    parties.calls = 0;
    await requireParties(parties, [
      { kind: 'organisation', id: '0449859670', field: 'employerKbo' },
      { kind: 'person', id: 'prs_a', field: 'personId' },
    ]);
    await expect(
      requireParties(parties, [
        { kind: 'person', id: 'prs_a', field: 'personId' },
        { kind: 'organisation', id: '0316381039', field: 'employerKbo' },
      ]),
    ).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND', field: 'employerKbo', value: '0316381039' } });
    expect(parties.calls).toBe(2);
  });

  it('an unavailable directory is REGISTRY_UNAVAILABLE', async () => {
    const down: PartyDirectory & { unavailable: boolean } = memoryPartyDirectory({ kboNumbers: [], persons: [] });
    down.unavailable = true;
    expect(await codeOf(requireParties(down, [{ kind: 'person', id: 'prs_a', field: 'personId' }]))).toBe(
      'REGISTRY_UNAVAILABLE',
    );
  });
});

describe('REGISTRY_URL of a domain subgraph run alone', () => {
  const domain = { name: 'activation', defaultPort: 4002, usesRegistry: true } as SubgraphDefinition<unknown>;

  it('defaults to the registry’s development port outside production, and is required in production', () => {
    const problems: string[] = [];
    expect(readRegistryConfig({}, problems)).toEqual({
      registryUrl: DEFAULT_REGISTRY_URL,
      registryTimeoutMs: DEFAULT_REGISTRY_TIMEOUT_MS,
    });
    expect(readRegistryConfig({ NODE_ENV: 'production' }, problems)).toEqual({
      registryTimeoutMs: DEFAULT_REGISTRY_TIMEOUT_MS,
    });
    expect(problems).toEqual([expect.stringMatching(/^REGISTRY_URL .* is required with NODE_ENV=production$/)]);
  });

  it('must be an http(s) URL; REGISTRY_TIMEOUT_MS a sane number of milliseconds', () => {
    const problems: string[] = [];
    readRegistryConfig({ REGISTRY_URL: 'postgres://db/registry', REGISTRY_TIMEOUT_MS: '5' }, problems);
    expect(problems).toEqual([
      expect.stringMatching(/^REGISTRY_TIMEOUT_MS must be an integer between 100 and 60000/),
      'REGISTRY_URL must be an http:// or https:// URL',
    ]);
    expect(
      readRegistryConfig({ REGISTRY_URL: 'http://10.0.3.11:4001/graphql', REGISTRY_TIMEOUT_MS: '2500' }, []),
    ).toEqual({ registryUrl: 'http://10.0.3.11:4001/graphql', registryTimeoutMs: 2500 });
  });

  it('is read for a domain subgraph only', () => {
    const env = {
      AUTH_DEV_KEYS_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'party-directory-')),
      DATABASE_URL: 'postgres://measure@db.internal:5432/measures',
      REGISTRY_URL: 'http://reg:4001/graphql',
    };
    expect(loadSubgraphConfig(domain, env).registryUrl).toBe('http://reg:4001/graphql');
    const registry = { name: 'registry', defaultPort: 4001 } as SubgraphDefinition<unknown>;
    expect(loadSubgraphConfig(registry, env).registryUrl).toBeUndefined();
  });
});
