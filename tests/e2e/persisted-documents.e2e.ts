import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@measure-graph/db';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@measure-graph/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestStack, type TestStack } from '../support/stack.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const safelist = JSON.parse(fs.readFileSync(path.join(root, 'schema/safelist.json'), 'utf8')) as {
  operations: Array<{ name: string; file: string }>;
};
const measureCardText = fs.readFileSync(path.join(root, 'schema/operations/MeasureCard.graphql'), 'utf8');
const MEASURE_CARD = sha256(measureCardText);
const VARIABLES = { code: 'VOP', year: 2020 };

/** A client preset manifest in a folder of its own: one document the repository does not have. */
const CLIENT_DOCUMENT = 'query DashboardMeasures { measures { code name } }';
const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'persisted-documents-'));
const CLIENT_MUTATION = 'mutation Touch { __typename }';
fs.writeFileSync(
  path.join(clientDir, 'dashboard.json'),
  JSON.stringify({ [sha256(CLIENT_DOCUMENT)]: CLIENT_DOCUMENT, [sha256(CLIENT_MUTATION)]: CLIENT_MUTATION }),
);

let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(async () => {
  await graph?.stop();
  fs.rmSync(clientDir, { recursive: true, force: true });
});

function gatewayEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...graph.authEnv, PORT: '0', ...extra };
  for (const s of graph.stack.subgraphs) env[`${s.name.toUpperCase().replace(/-/g, '_')}_URL`] = s.url;
  return env;
}
const gatewayWith = (extra: NodeJS.ProcessEnv): Promise<RunningGateway> =>
  startGateway(loadGatewayConfig(gatewayEnv(extra)));

const base = () => graph.url.replace(/\/graphql$/, '');
const getById = (url: string, id: string, variables: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}?documentId=${encodeURIComponent(id)}&variables=${encodeURIComponent(JSON.stringify(variables))}`, {
    headers,
  });

describe('the manifest', () => {
  it("lists the repository's operations with the sha256 of their text as id", async () => {
    const res = await fetch(`${base()}/persisted-documents`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as Array<{ id: string; name: string; kind: string; source: string }>;
    for (const op of safelist.operations) {
      const text = fs.readFileSync(path.join(root, op.file), 'utf8');
      expect(list).toContainEqual({ id: sha256(text), name: op.name, kind: 'operation', source: op.file });
    }
    for (const doc of list) {
      expect(doc.id).toMatch(/^[0-9a-f]{64}$/);
      if (doc.kind === 'table') expect(doc.source).toMatch(/^schema\/tables\/[^/]+\.graphql$/);
    }
  });

  it('serves a document by id as immutable text with its id as ETag, and 304 when the client has it', async () => {
    const res = await fetch(`${base()}/persisted-documents/sha256:${MEASURE_CARD}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(measureCardText);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('etag')).toBe(`"${MEASURE_CARD}"`);
    const again = await fetch(`${base()}/persisted-documents/${MEASURE_CARD}`, {
      headers: { 'if-none-match': `"${MEASURE_CARD}"` },
    });
    expect(again.status).toBe(304);
    const unknown = await fetch(`${base()}/persisted-documents/${'0'.repeat(64)}`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).errors[0].extensions.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
  });
});

describe('running a document by id', () => {
  it('returns the same data by POST and GET documentId as the posted text', async () => {
    const posted = await graph.query(measureCardText, VARIABLES);
    expect(posted.errors).toBeUndefined();
    expect(posted.data!.measure.code).toBe('VOP');
    for (const documentId of [`sha256:${MEASURE_CARD}`, MEASURE_CARD]) {
      const byId = await graph.post(JSON.stringify({ documentId, variables: VARIABLES, operationName: 'MeasureCard' }));
      expect(byId.status).toBe(200);
      expect(byId.data).toEqual(posted.data);
    }
    // GET needs no CSRF header: it can only run a registered query.
    const got = await getById(graph.url, `sha256:${MEASURE_CARD}`, VARIABLES, {
      authorization: `Bearer ${graph.allScopesToken}`,
    });
    expect(got.status).toBe(200);
    expect(((await got.json()) as any).data).toEqual(posted.data);
  });

  it('lets shared caches keep an anonymous GET briefly, never one with a token', async () => {
    const anonymous = await getById(graph.url, `sha256:${MEASURE_CARD}`, VARIABLES);
    expect(anonymous.status).toBe(200);
    expect(((await anonymous.json()) as any).errors).toBeUndefined();
    expect(anonymous.headers.get('cache-control')).toBe('public, max-age=60');
    expect(anonymous.headers.get('vary')).toMatch(/Authorization/);
    const withToken = await getById(graph.url, `sha256:${MEASURE_CARD}`, VARIABLES, {
      authorization: `Bearer ${graph.allScopesToken}`,
    });
    expect(withToken.headers.get('cache-control')).toBe('private, no-store');
  });

  it('refuses an unknown id, a malformed one, and a body with both query and documentId, each with its code', async () => {
    const unknown = await graph.post(JSON.stringify({ documentId: `sha256:${'a'.repeat(64)}` }));
    expect(unknown.status).toBe(400);
    expect(unknown.errors![0]!.extensions!.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    const unknownGet = await getById(graph.url, 'b'.repeat(64), {});
    expect(unknownGet.status).toBe(400);
    expect(((await unknownGet.json()) as any).errors[0].extensions.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    const malformed = await graph.post(JSON.stringify({ documentId: 'md5:abc' }));
    expect(malformed.status).toBe(400);
    expect(malformed.errors![0]!.extensions!.code).toBe('INVALID_DOCUMENT_ID');
    const both = await graph.post(JSON.stringify({ documentId: MEASURE_CARD, query: '{ __typename }' }));
    expect(both.status).toBe(400);
    expect(both.errors![0]!.extensions!.code).toBe('PERSISTED_DOCUMENT_WITH_QUERY');
  });

  it('applies the limits of a posted query to a persisted document', async () => {
    const shallow = await gatewayWith({ MAX_DEPTH: '2' });
    try {
      const res = await post(shallow.url, JSON.stringify({ documentId: MEASURE_CARD, variables: VARIABLES }));
      expect(res.status).toBe(400);
      expect(res.errors![0]!.extensions!.code).toBe('QUERY_TOO_DEEP');
    } finally {
      await shallow.stop();
    }
  });

  it('refuses to start when a client manifest has an id that is not its document’s sha256, naming file and id', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persisted-tampered-'));
    try {
      const id = sha256(CLIENT_DOCUMENT);
      // The id of the registered document, the text changed afterwards.
      fs.writeFileSync(
        path.join(dir, 'dashboard.json'),
        JSON.stringify({ [id]: CLIENT_DOCUMENT.replace('name', 'name status') }),
      );
      let error: unknown;
      try {
        loadGatewayConfig(gatewayEnv({ PERSISTED_DOCUMENTS_DIR: dir }));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        `PERSISTED_DOCUMENTS_DIR: ${path.basename(dir)}/dashboard.json: ${id} is not the sha256 of its document`,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('safelist mode', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await gatewayWith({
      SAFELIST_PATH: path.join(root, 'schema/safelist.json'),
      PERSISTED_DOCUMENTS_DIR: clientDir,
    });
  }, 120_000);
  afterAll(() => gateway?.stop());

  it("runs every persisted document, a client manifest's too, and refuses raw unregistered text", async () => {
    const auth = { authorization: `Bearer ${graph.allScopesToken}` };
    const card = await post(gateway.url, JSON.stringify({ documentId: MEASURE_CARD, variables: VARIABLES }), auth);
    expect(card.errors).toBeUndefined();
    expect(card.data!.measure.code).toBe('VOP');
    const client = await post(gateway.url, JSON.stringify({ documentId: `sha256:${sha256(CLIENT_DOCUMENT)}` }), auth);
    expect(client.errors).toBeUndefined();
    expect(client.data!.measures.map((m: { code: string }) => m.code)).toContain('VOP');
    // The same text posted raw is not registered in the safelist.
    const raw = await post(gateway.url, JSON.stringify({ query: CLIENT_DOCUMENT }), auth);
    expect(raw.status).toBe(400);
    expect(raw.errors![0]!.extensions!.code).toBe('OPERATION_NOT_SAFELISTED');
  });

  it('never runs a persisted mutation over GET (what makes a GET by id safe without a CSRF header)', async () => {
    const byGet = await getById(gateway.url, `sha256:${sha256(CLIENT_MUTATION)}`, {});
    expect(byGet.status).toBe(405);
    expect(((await byGet.json()) as any).data).toBeUndefined();
    const byPost = await post(gateway.url, JSON.stringify({ documentId: sha256(CLIENT_MUTATION) }), {
      authorization: `Bearer ${graph.allScopesToken}`,
    });
    expect(byPost.data).toEqual({ __typename: 'Mutation' });
  });

  it('lets a caller with schema:introspect introspect, and no one else; the scope opens nothing more', async () => {
    const introspection = JSON.stringify({
      query: 'query IDE { __schema { queryType { name } types { ...T } } } fragment T on __Type { name kind }',
    });
    const introspector = `Bearer ${await graph.token({ scopes: ['schema:introspect'] })}`;
    const allowed = await post(gateway.url, introspection, { authorization: introspector });
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.__schema.queryType.name).toBe('Query');
    expect(allowed.data!.__schema.types.map((t: { name: string }) => t.name)).toContain('Measure');

    const reader = `Bearer ${await graph.token({ scopes: ['dossiers:read'] })}`;
    for (const authorization of [reader, '']) {
      const refused = await post(gateway.url, introspection, authorization ? { authorization } : {});
      expect(refused.status).toBe(400);
      expect(refused.errors![0]!.extensions!.code).toBe('OPERATION_NOT_SAFELISTED');
    }
    // Introspection beside a data field is not introspection only.
    const mixed = await post(gateway.url, JSON.stringify({ query: '{ __typename measures { code } }' }), {
      authorization: introspector,
    });
    expect(mixed.status).toBe(400);
    expect(mixed.errors![0]!.extensions!.code).toBe('OPERATION_NOT_SAFELISTED');
  });
});

/** One Redis command over RESP, for what the test checks in Redis itself (a key's TTL). */
function redisCommand(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(6379, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.endsWith('\r\n')) {
        socket.end();
        resolve(reply.trim());
      }
    });
    socket.on('error', reject);
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

describe('automatic persisted queries in Redis, shared by two gateways', () => {
  const prefix = `measure-graph-test-${randomBytes(6).toString('hex')}:`;
  const query = '{ measure(code: "VOP") { code name } }';
  const hash = sha256(query);
  const apq = { persistedQuery: { version: 1, sha256Hash: hash } };
  let a: RunningGateway;
  let b: RunningGateway;
  beforeAll(async () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: prefix, APQ_TTL_SECONDS: '300' };
    [a, b] = await Promise.all([gatewayWith(env), gatewayWith(env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redisCommand('DEL', `${prefix}apq:${hash}`).catch(() => undefined);
  });

  it('runs by hash alone on gateway B a query registered through gateway A', async () => {
    const before = await post(b.url, JSON.stringify({ extensions: apq }));
    expect(before.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(a.url, JSON.stringify({ query, extensions: apq }));
    expect(registered.errors).toBeUndefined();
    // Apollo stores the document after answering: wait until it is in Redis.
    let ttl = -2;
    for (let i = 0; i < 50 && ttl < 0; i++) {
      ttl = Number((await redisCommand('TTL', `${prefix}apq:${hash}`)).slice(1));
      if (ttl < 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    const byHash = await post(b.url, JSON.stringify({ extensions: apq }));
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data).toEqual(registered.data);
  });

  it('answers with a miss, not a failure, when Redis is away (outside production), and refuses a production start', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const redisUrl = `redis://127.0.0.1:${closed}`;
    const away = await gatewayWith({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix });
    try {
      const miss = await post(away.url, JSON.stringify({ extensions: apq }));
      expect(miss.status).toBe(200);
      expect(miss.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      // The client resends the text: it runs (the store fails quietly).
      const resent = await post(away.url, JSON.stringify({ query, extensions: apq }));
      expect(resent.errors).toBeUndefined();
      expect(resent.data!.measure.code).toBe('VOP');
    } finally {
      await away.stop();
    }
    await expect(gatewayWith({ NODE_ENV: 'production', REDIS_URL: redisUrl })).rejects.toThrow(
      /REDIS_URL: Redis at redis:\/\/127\.0\.0\.1:\d+ does not answer/,
    );
  });
});
