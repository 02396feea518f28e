/**
 * What usage recording costs: one graph (every subgraph, in this process) behind two gateways, one
 * recording usage (USAGE_RECORDING=on, the embedded default's file store) and one not, loaded in
 * alternating rounds (off, on, on, off, ...: a drift of the shared machine falls on both alike).
 *   node --import tsx tests/bench/usage-recording.ts [rounds] [seconds per round] [concurrency]
 * With DATABASE_URL the subgraphs use a fresh database on that server, otherwise an in-memory
 * embedded one. The requests are the cheapest the graph answers (the catalogue of the registry,
 * empty without demo data), so recording's fixed cost per request weighs as much as it can.
 * Figures, not assertions: machines are shared.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';

const [rounds = 8, seconds = 5, concurrency = 16] = process.argv.slice(2).map(Number);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-bench-'));
const usageFile = path.join(scratch, 'usage.json');
const baseEnv: NodeJS.ProcessEnv = {
  ...process.env,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  AUTH_DEV_KEYS_DIR: path.join(scratch, 'dev-auth'),
  USAGE_RECORDING: 'off',
};
// A log line per request would weigh more than what is measured: set before the loggers exist.
process.env.LOG_LEVEL = baseEnv.LOG_LEVEL;
const { loadGatewayConfig, startGateway, subgraphUrlVar } = await import('@measure-graph/gateway');
const { createTestDatabase } = await import('@measure-graph/db/testing');
const { openUsageStore } = await import('@measure-graph/schema-usage');
const { startStack } = await import('../../scripts/stack.ts');
const { readUsageRecordingConfig, startUsageRecording } = await import('@measure-graph/gateway/usage');
const { HeaderMap } = await import('@apollo/server');

/** Twenty distinct documents, an enum through a variable, three clients: what a real day looks like. */
const STATUSES = ['ACTIVE', 'PHASING_OUT', 'REFORM'];
const requests = Array.from({ length: 60 }, (_, i) => ({
  body: JSON.stringify({
    query: `query Catalogue${i % 20}($status: MeasureStatus) { measures(domain: ACTIVATION, status: $status) { code name${i % 2 ? ' status' : ''} } }`,
    variables: { status: STATUSES[i % 3] },
  }),
  client: ['web', 'bi-tool', 'excel'][i % 3]!,
}));

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function post(url: URL, body: string, client: string, retried = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'apollographql-client-name': client,
          'apollographql-client-version': '1.0',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 200 && !text.includes('"errors"')
            ? resolve()
            : reject(new Error(`${res.statusCode}: ${text.slice(0, 300)}`)),
        );
      },
    );
    // A kept-alive socket the server closed just as it was reused: send again once (Node's advice).
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' && req.reusedSocket && !retried
        ? post(url, body, client, true).then(resolve, reject)
        : reject(err),
    );
    req.end(body);
  });
}

/**
 * Requests per second of `concurrency` clients sending back to back for `seconds`, and this
 * process's CPU time per request (client, gateways, subgraphs and driver all run here): on a
 * shared machine the second varies far less than the first.
 */
async function round(url: string): Promise<{ rps: number; cpuUs: number }> {
  const target = new URL(url);
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async (w: number) => {
    for (let i = w; performance.now() < until; i += concurrency) {
      const r = requests[i % requests.length]!;
      await post(target, r.body, r.client);
      done++;
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const used = process.cpuUsage(cpu);
  return { rps: done / ((performance.now() - started) / 1000), cpuUs: (used.user + used.system) / done };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * The recorder alone: its hook called as Apollo Server calls it for every executed operation (the
 * documents above, parsed and validated once, as Apollo's caches do), the in-memory aggregation
 * and the background flushes included. On a shared machine a difference of whole requests drowns
 * in noise; this is the work recording adds to each request, to compare with a request's CPU time.
 */
async function recorderAlone(): Promise<number> {
  const schema = buildSchema(`enum MeasureStatus { ACTIVE PHASING_OUT REFORM } enum Domain { ACTIVATION }
    type Measure { code: String name: String status: MeasureStatus }
    type Query { measures(domain: Domain, status: MeasureStatus): [Measure!]! }`);
  const problems: string[] = [];
  const recorder = startUsageRecording(
    readUsageRecordingConfig({ USAGE_FILE: path.join(scratch, 'alone.json'), USAGE_FLUSH_SECONDS: '1' }, problems),
  );
  const contexts = requests.map((r) => {
    const { query, variables } = JSON.parse(r.body) as { query: string; variables: Record<string, unknown> };
    const document = parse(query);
    return {
      schema,
      document,
      queryHash: createHash('sha256').update(query).digest('hex'),
      operationName: (document.definitions[0] as { name?: { value: string } }).name?.value ?? null,
      request: {
        query,
        variables,
        http: {
          method: 'POST',
          search: '',
          body: {},
          headers: new HeaderMap([
            ['apollographql-client-name', r.client],
            ['apollographql-client-version', '1.0'],
          ]),
        },
      },
    };
  });
  const N = 200_000;
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const started = performance.now();
    for (let i = 0; i < N; i++) {
      const listener = await recorder.plugin.requestDidStart!(contexts[i % contexts.length] as never);
      await listener!.executionDidStart!(contexts[i % contexts.length] as never);
    }
    // The least disturbed round: the machine's other work only ever adds time.
    best = Math.min(best, ((performance.now() - started) * 1000) / N);
  }
  await recorder.stop();
  console.log(`recorder alone: ${best.toFixed(2)} µs per executed operation (best of 7 rounds of ${N})`);
  return best;
}

const recorderUs = await recorderAlone();

const db = process.env.DATABASE_URL ? await createTestDatabase() : null;
const stack = await startStack({
  database: db ? { urlFor: () => db.url } : { embeddedDataDir: 'memory' },
  env: baseEnv,
  seedProfile: null,
});
try {
  const subgraphEnv = Object.fromEntries(stack.subgraphs.map((s) => [subgraphUrlVar(s.name), s.url]));
  const recording = await startGateway(
    loadGatewayConfig({
      ...baseEnv,
      ...subgraphEnv,
      PORT: '0',
      SUBGRAPH_SECRET: stack.subgraphSecret,
      USAGE_RECORDING: 'on',
      USAGE_FILE: usageFile,
      USAGE_FLUSH_SECONDS: '2',
    }),
  );
  try {
    const urls = { off: stack.url, on: recording.url };
    // Warm-up: plan caches, JIT, connections.
    await round(urls.off);
    await round(urls.on);
    const rps: Record<'off' | 'on', number[]> = { off: [], on: [] };
    const cpu: Record<'off' | 'on', number[]> = { off: [], on: [] };
    for (let i = 0; i < rounds; i++) {
      // off, on, on, off, off, on, ...
      const order: Array<'off' | 'on'> = i % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const mode of order) {
        const r = await round(urls[mode]);
        rps[mode].push(r.rps);
        cpu[mode].push(r.cpuUs);
        console.log(
          `round ${i + 1} recording ${mode.padEnd(3)} ${r.rps.toFixed(0)} rps, ${r.cpuUs.toFixed(0)} µs CPU per request`,
        );
      }
    }
    const ratios = rps.on.map((on, i) => on / rps.off[i]!);
    const cpuRatios = cpu.on.map((on, i) => on / cpu.off[i]!);
    console.log(
      `\n${rounds} rounds of ${seconds} s, ${concurrency} concurrent clients, ${db ? 'PostgreSQL server' : 'embedded database'}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    console.log(`median rps:                  off ${median(rps.off).toFixed(0)}, on ${median(rps.on).toFixed(0)}`);
    console.log(`median CPU per request (µs): off ${median(cpu.off).toFixed(0)}, on ${median(cpu.on).toFixed(0)}`);
    console.log(
      `throughput on/off, median of the rounds' ratios: ${median(ratios).toFixed(3)} (cost ${((1 - median(ratios)) * 100).toFixed(1)} %)`,
    );
    console.log(
      `CPU per request on/off, median of the rounds' ratios: ${median(cpuRatios).toFixed(3)} (cost ${((median(cpuRatios) - 1) * 100).toFixed(1)} %)`,
    );
    console.log(
      `the recorder's own work per request: ${recorderUs.toFixed(2)} µs of ${median(cpu.off).toFixed(0)} µs CPU per request: ${((recorderUs / median(cpu.off)) * 100).toFixed(2)} %`,
    );
  } finally {
    await recording.stop();
  }
  const recorded = await openUsageStore({ USAGE_FILE: usageFile }).operations({ sinceDay: '2000-01-01' });
  console.log(
    `recorded: ${recorded.length} operations, ${recorded.reduce((n, o) => n + o.count, 0)} executions (the recording gateway's requests)`,
  );
} finally {
  await stack.stop();
  agent.destroy();
  await db?.drop();
  fs.rmSync(scratch, { recursive: true, force: true });
}
