import { loadGatewayConfig, startGateway, type RunningGateway } from '@measure-graph/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(() => graph?.stop());

/** A second gateway over the stack's subgraphs, with its own settings. */
async function gatewayWith(extra: NodeJS.ProcessEnv): Promise<RunningGateway> {
  const env: NodeJS.ProcessEnv = { ...graph.authEnv, PORT: '0', ...extra };
  for (const s of graph.stack.subgraphs) env[`${s.name.toUpperCase().replace(/-/g, '_')}_URL`] = s.url;
  return startGateway(loadGatewayConfig(env));
}

const preflight = (url: string, origin: string, method = 'POST', headers = 'content-type, authorization') =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

const QUERY = '{ measure(code: "VOP") { code name } }';

describe('CORS outside production (loopback origins by default)', () => {
  it('answers a preflight from a localhost app with 204 and every allow header', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3000']) {
      const res = await preflight(graph.url, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
      const allowed = res.headers.get('access-control-allow-headers')!.split(', ');
      for (const header of ['content-type', 'authorization', 'x-api-key', 'traceparent', 'apollo-require-preflight'])
        expect(allowed).toContain(header);
      expect(res.headers.get('access-control-max-age')).toBe('600');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(await res.text()).toBe('');
    }
  });

  it('refuses a preflight from an origin not on the list with 403 CORS_ORIGIN_NOT_ALLOWED and no allow headers', async () => {
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'https://localhost:5173']) {
      const res = await preflight(graph.url, origin);
      expect(res.status).toBe(403);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('CORS_ORIGIN_NOT_ALLOWED');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-methods')).toBeNull();
      expect(res.headers.get('access-control-allow-headers')).toBeNull();
    }
  });

  it('marks a real POST from an allowed origin readable, and one from another origin not', async () => {
    const send = (origin: string) =>
      fetch(graph.url, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${graph.allScopesToken}` },
        body: JSON.stringify({ query: QUERY }),
      });
    const allowed = await send('http://localhost:5173');
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as any).data.measure.code).toBe('VOP');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('access-control-expose-headers')).toBe(
      'x-request-id, etag, last-modified, content-disposition',
    );
    expect(allowed.headers.get('vary')).toMatch(/\bOrigin\b/);
    // The server answers (CORS is the browser's to enforce), but without the header the page cannot read it.
    const other = await send('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('covers the other paths too (/health, /persisted-documents)', async () => {
    for (const path of ['/health', '/persisted-documents']) {
      const url = graph.url.replace('/graphql', path);
      expect((await preflight(url, 'http://localhost:5173', 'GET')).status).toBe(204);
      const res = await fetch(url, { headers: { origin: 'http://localhost:5173' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    }
  });

  it("keeps Apollo's CSRF prevention: a simple GET query without a preflight header is refused", async () => {
    const res = await fetch(`${graph.url}?query=${encodeURIComponent(QUERY)}`, {
      headers: { origin: 'http://localhost:5173' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toMatch(/CSRF/);
    expect(body.data).toBeUndefined();
    // The same GET with the header a browser can only send after a preflight runs.
    const ok = await fetch(`${graph.url}?query=${encodeURIComponent(QUERY)}`, {
      headers: { origin: 'http://localhost:5173', 'apollo-require-preflight': 'true' },
    });
    expect(((await ok.json()) as any).data.measure.code).toBe('VOP');
  });
});

describe('CORS with configured origins', () => {
  let production: RunningGateway;
  let listed: RunningGateway;
  beforeAll(async () => {
    production = await gatewayWith({ NODE_ENV: 'production' });
    listed = await gatewayWith({
      CORS_ORIGINS: 'https://dashboard.werk.vlaanderen,http://localhost:5173',
      CORS_MAX_AGE_SECONDS: '30',
    });
  }, 120_000);
  afterAll(async () => {
    await production?.stop();
    await listed?.stop();
  });

  it('allows no origin at all in production without CORS_ORIGINS, localhost included', async () => {
    const res = await preflight(production.url, 'http://localhost:5173');
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('CORS_ORIGIN_NOT_ALLOWED');
    const post = await fetch(production.url, {
      method: 'POST',
      headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows exactly the listed origins, with the configured max-age', async () => {
    const ok = await preflight(listed.url, 'https://dashboard.werk.vlaanderen');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://dashboard.werk.vlaanderen');
    expect(ok.headers.get('access-control-max-age')).toBe('30');
    expect((await preflight(listed.url, 'http://localhost:5173')).status).toBe(204);
    // Listing origins replaces the loopback default.
    expect((await preflight(listed.url, 'http://localhost:3000')).status).toBe(403);
    expect((await preflight(listed.url, 'https://dashboard.werk.vlaanderen.evil.example')).status).toBe(403);
  });
});
