import fs from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  checkSupergraph,
  createSupergraphSource,
  readSupergraphSourceConfig,
  SupergraphRefused,
  supergraphHash,
  supergraphMetrics,
} from '../src/supergraph-source.ts';

const committed = fs.readFileSync(fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url)), 'utf8');
const noOverrides = { urlVariables: {} };

function refusalOf(sdl: string, config = noOverrides): string {
  try {
    checkSupergraph(sdl, config);
  } catch (err) {
    if (err instanceof SupergraphRefused) return err.code;
    throw err;
  }
  throw new Error('the supergraph was accepted');
}

describe('checkSupergraph', () => {
  it('accepts the committed supergraph, with its hash and each subgraph URL (an override first)', () => {
    const url = 'http://10.0.0.7:9000/graphql';
    const checked = checkSupergraph(committed, { urlVariables: { SOCIAL_ECONOMY_URL: url } });
    expect(checked.hash).toBe(supergraphHash(committed));
    expect(checked.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(checked.subgraphUrls['social-economy']).toBe(url);
    expect(checked.subgraphUrls.registry).toBe('http://localhost:4001/graphql');
  });

  it('refuses an empty or unparsable text', () => {
    expect(refusalOf('')).toBe('SUPERGRAPH_UNPARSABLE');
    // Cut just after an opening brace: a cut anywhere else may end on a complete definition
    // (`enum Meas` parses), which is then invalid rather than unparsable.
    const half = committed.indexOf('{', committed.length / 2) + 1;
    expect(refusalOf(committed.slice(0, half))).toBe('SUPERGRAPH_UNPARSABLE');
  });

  it('refuses a GraphQL schema that is no supergraph, or a supergraph that does not build', () => {
    expect(refusalOf('type Query { hello: String }')).toBe('SUPERGRAPH_INVALID');
    // A field resolved by a subgraph the supergraph does not declare.
    expect(refusalOf(committed.replace(/@join__field\(graph: REGISTRY\)/, '@join__field(graph: NOWHERE)'))).toBe(
      'SUPERGRAPH_INVALID',
    );
  });

  it('refuses a subgraph without a usable URL, and names its variable', () => {
    const noUrl = committed.replace(/(@join__graph\(name: "registry", url: ")[^"]*"/, '$1"');
    expect(refusalOf(noUrl)).toBe('SUPERGRAPH_SUBGRAPH_URL_MISSING');
    expect(() => checkSupergraph(noUrl, noOverrides)).toThrow(/registry \(set REGISTRY_URL\)/);
    // The variable gives it one; a variable that is no URL does not.
    expect(checkSupergraph(noUrl, { urlVariables: { REGISTRY_URL: 'http://r:1/graphql' } }).subgraphUrls.registry).toBe(
      'http://r:1/graphql',
    );
    expect(refusalOf(noUrl, { urlVariables: { REGISTRY_URL: 'registry:4001' } })).toBe(
      'SUPERGRAPH_SUBGRAPH_URL_MISSING',
    );
  });
});

describe('readSupergraphSourceConfig', () => {
  const read = (env: NodeJS.ProcessEnv) => {
    const problems: string[] = [];
    const config = readSupergraphSourceConfig(env, '/srv/supergraph.graphql', problems);
    return { config, problems };
  };

  it('watches the file by default, with a slow poll beside the watcher', () => {
    const { config, problems } = read({});
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      kind: 'file',
      watch: true,
      debounceMs: 200,
      filePollMs: 10_000,
      healthCheck: false,
    });
  });

  it('polls a URL when SUPERGRAPH_URL is set', () => {
    const { config } = read({
      SUPERGRAPH_URL: 'https://schemas.example/supergraph.graphql',
      SUPERGRAPH_POLL_SECONDS: '5',
    });
    expect(config).toMatchObject({ kind: 'url', url: 'https://schemas.example/supergraph.graphql', urlPollMs: 5000 });
  });

  it('reports every bad value', () => {
    const { problems } = read({
      SUPERGRAPH_URL: 'ftp://x',
      SUPERGRAPH_PATH: '/srv/s.graphql',
      SUPERGRAPH_WATCH: 'sometimes',
      SUPERGRAPH_POLL_SECONDS: '0',
      SUPERGRAPH_FILE_POLL_SECONDS: '-1',
      SUPERGRAPH_HEALTH_CHECK: 'maybe',
    });
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/SUPERGRAPH_URL must be an http\(s\) URL/);
    expect(problems.join('\n')).toMatch(/both set/);
  });
});

describe('a supergraph polled from SUPERGRAPH_URL', () => {
  it('asks with If-None-Match, takes a changed one, refuses a broken one and keeps the active', async () => {
    let body = committed;
    const conditional: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      const tag = `"${supergraphHash(body)}"`;
      conditional.push(req.headers['if-none-match']);
      if (req.headers['if-none-match'] === tag) return void res.writeHead(304).end();
      res.writeHead(200, { etag: tag, 'content-type': 'text/plain' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const registry = new Registry();
    const logged: Array<Record<string, unknown> | undefined> = [];
    const problems: string[] = [];
    const config = readSupergraphSourceConfig(
      { SUPERGRAPH_URL: `http://127.0.0.1:${port}/supergraph.graphql`, SUPERGRAPH_POLL_SECONDS: '3600' },
      '/unused',
      problems,
    );
    expect(problems).toEqual([]);
    const source = createSupergraphSource({
      config,
      metrics: supergraphMetrics(registry),
      logger: { info: () => {}, error: (_message, fields) => logged.push(fields) },
    });
    const updates: string[] = [];
    try {
      const loaded = await source.hook({
        update: (sdl) => updates.push(sdl),
        healthCheck: async () => {},
        getDataSource: () => {
          throw new Error('not used');
        },
      });
      expect(loaded.supergraphSdl).toBe(committed);
      await source.reloadNow();
      expect(conditional.at(-1)).toBe(`"${supergraphHash(committed)}"`);
      expect(updates).toEqual([]);

      body = committed.replace(/^/, '# next\n');
      await source.reloadNow();
      expect(updates).toEqual([body]);
      expect(source.active().hash).toBe(supergraphHash(body));

      const good = body;
      body = 'type Query {';
      await source.reloadNow();
      await source.reloadNow(); // the same refusal again: logged and counted once
      expect(updates).toHaveLength(1);
      expect(source.active().hash).toBe(supergraphHash(good));
      expect(logged.map((f) => f?.code)).toEqual(['SUPERGRAPH_UNPARSABLE']);
      const text = await registry.metrics();
      expect(text).toContain(`supergraph_info{hash="${supergraphHash(good)}"} 1`);
      expect(text).toMatch(/supergraph_reloads_total\{result="refused",code="SUPERGRAPH_UNPARSABLE"\} 1/);
      expect(text).toMatch(/supergraph_reloads_total\{result="applied",code=""\} 1/);

      await new Promise((resolve) => server.close(resolve));
      await source.reloadNow();
      expect(logged.at(-1)?.code).toBe('SUPERGRAPH_UNREADABLE');
      expect(source.active().hash).toBe(supergraphHash(good));
      await loaded.cleanup?.();
    } finally {
      server.close();
    }
  });
});
