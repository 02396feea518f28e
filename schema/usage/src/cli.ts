/**
 * `npm run schema:usage`: what the graph's clients used, as the gateway recorded it (the store
 * USAGE_DATABASE_URL or USAGE_FILE names, by default the embedded default's file).
 *   --since YYYY-MM-DD | --days N   the window (default: every day kept, USAGE_RETENTION_DAYS)
 *   --json                          the operations as RecordedOperation[] (for schema:check --usage)
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '@measure-graph/db/config';
import { loadUsageStoreConfig } from './config.ts';
import { daysBefore, isDay, UsageStoreError, type ClientUsage } from './model.ts';
import { createUsageStore } from './open.ts';
import { summarizeUsage } from './summary.ts';

const HELP = `Usage: npm run schema:usage -- [--since YYYY-MM-DD | --days N] [--json]
  --since DAY  operations seen on or after DAY (UTC)
  --days N     the last N days, today included
  --json       print the operations as JSON (RecordedOperation[], the input of schema:check --usage)
Reads USAGE_DATABASE_URL (PostgreSQL) or USAGE_FILE (default beside the embedded database).`;

class ArgumentError extends Error {
  readonly code = 'USAGE_BAD_ARGUMENT';
}

function window(argv: string[], retentionDays: number, now: Date) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        since: { type: 'string' },
        days: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new ArgumentError((err as Error).message);
  }
  const { since, days, json, help } = parsed.values;
  if (since !== undefined && days !== undefined) throw new ArgumentError('give --since or --days, not both');
  let sinceDay = daysBefore(now, retentionDays - 1);
  if (since !== undefined) {
    if (!isDay(since)) throw new ArgumentError(`--since must be a day YYYY-MM-DD, got "${since}"`);
    sinceDay = since;
  }
  if (days !== undefined) {
    const n = Number(days);
    if (!/^\d+$/.test(days) || n < 1 || n > 36_500)
      throw new ArgumentError(`--days must be a whole number of at least 1, got "${days}"`);
    sinceDay = daysBefore(now, n - 1);
  }
  return { sinceDay, json: json === true, help: help === true };
}

const clientList = (clients: ClientUsage[], max = 3) =>
  clients
    .slice(0, max)
    .map((c) => `${c.name} ${c.version} (${c.count})`)
    .join(', ') + (clients.length > max ? `, +${clients.length - max} more` : '');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`)
    .join('\n');
}

async function main(): Promise<number> {
  const config = loadUsageStoreConfig(process.env);
  const options = window(process.argv.slice(2), config.retentionDays, new Date());
  if (options.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const store = createUsageStore(config);
  try {
    const operations = await store.operations({ sinceDay: options.sinceDay });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(operations, null, 2)}\n`);
      return 0;
    }
    const summary = summarizeUsage(options.sinceDay, operations, await store.overflow({ sinceDay: options.sinceDay }));
    const executions = operations.reduce((n, o) => n + o.count, 0);
    const out: string[] = [
      `Usage since ${summary.sinceDay} (${store.location}): ${operations.length} operations, ${executions} executions, ${summary.clients.length} clients`,
    ];
    if (operations.length === 0) out.push('Nothing recorded in this window.');
    else {
      out.push(
        '',
        'Coordinates, most used first',
        table([
          ['executions', 'operations', 'last seen', 'coordinate', 'clients'],
          ...summary.coordinates.map((c) => [
            String(c.count),
            String(c.operations),
            c.lastSeen,
            c.coordinate,
            clientList(c.clients),
          ]),
        ]),
        '',
        'Clients',
        table([
          ['executions', 'last seen', 'client'],
          ...summary.clients.map((c) => [String(c.count), c.lastSeen, `${c.name} ${c.version}`]),
        ]),
        '',
        'Operations',
        table([
          ['executions', 'first seen', 'last seen', 'hash', 'name', 'clients'],
          ...summary.operations.map((o) => [
            String(o.count),
            o.firstSeen,
            o.lastSeen,
            o.hash.slice(0, 12),
            o.name ?? '(anonymous)',
            clientList(o.clients),
          ]),
        ]),
      );
    }
    if (summary.overflow.length > 0) {
      out.push(
        '',
        'Counted but not stored (the bounds USAGE_MAX_OPERATIONS_PER_DAY, USAGE_MAX_CLIENTS_PER_DAY, USAGE_MAX_DOCUMENT_BYTES)',
        table([['day', 'reason', 'executions'], ...summary.overflow.map((o) => [o.day, o.reason, String(o.count)])]),
      );
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof ArgumentError) process.stderr.write(`${err.code}: ${err.message}\n${HELP}\n`);
  else if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else if (err instanceof UsageStoreError) process.stderr.write(`${err.code}: ${err.message}\n`);
  else process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = err instanceof ArgumentError || err instanceof ConfigError ? 2 : 1;
}
