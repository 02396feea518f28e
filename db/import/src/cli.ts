/**
 * `npm run data:import -- DIR [--no-migrate]`: loads a dataset (docs/data-format.md) into the
 * databases the subgraphs use (DATABASE_URL, or <NAME>_DATABASE_URL per subgraph).
 *
 * Exit codes: 0 every file loaded; 1 a file was refused for bad data (its errors on stderr as
 * `file:line: field: reason`, nothing of that file written); 2 the import could not run
 * (arguments, configuration, database, a folder it cannot read).
 */
import { datasetFiles } from './dataset.ts';
import { CannotRunError } from './errors.ts';
import { formatRowError, type FileReport } from './report.ts';

const USAGE = `Usage: npm run data:import -- DIR [--no-migrate]

Loads the dataset in DIR (the files of docs/data-format.md: organisations.jsonl, persons.jsonl, dossiers.jsonl, ...)
into the database of each subgraph: DATABASE_URL, or <NAME>_DATABASE_URL for one subgraph.

  --no-migrate   do not apply pending migrations; refuse to run (exit 2) when any is pending

Exit codes: 0 loaded, 1 a file was refused for bad data (nothing of it written), 2 could not run.`;

const out = (line: string) => process.stdout.write(`${line}\n`);

function describe(report: FileReport): string {
  if (!report.loaded) {
    const more = report.errorCount > report.errors.length ? ` (the first ${report.errors.length} listed)` : '';
    return `${report.file}: refused, ${report.errorCount} error(s) in ${report.rows} rows${more}; nothing of it was written`;
  }
  const counts = Object.entries(report.counts)
    .map(([key, n]) => `${n} ${key}`)
    .join(', ');
  return `${report.file}: loaded ${report.rows} rows (${counts}) in ${(report.milliseconds / 1000).toFixed(1)} s`;
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => !a.startsWith('--'));
  const flags = argv.filter((a) => a.startsWith('--'));
  if (flags.includes('--help')) {
    out(USAGE);
    return 0;
  }
  const unknown = flags.filter((f) => f !== '--no-migrate');
  if (args.length !== 1 || unknown.length > 0) {
    console.error(unknown.length > 0 ? `Unknown option ${unknown.join(', ')}\n\n${USAGE}` : USAGE);
    return 2;
  }
  // The folder first: a wrong path fails at once, before the database and subgraph modules load.
  datasetFiles(args[0]!);
  const { loadDatabaseConfig } = await import('@measure-graph/db');
  const { subgraphs } = await import('@measure-graph/schema/subgraphs');
  const { importDataset } = await import('./import.ts');
  const config = loadDatabaseConfig(
    process.env,
    subgraphs.map((s) => s.name),
  );
  const missing = subgraphs.filter((s) => !config.urlFor(s.name)).map((s) => s.name);
  if (missing.length > 0) {
    throw new CannotRunError(
      `no database for ${missing.join(', ')}: set DATABASE_URL (or <NAME>_DATABASE_URL). ` +
        'This version does not open the embedded default by itself; while `npm start` runs, point ' +
        'DATABASE_URL at the embedded database (docs/data-format.md, "Running the import").',
    );
  }
  const started = performance.now();
  const report = await importDataset({
    dir: args[0]!,
    urlFor: (name) => config.urlFor(name)!,
    subgraphs,
    migrate: !flags.includes('--no-migrate'),
    onFile: (file) => {
      out(describe(file));
      for (const e of file.errors) console.error(formatRowError(e));
    },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const refused = report.files.filter((f) => !f.loaded).map((f) => f.file);
  out(
    refused.length === 0
      ? `Imported ${report.files.length} file(s) in ${seconds} s.`
      : `Refused: ${refused.join(', ')} (see the errors above); the other files were written. ${seconds} s.`,
  );
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // ConfigError (a bad DATABASE_URL) lists every problem; CannotRunError says what to do.
    if (err instanceof CannotRunError || (err instanceof Error && err.name === 'ConfigError')) {
      console.error(`Cannot import: ${err.message}`);
    } else {
      console.error('Cannot import: unexpected error', err);
    }
    process.exitCode = 2;
  },
);
