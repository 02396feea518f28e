/**
 * `npm run audit:verify`: checks the hash chain of the personal-data access log
 * (registry.personal_data_access) and prints the rows checked and the head, to record outside the
 * database. Exit code 0 when the log is intact, 1 with its problems listed, 2 when it could not be
 * checked (configuration, connection). Reads REGISTRY_DATABASE_URL or DATABASE_URL, and
 * AUDIT_LOG_KEY (with AUDIT_LOG_PREVIOUS_KEYS) or, on the embedded default, its development key.
 *
 *   npm run audit:verify
 *   npm run audit:verify -- --anchor 1234:5f2c...   a head recorded earlier must still be in the log
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, createDataSource, EMBEDDED_PASSWORD_FILE, loadDatabaseConfig } from '@measure-graph/db';
import { AccessLogStore, readAuditKeyring, type ChainAnchor } from '@measure-graph/registry';

const out = (line = '') => process.stdout.write(`${line}\n`);

try {
  const { values } = parseArgs({ options: { anchor: { type: 'string', multiple: true } } });
  const problems: string[] = [];
  const anchors: ChainAnchor[] = (values.anchor ?? []).flatMap((text) => {
    const match = /^(\d{1,18}):([0-9a-fA-F]{64})$/.exec(text);
    if (!match) problems.push(`--anchor must be <row id>:<64 hex characters of its hash>, got "${text}"`);
    return match ? [{ id: match[1]!, hash: match[2]!.toLowerCase() }] : [];
  });
  const db = loadDatabaseConfig(process.env, ['registry']);
  const url = db.urlFor('registry');
  if (!url) {
    problems.push(
      'REGISTRY_DATABASE_URL or DATABASE_URL is required. On the embedded default, while `npm start` runs: ' +
        'DATABASE_URL=<the database URL it prints> ' +
        `PGPASSWORD=$(cat ${path.join(db.embeddedDataDir, EMBEDDED_PASSWORD_FILE)}) npm run audit:verify`,
    );
  }
  const keys = readAuditKeyring(process.env, problems, { create: false });
  if (problems.length > 0) throw new ConfigError(problems);

  const ds = createDataSource({
    url: url!,
    schema: 'registry',
    migrations: [],
    poolSize: 1,
    applicationName: 'measure-graph-audit-verify',
  });
  await ds.initialize();
  try {
    const report = await new AccessLogStore(ds, keys).verify({ anchors });
    out('Personal-data access log (registry.personal_data_access)');
    out(`  rows checked: ${report.rowsChecked}`);
    if (report.unchainedRows > 0) {
      out(`  of which ${report.unchainedRows} written before the chain started (no hash: not verifiable)`);
    }
    out(
      `  head: ${report.headId === null ? 'none (no chained row yet)' : `row ${report.headId}, hash ${report.headHash}`}`,
    );
    out(`  keys: ${keys!.all.map((k, i) => `${k.id}${i === 0 ? ' (current)' : ''}`).join(', ')}`);
    if (report.intact) {
      out('Intact.');
      if (report.headId !== null) {
        out('Record the head outside the database (e.g. in the ops log); later runs can check it is still there:');
        out(`  npm run audit:verify -- --anchor ${report.headId}:${report.headHash}`);
      }
    } else {
      out(`NOT intact: ${report.problemCount} problem${report.problemCount === 1 ? '' : 's'}`);
      for (const p of report.problems) out(`  row ${p.id}  ${p.kind}  ${p.message}`);
      if (report.problemCount > report.problems.length) {
        out(`  ... and ${report.problemCount - report.problems.length} more`);
      }
    }
    process.exitCode = report.intact ? 0 : 1;
  } finally {
    await ds.destroy();
  }
} catch (err) {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : `audit:verify failed: ${(err as Error).message}`}\n`,
  );
  process.exitCode = 2;
}
