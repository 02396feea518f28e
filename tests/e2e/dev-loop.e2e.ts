import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@measure-graph/db/testing';
import { supergraphHash } from '@measure-graph/gateway';
import { recompose } from '../../scripts/dev-compose.ts';
import { post } from '../support/stack.ts';
import { supergraphWithoutProvinces, until } from '../support/supergraph.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run dev -- <args>` as a process of its own, its output collected. */
function dev(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts', ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

describe('npm run dev', () => {
  it('refuses an unknown subgraph and lists the names', async () => {
    const run = dev(['registri'], {});
    expect(await run.exited).toBe(2);
    expect(run.output.stderr).toContain('DEV_UNKNOWN_SUBGRAPH');
    expect(run.output.stderr).toContain('registry, activation, competences, social-economy, inspection');
  });

  describe('with the registry from the working tree', () => {
    let scratch: string;
    let database: TestDatabase | undefined;
    let run: ReturnType<typeof dev>;
    let gateway: string;
    let devFile: string;
    const ready = async () =>
      (await (await fetch(new URL('/ready', gateway))).json()) as {
        status: string;
        supergraph: { hash: string };
      };

    beforeAll(async () => {
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-loop-'));
      devFile = path.join(scratch, 'dev', 'supergraph.graphql');
      fs.mkdirSync(path.join(scratch, 'watch'));
      // A database of its own on the server, or the dev loop's own embedded one in a scratch folder.
      database = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
      run = dev(['registry'], {
        ...(database ? { DATABASE_URL: database.url } : { PGLITE_DATA_DIR: path.join(scratch, 'pglite') }),
        AUTH_DEV_KEYS_DIR: path.join(scratch, 'auth'),
        DEV_SUPERGRAPH_PATH: devFile,
        DEV_WATCH_PATHS: path.join(scratch, 'watch'),
        SEED_PROFILE: 'small',
        PORT: '0',
        SUPERGRAPH_WATCH_DEBOUNCE_MS: '50',
      });
      gateway = await until(
        'the dev loop to serve',
        async () => {
          if (run.child.exitCode !== null) throw new Error(`npm run dev exited: ${run.output.stderr}`);
          return /GraphQL: (\S+)/.exec(run.output.stdout)?.[1];
        },
        400_000,
      );
    }, 420_000);

    afterAll(async () => {
      if (run && run.child.exitCode === null) {
        run.child.kill('SIGTERM');
        await run.exited;
      }
      await database?.drop();
      fs.rmSync(scratch, { recursive: true, force: true });
    }, 60_000);

    it('serves the graph through the registry it runs in a child process, on the dev supergraph', async () => {
      expect(run.output.stdout).toMatch(/registry from the working tree \(watch mode\) ready/);
      const res = await post(gateway, JSON.stringify({ query: '{ provinces { code } }' }));
      expect(res.data?.provinces?.length).toBeGreaterThan(0);
      const state = await ready();
      expect(state.status).toBe('ready');
      expect(state.supergraph.hash).toBe(supergraphHash(fs.readFileSync(devFile, 'utf8')));
    });

    it('restarts the subgraph and composes again on a change it watches', async () => {
      const before = (run.output.stdout.match(/supergraph unchanged/g) ?? []).length;
      fs.writeFileSync(path.join(scratch, 'watch', 'touched.graphql'), '# a change\n');
      await until(
        'the composition after the change',
        async () => ((run.output.stdout.match(/supergraph unchanged/g) ?? []).length > before ? true : undefined),
        180_000,
      );
      expect(run.output.stdout).toMatch(/touched\.graphql changed: restarting registry and composing/);
      // The restarted registry serves again.
      const res = await post(gateway, JSON.stringify({ query: '{ provinces { code } }' }));
      expect(res.data?.provinces?.length).toBeGreaterThan(0);
    }, 200_000);

    it('takes a new composition live, and keeps it when the next one fails', async () => {
      const next = await recompose(devFile, supergraphWithoutProvinces);
      expect(next.changed).toBe(true);
      await until('the new supergraph', async () => ((await ready()).supergraph.hash === next.hash ? true : undefined));
      const res = await post(gateway, JSON.stringify({ query: '{ provinces { code } }' }));
      expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      await expect(
        recompose(devFile, () => {
          throw new Error('Composition failed');
        }),
      ).rejects.toThrow('Composition failed');
      expect(supergraphHash(fs.readFileSync(devFile, 'utf8'))).toBe(next.hash);
      expect((await ready()).supergraph.hash).toBe(next.hash);
    });
  });
});
