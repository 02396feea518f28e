import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supergraphHash } from '@measure-graph/gateway';
import { startTestStack, type TestStack } from '../support/stack.ts';
import {
  committedSupergraph as committed,
  replaceFile,
  supergraphWithoutProvinces,
  until,
} from '../support/supergraph.ts';

describe('live supergraph reload', () => {
  let graph: TestStack;
  let dir: string;
  let file: string;
  const before = supergraphWithoutProvinces();
  const ready = async () =>
    (await (await fetch(new URL('/ready', graph.url))).json()) as { supergraph: { hash: string } };
  const metrics = async () => (await fetch(new URL('/metrics', graph.url))).text();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supergraph-reload-'));
    file = path.join(dir, 'supergraph.graphql');
    fs.writeFileSync(file, before);
    graph = await startTestStack({
      env: { SUPERGRAPH_PATH: file, SUPERGRAPH_WATCH_DEBOUNCE_MS: '50' },
    });
  });
  afterAll(async () => {
    await graph?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the first supergraph, whose hash /ready and the metrics give', async () => {
    expect((await ready()).supergraph.hash).toBe(supergraphHash(before));
    expect(await metrics()).toContain(`supergraph_info{hash="${supergraphHash(before)}"} 1`);
    const res = await graph.query('{ provinces { code } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('takes the next supergraph while 1,000 requests run, 20 at a time: none fails, the new field is served', async () => {
    const query = '{ measures { code name domain } }';
    const total = 1000;
    let started = 0;
    let completed = 0;
    let stop = false;
    let swappedAt: number | undefined;
    const failures: string[] = [];
    const worker = async () => {
      // Until 1,000 have run and the swap has been seen with requests still running after it.
      while (!stop && (started < total || swappedAt === undefined || completed < swappedAt + 100)) {
        started++;
        try {
          const res = await graph.query<{ measures: unknown[] }>(query);
          if (res.status !== 200 || res.errors || !res.data?.measures?.length)
            failures.push(`${res.status} ${res.text.slice(0, 300)}`);
        } catch (err) {
          failures.push(String(err));
        }
        completed++;
      }
    };
    const load = Promise.all(Array.from({ length: 20 }, worker));
    try {
      await until('the first 200 requests', async () => (completed >= 200 ? true : undefined), 120_000);
      replaceFile(file, committed);
      await until('the new supergraph in /ready', async () =>
        (await ready()).supergraph.hash === supergraphHash(committed) ? true : undefined,
      );
      swappedAt = completed;
    } finally {
      if (swappedAt === undefined) stop = true;
      await load;
    }
    expect(failures).toEqual([]);
    expect(completed).toBeGreaterThanOrEqual(total);
    expect(swappedAt).toBeLessThan(completed);
    const provinces = await graph.data<{ provinces: Array<{ code: string }> }>('{ provinces { code name } }');
    expect(provinces.provinces.length).toBeGreaterThan(0);
    const text = await metrics();
    expect(text).toContain(`supergraph_info{hash="${supergraphHash(committed)}"} 1`);
    expect(text).not.toContain(`supergraph_info{hash="${supergraphHash(before)}"}`);
    expect(text).toMatch(/supergraph_reloads_total\{result="applied",code=""\} 1\b/);
  }, 240_000);

  it('refuses a broken supergraph and keeps serving the active one', async () => {
    const active = supergraphHash(committed);
    replaceFile(file, committed.slice(0, committed.indexOf('type Query')) + 'type Query {');
    await until('the refusal in the metrics', async () =>
      /supergraph_reloads_total\{result="refused",code="SUPERGRAPH_UNPARSABLE"\} 1\b/.test(await metrics())
        ? true
        : undefined,
    );
    expect((await ready()).supergraph.hash).toBe(active);
    expect((await graph.data<{ provinces: unknown[] }>('{ provinces { code } }')).provinces.length).toBeGreaterThan(0);
    // A supergraph naming a subgraph the gateway has no URL for: refused as well.
    replaceFile(
      file,
      committed
        .replace(/enum join__Graph \{/, 'enum join__Graph {\n  EXTRA @join__graph(name: "extra", url: "")')
        .replace(/^/, '# extra\n'),
    );
    await until('the second refusal', async () =>
      /supergraph_reloads_total\{result="refused",code="SUPERGRAPH_SUBGRAPH_URL_MISSING"\} 1\b/.test(await metrics())
        ? true
        : undefined,
    );
    expect((await ready()).supergraph.hash).toBe(active);
    expect((await graph.data<{ measures: unknown[] }>('{ measures { code } }')).measures.length).toBeGreaterThan(0);
  });
});
