import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@measure-graph/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueMeasureCount } from '@measure-graph/demo-data/testing';
import { post } from '../support/stack.ts';

/** The environment of the README's commands here: a private data folder and development key. */
const envFor = (dataDir: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGLITE_DATA_DIR: dataDir,
    AUTH_DEV_KEYS_DIR: path.join(dataDir, '..', `${path.basename(dataDir)}-auth`),
    PORT: '0',
    LOG_LEVEL: 'error',
    // Start, stop and reuse are this test's subject, not the volumes: the small profile keeps it to
    // seconds (.ci/run's smoke test starts the default, full profile and checks the report's figures).
    SEED_PROFILE: 'small',
  };
  delete env.DATABASE_URL; // the embedded default, whatever the suite runs against
  return env;
};

/** Runs the README's start command as users do (a real process), on a private embedded data folder. */
function start(dataDir: string): {
  child: ChildProcess;
  ready: Promise<string>;
  exited: Promise<number | null>;
  output: () => string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: repoRoot,
    env: envFor(dataDir),
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /GraphQL: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => out };
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'measure-graph-start-'));
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.rm(envFor(dataDir).AUTH_DEV_KEYS_DIR!, { recursive: true, force: true });
});

/** `npm run token -- <args>` as a user runs it, with the same environment as the running graph. */
async function devToken(dataDir: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
    cwd: repoRoot,
    env: envFor(dataDir),
  });
  return stdout.trim();
}

describe('npm start on the embedded default', () => {
  it('serves the whole graph, stops cleanly on SIGINT, and a second start reuses the data', async () => {
    const first = start(dataDir);
    const url = await first.ready;
    const res = await post(url, JSON.stringify({ query: '{ measures { code domain norms { id } } }' }));
    expect(res.data!.measures).toHaveLength(catalogueMeasureCount());

    // Protected fields need a token; the token command signs one the running graph accepts.
    const dossiers = JSON.stringify({ query: '{ measure(code: "VOP") { dossiers(first: 1) { totalCount } } }' });
    expect((await post(url, dossiers)).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const token = await devToken(dataDir, '--scope', 'dossiers:read', '--subject', 'tester');
    const granted = await post(url, dossiers, { authorization: `Bearer ${token}` });
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.measure.dossiers.totalCount).toBeGreaterThan(0);
    const narrow = await devToken(dataDir, '--scope', 'persons:read');
    expect((await post(url, dossiers, { authorization: `Bearer ${narrow}` })).errors![0]!.extensions!.code).toBe(
      'FORBIDDEN',
    );

    // The embedded database asks for the password kept in the data folder; the URL shown has none.
    const passwordFile = path.join(dataDir, 'measure-graph.password');
    const password = (await fs.readFile(passwordFile, 'utf8')).trim();
    expect((await fs.stat(passwordFile)).mode & 0o777).toBe(0o600);
    const databaseUrl = /Database: (postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres) /.exec(first.output())![1]!;
    expect(first.output()).not.toContain(password);
    expect(first.output()).toContain(passwordFile);
    // The access log's key was made beside the development signing key; the check runs with it.
    const auditKeyFile = path.join(envFor(dataDir).AUTH_DEV_KEYS_DIR!, 'audit-log.key');
    expect((await fs.stat(auditKeyFile)).mode & 0o777).toBe(0o600);
    const auditKey = await fs.readFile(auditKeyFile, 'utf8');
    const verified = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], {
      cwd: repoRoot,
      env: { ...envFor(dataDir), DATABASE_URL: databaseUrl, PGPASSWORD: password },
    });
    expect(verified.stdout).toContain('Intact.');

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Stopped.');
    expect(await fs.readdir(dataDir)).toContain('PG_VERSION');

    const second = start(dataDir);
    const again = await post(
      await second.ready,
      JSON.stringify({ query: '{ measures { code domain norms { id } } }' }),
    );
    expect(again.data).toEqual(res.data);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(await fs.readFile(auditKeyFile, 'utf8')).toBe(auditKey);
    expect((await fs.readFile(passwordFile, 'utf8')).trim()).toBe(password);
  });
});
