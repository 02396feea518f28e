import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordedOperation } from '@measure-graph/schema-usage';
import { composeFiles, CompositionError, staleFiles } from './compose.ts';
import { repoRoot } from './locate.ts';
import { recordedOperations } from './recorded-operations.ts';
import { safelistPath, type Safelist } from './safelist.ts';
import {
  checkSchema,
  dayMinus,
  formatReport,
  type Acknowledgement,
  type CheckInput,
  type CheckReport,
  type RepoOperation,
} from './schema-check.ts';
import { subgraphs } from './subgraphs.ts';

/**
 * Folders of operations the repository keeps (relative to its root), every `*.graphql` in them
 * checked against the new schema: add a folder here when a client's operations move into the repo.
 * The safelist's files are checked too.
 */
// The tables' operations too (GET /tables): a change that breaks one breaks a BI connector.
export const REPO_OPERATION_DIRS = ['schema/operations', 'schema/tables'];

/** Breaking changes accepted although operations use the element (docs/domain-teams.md). */
export const acknowledgementsPath = fileURLToPath(new URL('../breaking-changes.json', import.meta.url));

export const DEFAULT_WINDOW_DAYS = 30;
const SUPERGRAPH_IN_REPO = 'schema/supergraph.graphql';

/** A problem with the check's input (not with the schema): exit code 2, with a code to search for. */
export class CheckInputError extends Error {
  constructor(
    readonly code: 'BAD_OPTION' | 'BASE_UNAVAILABLE' | 'BAD_USAGE_FILE' | 'BAD_ACKNOWLEDGEMENT' | 'BAD_OPERATION',
    message: string,
  ) {
    super(message);
  }
}

export interface CheckOptions {
  /** A git ref whose committed supergraph is the base; undefined: the default (see resolveBase). */
  base?: string;
  /** A supergraph file as the base instead of a git ref (no git needed). */
  baseSupergraph?: string;
  /** A JSON array of RecordedOperation (as `schema:usage --json` prints) instead of the usage store. */
  usage?: string;
  windowDays: number;
  json: boolean;
}

const USAGE = `Usage: npm run schema:check -- [--base REF | --base-supergraph FILE] [--usage FILE] [--window-days N] [--json]`;

/** The options, from the command line over the environment (SCHEMA_CHECK_BASE, SCHEMA_CHECK_WINDOW_DAYS). */
export function parseCheckOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CheckOptions {
  const options: CheckOptions = {
    ...(env.SCHEMA_CHECK_BASE ? { base: env.SCHEMA_CHECK_BASE } : {}),
    windowDays: DEFAULT_WINDOW_DAYS,
    json: false,
  };
  let windowDays = env.SCHEMA_CHECK_WINDOW_DAYS || undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--'))
        throw new CheckInputError('BAD_OPTION', `${arg} needs a value. ${USAGE}`);
      return v;
    };
    if (arg === '--base') options.base = value();
    else if (arg === '--base-supergraph') options.baseSupergraph = value();
    else if (arg === '--usage') options.usage = value();
    else if (arg === '--window-days') windowDays = value();
    else if (arg === '--json') options.json = true;
    else throw new CheckInputError('BAD_OPTION', `Unknown option ${arg}. ${USAGE}`);
  }
  if (windowDays !== undefined) {
    if (!/^\d+$/.test(windowDays) || Number(windowDays) < 1) {
      throw new CheckInputError(
        'BAD_OPTION',
        `--window-days (SCHEMA_CHECK_WINDOW_DAYS) must be a whole number of days >= 1, not "${windowDays}"`,
      );
    }
    options.windowDays = Number(windowDays);
  }
  if (options.base !== undefined && options.baseSupergraph !== undefined) {
    throw new CheckInputError('BAD_OPTION', 'Give --base or --base-supergraph, not both.');
  }
  return options;
}

const git = (args: string[]) =>
  execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/**
 * The base supergraph: the given file; else the committed schema/supergraph.graphql at the given
 * ref; else at the merge-base with main (origin/main when there is no local main), or HEAD on main.
 * null when the ref has no supergraph yet (nothing to compare with).
 */
export function resolveBase(options: CheckOptions): { description: string; supergraph: string | null } {
  if (options.baseSupergraph !== undefined) {
    try {
      return { description: options.baseSupergraph, supergraph: fs.readFileSync(options.baseSupergraph, 'utf8') };
    } catch (err) {
      throw new CheckInputError(
        'BASE_UNAVAILABLE',
        `Cannot read --base-supergraph ${options.baseSupergraph}: ${(err as Error).message}`,
      );
    }
  }
  let ref = options.base;
  try {
    if (ref === undefined) {
      const branch = git(['rev-parse', '--abbrev-ref', 'HEAD']);
      const main = ['main', 'origin/main'].find((r) => {
        try {
          git(['rev-parse', '--verify', '--quiet', r]);
          return true;
        } catch {
          return false;
        }
      });
      if (!main) throw new Error('neither main nor origin/main exists');
      ref = branch === 'main' ? 'HEAD' : git(['merge-base', 'HEAD', main]);
    }
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch (err) {
    throw new CheckInputError(
      'BASE_UNAVAILABLE',
      `No base to compare with (${ref ?? 'merge-base with main'}): ${(err as Error).message.split('\n')[0]}. ` +
        'Give --base REF, or --base-supergraph FILE where git is not available.',
    );
  }
  try {
    return {
      description: `${ref}:${SUPERGRAPH_IN_REPO}`,
      supergraph: git(['show', `${ref}:${SUPERGRAPH_IN_REPO}`]) + '\n',
    };
  } catch {
    return { description: `${ref} (no ${SUPERGRAPH_IN_REPO} there)`, supergraph: null };
  }
}

/** The repository's operations: every .graphql of REPO_OPERATION_DIRS and every file the safelist names. */
export function readRepoOperations(): RepoOperation[] {
  const files = new Set<string>();
  for (const dir of REPO_OPERATION_DIRS) {
    for (const f of fs.readdirSync(path.join(repoRoot, dir)).filter((f) => f.endsWith('.graphql')))
      files.add(`${dir}/${f}`);
  }
  const safelist = JSON.parse(fs.readFileSync(safelistPath, 'utf8')) as Safelist;
  for (const op of safelist.operations) files.add(op.file);
  return [...files].sort().map((file) => {
    const full = path.join(repoRoot, file);
    if (!fs.existsSync(full))
      throw new CheckInputError('BAD_OPERATION', `${file} (named by schema/safelist.json) does not exist`);
    return { name: path.basename(file, '.graphql'), file, document: fs.readFileSync(full, 'utf8') };
  });
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Recorded operations from a JSON file, each checked field by field. */
export function readUsageFile(file: string): RecordedOperation[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CheckInputError('BAD_USAGE_FILE', `Cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(data))
    throw new CheckInputError('BAD_USAGE_FILE', `${file}: expected a JSON array of recorded operations`);
  const isString = (v: unknown): v is string => typeof v === 'string';
  return data.map((op: Record<string, unknown>, i) => {
    const bad = (field: string, expected: string) =>
      new CheckInputError('BAD_USAGE_FILE', `${file}[${i}].${field}: expected ${expected}`);
    if (typeof op !== 'object' || op === null) throw bad('', 'an object');
    if (!isString(op.hash)) throw bad('hash', 'a string');
    if (op.name !== null && !isString(op.name)) throw bad('name', 'a string or null');
    if (!isString(op.document)) throw bad('document', 'a string');
    if (!Array.isArray(op.coordinates) || !op.coordinates.every(isString))
      throw bad('coordinates', 'an array of strings');
    if (
      !Array.isArray(op.clients) ||
      !op.clients.every((c: Record<string, unknown>) => isString(c?.name) && isString(c?.version))
    ) {
      throw bad('clients', 'an array of { name, version }');
    }
    for (const day of ['firstSeen', 'lastSeen'] as const)
      if (!isString(op[day]) || !DAY.test(op[day])) throw bad(day, 'YYYY-MM-DD');
    if (typeof op.count !== 'number' || !Number.isInteger(op.count) || op.count < 0)
      throw bad('count', 'a whole number');
    return op as unknown as RecordedOperation;
  });
}

/** schema/breaking-changes.json, each entry complete: an acknowledgement says what, why and when. */
export function readAcknowledgements(file = acknowledgementsPath): Acknowledgement[] {
  const name = path.relative(repoRoot, file);
  let data: { acknowledged?: unknown };
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8')) as { acknowledged?: unknown };
  } catch (err) {
    throw new CheckInputError('BAD_ACKNOWLEDGEMENT', `Cannot read ${name}: ${(err as Error).message}`);
  }
  if (!Array.isArray(data.acknowledged))
    throw new CheckInputError('BAD_ACKNOWLEDGEMENT', `${name}: expected { "acknowledged": [...] }`);
  return data.acknowledged.map((entry: Record<string, unknown>, i) => {
    for (const field of ['coordinate', 'change', 'reason', 'date']) {
      if (typeof entry?.[field] !== 'string' || (entry[field] as string).trim() === '') {
        throw new CheckInputError('BAD_ACKNOWLEDGEMENT', `${name}: acknowledged[${i}].${field} is missing`);
      }
    }
    if (!DAY.test(entry.date as string)) {
      throw new CheckInputError('BAD_ACKNOWLEDGEMENT', `${name}: acknowledged[${i}].date must be YYYY-MM-DD`);
    }
    return entry as unknown as Acknowledgement;
  });
}

const today = () => new Date().toISOString().slice(0, 10);

/** Exit codes: 0 passed, 1 the schema change fails the check, 2 the check could not run (a coded input error). */
async function main(): Promise<number> {
  let input: Omit<CheckInput, 'subgraphs'>;
  let base: ReturnType<typeof resolveBase>;
  let json = false;
  try {
    // Every input first: a mistake in one is reported before the slow composition.
    const options = parseCheckOptions(process.argv.slice(2), process.env);
    json = options.json;
    base = resolveBase(options);
    const day = today();
    input = {
      baseSupergraph: base.supergraph,
      repoOperations: readRepoOperations(),
      recordedOperations: options.usage
        ? readUsageFile(options.usage)
        : await recordedOperations(process.env, dayMinus(day, options.windowDays)),
      acknowledgements: readAcknowledgements(),
      windowDays: options.windowDays,
      today: day,
    };
  } catch (err) {
    return inputError(err);
  }
  let stale: string[];
  try {
    stale = staleFiles(composeFiles(subgraphs).files).map((f) => path.relative(repoRoot, f));
  } catch (err) {
    if (!(err instanceof CompositionError)) throw err;
    const failed: CheckReport = {
      ok: false,
      composition: { errors: err.errors, hints: err.hints },
      changes: [],
      invalidOperations: [],
      notes: [],
    };
    process.stdout.write(
      json
        ? `${JSON.stringify({ ...failed, base: base.description, staleFiles: [] }, null, 2)}\n`
        : formatReport(failed),
    );
    return 1;
  }
  const report = await checkSchema({ subgraphs, ...input });
  const ok = report.ok && stale.length === 0;
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...report, ok, base: base.description, staleFiles: stale }, null, 2)}\n`);
  } else {
    process.stdout.write(
      `Base: ${base.description}; ${input.recordedOperations.length} recorded operation(s), window ${input.windowDays} days.\n`,
    );
    for (const file of stale) process.stdout.write(`x ${file} is stale: run \`npm run compose\` and commit it.\n`);
    process.stdout.write(formatReport({ ...report, ok }));
  }
  return ok ? 0 : 1;
}

function inputError(err: unknown): number {
  if (!(err instanceof CheckInputError)) throw err;
  process.stderr.write(`schema:check ${err.code}: ${err.message}\n`);
  return 2;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(2);
    },
  );
}
