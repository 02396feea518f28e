/**
 * `npm run dev -- <subgraph>`: the graph with one subgraph run from the working tree in watch mode.
 *
 * - The database and the other subgraphs as in `npm start` (embedded PGlite, or DATABASE_URL), or
 *   the other subgraphs at the URLs of their <NAME>_URL variables (not started here).
 * - The named subgraph in a child process, `node --import tsx subgraphs/<name>/src/index.ts`, started
 *   again on every change under subgraphs/<name>/ or subgraphs/kit/. Not `node --watch`: it watches
 *   imported modules only, not the SDL files a subgraph reads with fs, and its --watch-path is not
 *   available on Linux in Node 20.
 * - On every change under subgraphs/<name>/ or subgraphs/kit/, the supergraph is composed again in a
 *   fresh process (scripts/dev-compose.ts, `composeSupergraph`) into the dev supergraph file
 *   (DEV_SUPERGRAPH_PATH, default .data/dev/supergraph.graphql; the committed
 *   schema/supergraph.graphql only changes with `npm run compose`), which the gateway watches and
 *   takes live. A composition error is printed and the gateway keeps the last good supergraph.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, DataDirInUseError, intVar, loadDatabaseConfig } from '@measure-graph/db';
import { seedProfileFromEnv } from '@measure-graph/demo-data';
import { DOMAINS, SUBGRAPH_CREDENTIAL_HEADER, subgraphUrlVariable } from '@measure-graph/subgraph-platform';
import { composeSupergraph } from '@measure-graph/schema';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import { recompose } from './dev-compose.ts';
import { freePort, startStack } from './stack.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const names = subgraphs.map((s) => s.name);
const say = (line: string): void => {
  process.stdout.write(`[dev] ${line}\n`);
};
const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const name = process.argv[2];
if (!name || !names.includes(name)) {
  process.stderr.write(
    `DEV_UNKNOWN_SUBGRAPH: ${name ? `no subgraph named "${name}"` : 'name a subgraph'}; ` +
      `one of: ${names.join(', ')}\n  usage: npm run dev -- <subgraph>\n`,
  );
  process.exit(2);
}

const devSupergraph = path.resolve(
  process.env.DEV_SUPERGRAPH_PATH || path.join(root, '.data', 'dev', 'supergraph.graphql'),
);
const watched = [path.join(root, 'subgraphs', name), path.join(root, 'subgraphs', 'kit')];
const composeScript = path.join(root, 'scripts', 'dev-compose.ts');

// The composition step writes here; the gateway's file gets it once the restarted subgraph answers.
const staged = `${devSupergraph}.staged`;

/** Runs the composition step in a fresh process; its stdout line, or null when it failed (printed). */
function composeOnce(): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', composeScript, staged], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.on('close', (code) => {
      if (code === 0) return resolve(out.trim());
      process.stderr.write(`[dev] composition failed; the gateway keeps the last good supergraph:\n${err}`);
      resolve(null);
    });
  });
}

/** Waits until a subgraph answers `_ready` (its database too), or gives up after `timeoutMs`. */
async function waitReady(url: string, secret: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SUBGRAPH_CREDENTIAL_HEADER]: secret },
        body: JSON.stringify({ query: '{ _ready }' }),
        signal: AbortSignal.timeout(2_000),
      });
      const body = (await res.json()) as { data?: { _ready?: boolean } };
      if (body.data?._ready === true) return true;
    } catch {
      // Not listening yet (starting, or restarting after a change).
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/**
 * Watches every folder under `dir` (not node_modules, not dot folders), each on its own: Node 20's
 * recursive fs.watch on Linux loses a file once an editor or `sed -i` has renamed a new one over
 * it, while a folder's watch reports every change of its entries. Folders created later are
 * watched from the next change on.
 */
function watchTree(dir: string, onChange: (file: string) => void): void {
  const watching = new Set<string>();
  const scan = (folder: string) => {
    if (watching.has(folder)) return;
    watching.add(folder);
    try {
      fs.watch(folder, { persistent: false }, (_event, entry) => {
        if (!entry || entry.startsWith('.')) return;
        const file = path.join(folder, entry);
        if (fs.existsSync(file) && fs.statSync(file).isDirectory() && entry !== 'node_modules') scan(file);
        onChange(file);
      });
    } catch {
      watching.delete(folder);
      return;
    }
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }))
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
        scan(path.join(folder, entry.name));
  };
  scan(dir);
}

let child: ChildProcess | undefined;
try {
  const db = loadDatabaseConfig(process.env, names);
  const problems: string[] = [];
  const gatewayPort = intVar(process.env, 'PORT', 4000, problems, { max: 65535 });
  if (problems.length > 0) throw new ConfigError(problems);
  // The working tree as this process loaded it: composed here, before anything serves. A
  // composition error stops the loop at start (there is no last good supergraph yet).
  const first = await recompose(devSupergraph, composeSupergraph);
  say(`dev supergraph ${devSupergraph} (${first.hash.slice(0, 12)}) in ${seconds(started)}`);

  // Subgraphs whose <NAME>_URL is set run elsewhere; the dev subgraph runs here, from the working tree.
  const elsewhere: Record<string, { url: string; prepare: boolean }> = {};
  for (const other of names) {
    const url = process.env[subgraphUrlVariable(other)];
    if (other !== name && url) elsewhere[other] = { url, prepare: false };
  }
  const devPort = await freePort();
  const devUrl = `http://127.0.0.1:${devPort}/graphql`;
  elsewhere[name] = { url: devUrl, prepare: true };
  const stack = await startStack({
    database: db.url
      ? { urlFor: (n) => db.urlFor(n)! }
      : { embeddedDataDir: db.embeddedDataDir, embeddedPort: db.embeddedPort },
    gatewayPort,
    env: { ...process.env, SUPERGRAPH_PATH: devSupergraph, SUPERGRAPH_URL: '' },
    poolSize: db.poolSize,
    connectTimeoutMs: db.connectTimeoutMs,
    // The small profile by default: the loop is about the schema, not the report's volumes.
    seedProfile: seedProfileFromEnv(process.env, 'small'),
    elsewhere,
  });
  say(`database, ${names.length - Object.keys(elsewhere).length} subgraphs and gateway ready in ${seconds(started)}`);

  const registryUrl =
    name === 'registry'
      ? undefined
      : (elsewhere.registry?.url ?? stack.subgraphs.find((s) => s.name === 'registry')?.url);
  // The registry's allDossiers calls every domain: a registry from the working tree gets their URLs.
  const urlOf = (other: string) => elsewhere[other]?.url ?? stack.subgraphs.find((s) => s.name === other)?.url;
  const domainUrls =
    name === 'registry' ? Object.fromEntries(DOMAINS.map((d) => [subgraphUrlVariable(d.name), urlOf(d.name)])) : {};
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(devPort),
    HOST: '127.0.0.1',
    SUBGRAPH_SECRET: stack.subgraphSecret,
    ...(stack.embeddedUrl ? { DATABASE_URL: stack.embeddedUrl } : {}),
    ...(registryUrl ? { REGISTRY_URL: registryUrl } : {}),
    ...domainUrls,
  };
  // A subgraph run alone refuses SEED_PROFILE (demo data is the stack's): the stack has written it.
  delete childEnv.SEED_PROFILE;
  const entry = path.join(root, 'subgraphs', name, 'src', 'index.ts');
  // Children stopped on purpose (a restart, the end): their exit is no news.
  const stoppedOnPurpose = new WeakSet<ChildProcess>();
  const startChild = () => {
    const current = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env: childEnv,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    // A subgraph that does not start (its SDL does not build, a type error) waits for the next change.
    current.once('exit', (code, signal) => {
      if (current === child && !stoppedOnPurpose.has(current) && !signal)
        say(`${name} exited (code ${code}); waiting for the next change`);
    });
    child = current;
  };
  /** Stops the running child (SIGTERM, then SIGKILL after 5 s) and starts it again from the working tree. */
  const restartChild = async () => {
    const old = child;
    if (old && old.exitCode === null && old.signalCode === null) {
      const exited = new Promise((resolve) => old.once('exit', resolve));
      stoppedOnPurpose.add(old);
      old.kill('SIGTERM');
      const timer = setTimeout(() => old.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    startChild();
  };
  startChild();
  const childStarted = Date.now();
  if (!(await waitReady(devUrl, stack.subgraphSecret, 120_000))) throw new Error(`${name} did not become ready`);
  say(`${name} from the working tree (watch mode) ready in ${seconds(childStarted)} at ${devUrl}`);

  // Every change: compose again (one at a time; a change during a composition runs another after it).
  let composing: Promise<void> = Promise.resolve();
  let pending = false;
  let debounce: NodeJS.Timeout | undefined;
  const recomposeSoon = (file: string) => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      if (pending) return;
      pending = true;
      composing = composing.then(async () => {
        pending = false;
        const since = Date.now();
        say(`${file} changed: restarting ${name} and composing`);
        const [composed] = await Promise.all([composeOnce(), restartChild()]);
        if (composed === null) return;
        // The gateway takes the new supergraph once the restarted subgraph serves what it names.
        const ready = await waitReady(devUrl, stack.subgraphSecret, 60_000);
        const { changed, hash } = await recompose(devSupergraph, () => fs.readFileSync(staged, 'utf8'));
        if (!changed) return say(`supergraph unchanged (${seconds(since)})`);
        say(
          `supergraph ${hash.slice(0, 12)} written in ${seconds(since)} (the gateway takes it live)` +
            (ready ? '' : `; ${name} is not ready`),
        );
      });
    }, 300);
  };
  const extra = (process.env.DEV_WATCH_PATHS ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of [...watched, ...extra])
    watchTree(path.resolve(dir), (file) => recomposeSoon(path.relative(root, file)));

  process.stdout.write(
    `\nDev loop for ${name} ready in ${seconds(started)}\n  GraphQL: ${stack.url}\n` +
      `  Watching: ${watched.map((d) => path.relative(root, d)).join(', ')}\nPress Ctrl-C to stop.\n`,
  );
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    child?.kill('SIGTERM');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
} catch (err) {
  child?.kill('SIGTERM');
  process.stderr.write(
    `${err instanceof ConfigError || err instanceof DataDirInUseError ? err.message : ((err as Error).stack ?? String(err))}\n`,
  );
  process.exit(1);
}
