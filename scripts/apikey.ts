/**
 * `npm run apikey`: API keys of machine clients (BI connectors). Keys are kept in the schema
 * `access` of API_KEYS_DATABASE_URL, else DATABASE_URL; without either, in the embedded default's
 * database: the running `npm start`'s (through the port and password files in its data folder), or
 * the data folder itself when nothing runs on it.
 *
 *   npm run apikey -- create --client powerbi --scopes dossiers:read,persons:read --purpose "..." --days 90
 *   npm run apikey -- list [--json]
 *   npm run apikey -- revoke <keyId>
 *   npm run apikey -- signing-key --out <folder>     a gateway signing key pair for production
 *
 * Exit codes: 0 done, 2 bad arguments or configuration (a coded message), 1 anything else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  ALL_SCOPES,
  ApiKeyInputError,
  ApiKeyStore,
  checkNewApiKey,
  newGatewayKeyPair,
  readApiKeyConfig,
  type ApiKeyRecord,
} from '@measure-graph/auth';
import {
  ConfigError,
  DataDirInUseError,
  EMBEDDED_PASSWORD_FILE,
  EMBEDDED_PORT_FILE,
  loadDatabaseConfig,
  readPrivateFile,
  startEmbeddedPostgres,
} from '@measure-graph/db';

const HELP = `Usage: npm run apikey -- <command>
  create --client NAME --scopes S1,S2 --purpose TEXT [--days N]
                     issue a key (printed once, on stdout); --days defaults to 90, at most API_KEY_MAX_DAYS
  list [--json]      every key, without secrets
  revoke KEY_ID      refuse a key from now on (the gateway within API_KEY_CACHE_SECONDS)
  signing-key --out FOLDER
                     make a gateway signing key pair: API_KEY_SIGNING_KEY_FILE (gateway) and
                     AUTH_GATEWAY_JWKS_FILE (subgraphs)
Scopes: ${ALL_SCOPES.join(', ')}
Keys are kept in API_KEYS_DATABASE_URL, else DATABASE_URL, else the embedded default's database.`;

/** A bad command line: exit code 2 with its code. */
class ArgumentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const note = (line = '') => process.stderr.write(`${line}\n`);

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        client: { type: 'string' },
        scopes: { type: 'string' },
        purpose: { type: 'string' },
        days: { type: 'string' },
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new ArgumentError('API_KEY_BAD_ARGUMENT', (err as Error).message);
  }
}

/** The store, and how to let go of what was opened for it (the embedded database, when we started it). */
async function openStore(env: NodeJS.ProcessEnv, databaseUrl: string | undefined) {
  if (databaseUrl) {
    const store = new ApiKeyStore(databaseUrl, { poolSize: 1, applicationName: 'measure-graph-apikey' });
    return { store, where: 'the configured database', close: () => store.close() };
  }
  const { embeddedDataDir } = loadDatabaseConfig(env);
  try {
    // Nothing runs on the folder: open it here, for this command only.
    const embedded = await startEmbeddedPostgres({ dataDir: embeddedDataDir });
    const store = new ApiKeyStore(embedded.url, { poolSize: 1, connectTimeoutMs: 60_000 });
    return {
      store,
      where: `the embedded database in ${embeddedDataDir}`,
      close: async () => {
        await store.close();
        await embedded.stop();
      },
    };
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
  }
  // `npm start` runs on it: connect to its wire server, as psql would.
  let port: string;
  let password: string;
  try {
    port = fs.readFileSync(path.join(embeddedDataDir, EMBEDDED_PORT_FILE), 'utf8').trim();
    password = readPrivateFile(path.join(embeddedDataDir, EMBEDDED_PASSWORD_FILE));
  } catch (err) {
    throw new ConfigError([
      `the embedded database in ${embeddedDataDir} is in use, but its port or password cannot be read (${(err as Error).message}): restart \`npm start\`, or set API_KEYS_DATABASE_URL`,
    ]);
  }
  const store = new ApiKeyStore(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, {
    poolSize: 1,
    // The running stack's embedded database serves one transaction at a time.
    connectTimeoutMs: 60_000,
  });
  return { store, where: `the running embedded database (port ${port})`, close: () => store.close() };
}

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 16).replace('T', ' ') : '-');

function state(key: ApiKeyRecord, now: Date): string {
  if (key.revokedAt) return 'revoked';
  return key.expiresAt <= now ? 'expired' : 'active';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`)
    .join('\n');
}

function writeSigningKey(folder: string | undefined): void {
  if (!folder) throw new ArgumentError('API_KEY_BAD_ARGUMENT', 'signing-key needs --out FOLDER');
  const dir = path.resolve(folder);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateJwk, publicJwks } = newGatewayKeyPair();
  const privateFile = path.join(dir, 'gateway-signing-key.jwk.json');
  const publicFile = path.join(dir, 'gateway.jwks.json');
  // Exclusive: an existing key is never overwritten (the subgraphs trust its public half).
  try {
    fs.writeFileSync(privateFile, JSON.stringify(privateJwk), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new ArgumentError('API_KEY_BAD_ARGUMENT', `${privateFile} exists already; choose another folder`);
    throw err;
  }
  fs.writeFileSync(publicFile, `${JSON.stringify(publicJwks, null, 2)}\n`, { mode: 0o644 });
  out(`Gateway:   API_KEY_SIGNING_KEY_FILE=${privateFile}   (private, mode 0600)`);
  out(`Subgraphs: AUTH_GATEWAY_JWKS_FILE=${publicFile}`);
}

async function main(): Promise<number> {
  const { values, positionals } = parse(process.argv.slice(2));
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    out(HELP);
    return values.help ? 0 : 2;
  }
  if (command === 'signing-key') {
    writeSigningKey(values.out);
    return 0;
  }
  if (!['create', 'list', 'revoke'].includes(command)) {
    throw new ArgumentError(
      'API_KEY_BAD_ARGUMENT',
      `unknown command "${command}"; commands: create, list, revoke, signing-key`,
    );
  }
  const expected = command === 'revoke' ? 1 : 0;
  if (rest.length !== expected) {
    throw new ArgumentError(
      'API_KEY_BAD_ARGUMENT',
      command === 'revoke'
        ? 'revoke needs exactly one key id'
        : `${command} takes no further arguments: ${rest.join(' ')}`,
    );
  }
  if (command === 'revoke' && !/^[0-9a-f]{16}$/.test(rest[0]!)) {
    throw new ArgumentError(
      'API_KEY_BAD_ARGUMENT',
      `a key id is 16 hexadecimal characters (see list), got "${rest[0]}"`,
    );
  }
  const problems: string[] = [];
  const config = readApiKeyConfig(process.env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  let create: Parameters<ApiKeyStore['create']>[0] | undefined;
  if (command === 'create') {
    const missing = (['client', 'scopes', 'purpose'] as const).filter((name) => values[name] === undefined);
    if (missing.length > 0) {
      throw new ArgumentError('API_KEY_BAD_ARGUMENT', `create needs ${missing.map((m) => `--${m}`).join(', ')}`);
    }
    create = {
      client: values.client!,
      scopes: values
        .scopes!.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      purpose: values.purpose!,
      days:
        values.days === undefined
          ? Math.min(90, config.maxDays)
          : /^\d+$/.test(values.days)
            ? Number(values.days)
            : NaN,
      maxDays: config.maxDays,
    };
    // Before any database is opened: a bad argument costs nothing and writes nothing.
    checkNewApiKey(create);
  }
  const { store, where, close } = await openStore(process.env, config.databaseUrl);
  try {
    if (create) {
      const { key, record } = await store.create(create);
      out(key);
      note(
        `API key ${record.keyId} for ${record.client}, kept in ${where}. It is shown this once: put it in the connector now.`,
      );
      note(`  subject ${record.subject}; scopes ${record.scopes.join(' ')}; purpose "${record.purpose}"`);
      note(`  expires ${record.expiresAt.toISOString()}`);
      note('  send it as: Authorization: Bearer <key>   or   X-API-Key: <key>');
      return 0;
    }
    if (command === 'list') {
      const keys = await store.list();
      if (values.json) {
        out(
          JSON.stringify(
            keys.map((k) => ({ ...k, state: state(k, new Date()) })),
            null,
            2,
          ),
        );
        return 0;
      }
      if (keys.length === 0) {
        out(`No API keys in ${where}.`);
        return 0;
      }
      const now = new Date();
      out(`API keys in ${where} (times UTC):`);
      out(
        table([
          ['id', 'client', 'state', 'created', 'expires', 'last used', 'scopes', 'purpose'],
          ...keys.map((k) => [
            k.keyId,
            k.client,
            state(k, now),
            day(k.createdAt),
            day(k.expiresAt),
            day(k.lastUsedAt),
            k.scopes.join(','),
            k.purpose,
          ]),
        ]),
      );
      return 0;
    }
    const revoked = await store.revoke(rest[0]!);
    if (!revoked) throw new ArgumentError('API_KEY_NOT_FOUND', `no API key with id ${rest[0]} in ${where}`);
    out(`Revoked ${revoked.keyId} (${revoked.client}) at ${revoked.revokedAt!.toISOString()}.`);
    note('A running gateway refuses it within API_KEY_CACHE_SECONDS (30 s by default).');
    return 0;
  } finally {
    await close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof ArgumentError || err instanceof ApiKeyInputError) {
    process.stderr.write(`${err.code}: ${err.message}\n`);
    if (err instanceof ArgumentError && err.code === 'API_KEY_BAD_ARGUMENT') process.stderr.write(`${HELP}\n`);
    process.exitCode = 2;
  } else if (err instanceof ConfigError) {
    process.stderr.write(`API_KEY_BAD_CONFIGURATION: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`apikey failed: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
