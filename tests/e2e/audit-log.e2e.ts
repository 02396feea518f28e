import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { repoRoot } from '@measure-graph/db';
import { generatePersons } from '@measure-graph/demo-data';
import { SCOPES } from '@measure-graph/auth';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The personal-data access log is tamper-evident: its rows are chained by HMAC with a key the
 * database never sees; the verification (GraphQL query with audit:read, and `npm run audit:verify`)
 * reports rows changed, deleted or forged by a database superuser.
 */
let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(() => graph?.stop());

const persons = generatePersons().slice(0, 4);
const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
const as = async (scopes: readonly string[], extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${await graph.token({ scopes, subject: 'auditor-e2e' })}`,
  ...extra,
});
const VERIFY = `{ personalDataAccessLogVerification {
  intact rowsChecked unchainedRows headId headHash problemCount problems { id kind message } } }`;
const verification = async () => {
  const res = await graph.post(body(VERIFY), await as([SCOPES.auditRead]));
  expect(res.errors).toBeUndefined();
  return res.data!.personalDataAccessLogVerification;
};

/** `npm run audit:verify` as an operator runs it: a real process, against the stack's database. */
function auditVerify(env: NodeJS.ProcessEnv = {}, ...args: string[]) {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: graph.database.url,
    AUDIT_LOG_KEY: graph.auditLogKey,
  };
  delete base.REGISTRY_DATABASE_URL;
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/audit-verify.ts', ...args],
      { cwd: repoRoot, env: { ...base, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

/** Runs `work` as the database superuser of the test database (the server's postgres, or PGlite's). */
async function asSuperuser<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: graph.database.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    // The embedded database has one session behind every connection: leave no setting behind.
    await client.query('RESET session_replication_role');
    await client.end();
  }
}

describe('the access log verification', () => {
  let head: { id: string; hash: string };

  it('needs audit:read, and finds the log intact after some reads of national numbers', async () => {
    const read = await graph.post(
      body(`{ ${persons.map((p, i) => `p${i}: person(id: "${p.id}") { nationalNumber }`).join(' ')} }`),
      await as([SCOPES.personsRead, SCOPES.personIdentify], { 'x-purpose': 'audit e2e' }),
    );
    expect(read.errors).toBeUndefined();
    for (const p of persons.slice(0, 2)) {
      const one = await graph.post(
        body('query ($id: ID!) { person(id: $id) { nationalNumber } }', { id: p.id }),
        await as([SCOPES.personsRead, SCOPES.personIdentify], { 'x-purpose': 'audit e2e, again' }),
      );
      expect(one.errors).toBeUndefined();
    }

    const anonymous = await graph.post(body(VERIFY), { authorization: '' });
    expect(anonymous.data?.personalDataAccessLogVerification ?? null).toBeNull();
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const withoutAudit = await graph.post(body(VERIFY), await as([SCOPES.personsRead, SCOPES.personIdentify]));
    expect(withoutAudit.data!.personalDataAccessLogVerification).toBeNull();
    expect(withoutAudit.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', scope: SCOPES.auditRead });

    const report = await verification();
    expect(report).toMatchObject({ intact: true, rowsChecked: 6, unchainedRows: 0, problemCount: 0, problems: [] });
    expect(report.headHash).toMatch(/^[0-9a-f]{64}$/);
    head = { id: report.headId, hash: report.headHash };
  });

  it('npm run audit:verify exits 0 on the intact log and prints the head; 1 with another key; 2 without one', async () => {
    const ok = await auditVerify();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('rows checked: 6');
    expect(ok.stdout).toContain(`head: row ${head.id}, hash ${head.hash}`);
    expect(ok.stdout).toContain('Intact.');
    expect((await auditVerify({}, '--anchor', `${head.id}:${head.hash}`)).code).toBe(0);

    const otherKey = await auditVerify({ AUDIT_LOG_KEY: randomBytes(32).toString('base64') });
    expect(otherKey.code).toBe(1);
    expect(otherKey.stdout).toContain('NOT intact: 6 problems');
    expect(otherKey.stdout).toMatch(/row \d+ {2}UNKNOWN_KEY/);

    const noKey = await auditVerify({ AUDIT_LOG_KEY: '', NODE_ENV: 'production' });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/AUDIT_LOG_KEY .* is required with NODE_ENV=production/);
  });

  it('catches an UPDATE by a superuser in replica mode, a DELETE and a forged insert', async () => {
    const ids: string[] = await asSuperuser(async (c) =>
      (await c.query('SELECT id::text FROM registry.personal_data_access ORDER BY id')).rows.map((r) => r.id),
    );
    const [updated, deleted, afterDeleted] = [ids[1]!, ids[3]!, ids[4]!];
    const forged = await asSuperuser(async (client) => {
      // Replica mode no longer bypasses the append-only triggers: they fire ALWAYS.
      await client.query('SET session_replication_role = replica');
      await expect(
        client.query("UPDATE registry.personal_data_access SET purpose = 'nothing to see' WHERE id = $1", [updated]),
      ).rejects.toThrow(/append-only/);
      await expect(client.query('DELETE FROM registry.personal_data_access WHERE id = $1', [deleted])).rejects.toThrow(
        /append-only/,
      );
      // A superuser can still switch the triggers off: then only the chain tells.
      await client.query('ALTER TABLE registry.personal_data_access DISABLE TRIGGER ALL');
      try {
        await client.query("UPDATE registry.personal_data_access SET purpose = 'nothing to see' WHERE id = $1", [
          updated,
        ]);
        await client.query('DELETE FROM registry.personal_data_access WHERE id = $1', [deleted]);
        const { rows } = await client.query(
          `INSERT INTO registry.personal_data_access (subject, person_id, field, purpose, prev_hash, hash, key_id)
           SELECT 'auditor-e2e', $1, 'Person.nationalNumber', 'made up',
                  (SELECT hash FROM registry.personal_data_access ORDER BY id DESC LIMIT 1),
                  encode(sha256('forged'::bytea), 'hex'), substr(encode(sha256('another key'::bytea), 'hex'), 1, 16)
           RETURNING id::text`,
          [persons[0]!.id],
        );
        return rows[0].id as string;
      } finally {
        await client.query(
          'ALTER TABLE registry.personal_data_access ENABLE ALWAYS TRIGGER personal_data_access_no_change',
        );
        await client.query(
          'ALTER TABLE registry.personal_data_access ENABLE ALWAYS TRIGGER personal_data_access_no_truncate',
        );
      }
    });

    const report = await verification();
    expect(report.intact).toBe(false);
    expect(report.problems.map((p: { id: string; kind: string }) => [p.id, p.kind])).toEqual([
      [updated, 'CHANGED'],
      [afterDeleted, 'MISSING'],
      [forged, 'UNKNOWN_KEY'],
    ]);
    expect(report.rowsChecked).toBe(6);

    const cli = await auditVerify();
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('NOT intact: 3 problems');
    expect(cli.stdout).toContain(`row ${updated}  CHANGED`);
    expect(cli.stdout).toContain(`row ${afterDeleted}  MISSING`);
    expect(cli.stdout).toContain(`row ${forged}  UNKNOWN_KEY`);
  });
});
