import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataSource, openAndMigrate } from '@measure-graph/db';
import { configErrorOf } from '@measure-graph/db/testing';
import { SCOPES } from '@measure-graph/auth';
import { loadSubgraphConfig } from '@measure-graph/subgraph-platform';
import { generatePersons } from '@measure-graph/demo-data';
import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLogKey,
  decodeAuditLogKey,
  GENESIS_HASH,
  rowHash,
  verifyAccessLogChain,
  type AuditKeyring,
  type ChainRow,
} from '../src/parties/access-log-chain.ts';
import { DEV_AUDIT_KEY_FILE, readAuditKeyring } from '../src/parties/access-log-key.ts';
import { AccessLogStore } from '../src/parties/access-log-store.ts';
import { AUDIT_OWNER_ROLE } from '../src/parties/migrations.ts';
import { registrySubgraph } from '../src/subgraph.ts';

const key = auditLogKey(randomBytes(32));
const otherKey = auditLogKey(randomBytes(32));

/** A chain of `n` rows with ids 1..n, hashed as the registry writes them. */
function chain(n: number, k = key, firstId = 1): ChainRow[] {
  const rows: ChainRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const content = {
      id: String(firstId + i),
      at: `2025-11-24T10:00:0${i % 10}.123456Z`,
      subject: `user-${i}`,
      clientId: i % 2 ? 'bi-portal' : null,
      personId: `P${i}`,
      field: 'Person.nationalNumber',
      purpose: 'appeal AC-2020-0042',
      requestId: null,
      prevHash,
      keyId: k.id,
    };
    prevHash = rowHash(k, content);
    rows.push({ ...content, hash: prevHash });
  }
  return rows;
}
const kinds = (report: { problems: Array<{ id: string; kind: string }> }) => report.problems.map((p) => [p.id, p.kind]);

describe('verifying the chain (pure)', () => {
  it('finds an intact chain intact, read in batches, and names its head', async () => {
    const rows = chain(7);
    const report = await verifyAccessLogChain([rows.slice(0, 3), rows.slice(3)], [key]);
    expect(report).toEqual({
      intact: true,
      rowsChecked: 7,
      unchainedRows: 0,
      headId: '7',
      headHash: rows[6]!.hash,
      problemCount: 0,
      problems: [],
    });
  });

  it('reports a changed row as CHANGED, once', async () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, purpose: 'curiosity' };
    expect(kinds(await verifyAccessLogChain([rows], [key]))).toEqual([['3', 'CHANGED']]);
  });

  it('reports a deleted row as MISSING at the row after it, and the chain’s first row too', async () => {
    const rows = chain(5);
    expect(kinds(await verifyAccessLogChain([rows.filter((r) => r.id !== '3')], [key]))).toEqual([['4', 'MISSING']]);
    const report = await verifyAccessLogChain([rows.slice(1)], [key]);
    expect(kinds(report)).toEqual([['2', 'MISSING']]);
    expect(report.problems[0]!.message).toMatch(/first row of the chain/);
  });

  it('takes a gap in ids with the links intact for what it is: an insert that was rolled back', async () => {
    // Ids 1, 2, 5, 6: the sequence skipped 3 and 4, but every row links to the one before it.
    const rows = chain(4).map((r) => ({ ...r }));
    let prevHash = GENESIS_HASH;
    for (const [i, row] of rows.entries()) {
      row.id = String([1, 2, 5, 6][i]);
      row.prevHash = prevHash;
      row.hash = rowHash(key, row);
      prevHash = row.hash;
    }
    expect((await verifyAccessLogChain([rows], [key])).intact).toBe(true);
  });

  it('reports a forged row as UNKNOWN_KEY (another key) or CHANGED (our key id, made-up hash)', async () => {
    const rows = chain(3);
    const forged = (keyId: string): ChainRow => {
      const content = { ...rows[2]!, id: '4', subject: 'nobody', prevHash: rows[2]!.hash, keyId };
      return { ...content, hash: rowHash(otherKey, content) };
    };
    expect(kinds(await verifyAccessLogChain([[...rows, forged(otherKey.id)]], [key]))).toEqual([['4', 'UNKNOWN_KEY']]);
    expect(kinds(await verifyAccessLogChain([[...rows, forged(key.id)]], [key]))).toEqual([['4', 'CHANGED']]);
    // Rows of an earlier key verify when that key is given too (after a rotation).
    expect((await verifyAccessLogChain([[...rows, forged(otherKey.id)]], [key, otherKey])).intact).toBe(true);
  });

  it('reports rows moved to other ids as CHANGED (the hash covers the id), and the link they broke', async () => {
    const rows = chain(4, key, 10);
    const moved = [rows[0]!, rows[2]!, rows[1]!, rows[3]!].map((r, i) => ({ ...r, id: String(10 + i) }));
    const report = await verifyAccessLogChain([moved], [key]);
    expect(kinds(report)).toEqual([
      ['11', 'CHANGED'],
      ['12', 'CHANGED'],
      ['13', 'OUT_OF_ORDER'],
    ]);
  });

  it('counts rows from before the chain as unchained, and flags one written after it started', async () => {
    const legacy: ChainRow[] = [1, 2].map((id) => ({
      ...chain(1)[0]!,
      id: String(id),
      prevHash: null,
      hash: null,
      keyId: null,
    }));
    const rows = chain(3, key, 3);
    const report = await verifyAccessLogChain([[...legacy, ...rows]], [key]);
    expect(report).toMatchObject({ intact: true, rowsChecked: 5, unchainedRows: 2, headId: '5' });
    const late = { ...legacy[0]!, id: '6' };
    expect(kinds(await verifyAccessLogChain([[...legacy, ...rows, late]], [key]))).toEqual([['6', 'UNCHAINED']]);
  });

  it('checks recorded heads (anchors): removing the newest rows shows only against them', async () => {
    const rows = chain(6);
    const truncated = rows.slice(0, 4);
    expect((await verifyAccessLogChain([truncated], [key])).intact).toBe(true);
    const report = await verifyAccessLogChain([truncated], [key], { anchors: [{ id: '6', hash: rows[5]!.hash! }] });
    expect(kinds(report)).toEqual([['6', 'ANCHOR']]);
    const fine = await verifyAccessLogChain([rows], [key], { anchors: [{ id: '4', hash: rows[3]!.hash! }] });
    expect(fine.intact).toBe(true);
  });

  it('lists at most maxProblems problems but counts them all', async () => {
    const rows = chain(10).map((r) => ({ ...r, purpose: 'changed' }));
    const report = await verifyAccessLogChain([rows], [key], { maxProblems: 3 });
    expect(report.problemCount).toBe(10);
    expect(report.problems).toHaveLength(3);
  });
});

describe('AUDIT_LOG_KEY', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-graph-audit-key-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is at least 32 bytes of hex or base64', () => {
    const secret = randomBytes(32);
    expect(decodeAuditLogKey(secret.toString('hex'))).toEqual(secret);
    expect(decodeAuditLogKey(secret.toString('base64'))).toEqual(secret);
    expect(decodeAuditLogKey(secret.toString('base64url'))).toEqual(secret);
    expect(decodeAuditLogKey(randomBytes(16).toString('hex'))).toBe('must be at least 32 bytes, got 16');
    expect(decodeAuditLogKey('not a key!')).toBe('is neither hex nor base64');
    expect(auditLogKey(secret).id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is required in production, and never echoed in the problem', () => {
    const problems: string[] = [];
    expect(readAuditKeyring({ NODE_ENV: 'production', AUTH_DEV_KEYS_DIR: dir }, problems)).toBeUndefined();
    expect(problems).toEqual([expect.stringMatching(/^AUDIT_LOG_KEY .* is required with NODE_ENV=production/)]);
    const short: string[] = [];
    readAuditKeyring({ NODE_ENV: 'production', AUDIT_LOG_KEY: 'abcdef0123' }, short);
    expect(short).toEqual(['AUDIT_LOG_KEY must be at least 32 bytes, got 5']);
    const ok: string[] = [];
    const secret = randomBytes(32);
    const previous = randomBytes(48);
    const ring = readAuditKeyring(
      {
        NODE_ENV: 'production',
        AUDIT_LOG_KEY: secret.toString('base64'),
        AUDIT_LOG_PREVIOUS_KEYS: ` ${previous.toString('hex')} `,
      },
      ok,
    );
    expect(ok).toEqual([]);
    expect(ring!.current).toEqual(auditLogKey(secret));
    expect(ring!.all.map((k) => k.id)).toEqual([auditLogKey(secret).id, auditLogKey(previous).id]);
  });

  it('keeps the registry run alone from starting in production without it, beside the other problems', () => {
    const err = configErrorOf(() =>
      loadSubgraphConfig(registrySubgraph, { NODE_ENV: 'production', DATABASE_URL: 'postgres://registry@db/measures' }),
    );
    expect(err.problems).toContainEqual(
      expect.stringMatching(/^AUDIT_LOG_KEY .* is required with NODE_ENV=production/),
    );
    expect(err.problems).toContainEqual(expect.stringMatching(/^AUTH_JWKS_URL/));
  });

  it('is made at the first development start beside the signing key (mode 0600) and kept', () => {
    const env = { AUTH_DEV_KEYS_DIR: path.join(dir, 'dev-auth') };
    const file = path.join(env.AUTH_DEV_KEYS_DIR, DEV_AUDIT_KEY_FILE);
    const readOnly: string[] = [];
    expect(readAuditKeyring(env, readOnly, { create: false })).toBeUndefined();
    expect(readOnly[0]).toMatch(/does not exist/);
    const problems: string[] = [];
    const first = readAuditKeyring(env, problems)!;
    expect(problems).toEqual([]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readAuditKeyring(env, problems, { create: false })!.current).toEqual(first.current);
    fs.chmodSync(file, 0o644);
    const leaked: string[] = [];
    expect(readAuditKeyring(env, leaked)).toBeUndefined();
    expect(leaked).toEqual([expect.stringMatching(/readable by its owner only/)]);
  });
});

describe('the access log on a database', () => {
  const keys: AuditKeyring = { current: key, all: [key] };
  /** The keys the registry under test runs with (undefined: as without AUDIT_LOG_KEY). */
  let activeKeys: AuditKeyring | undefined = keys;
  let registry: SubgraphUnderTest;
  let store: AccessLogStore;
  const persons = generatePersons().slice(0, 6);
  const caller = {
    principal: {
      subject: 'caseworker-7',
      clientId: 'bi-portal',
      scopes: new Set([SCOPES.personsRead, SCOPES.personIdentify]),
    },
    purpose: 'appeal review AC-42',
  };
  const read = (id: string) =>
    registry.execute<{ person: { nationalNumber: string } }>(
      'query ($id: ID!) { person(id: $id) { nationalNumber } }',
      { id },
      caller,
    );
  const superuser = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: (registry.dataSource.options as { url: string }).url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      // The embedded database has one session behind every connection: leave no setting behind.
      await client.query('RESET session_replication_role');
      await client.end();
    }
  };

  beforeAll(async () => {
    registry = await startSubgraphForTest({
      ...registrySubgraph,
      createLoaders: (ds) => registrySubgraph.createLoaders(ds, activeKeys),
    });
    store = new AccessLogStore(registry.dataSource, keys);
  });
  afterAll(() => registry?.stop());

  it('hands out no national number when the registry has no key (nothing could be logged)', async () => {
    activeKeys = undefined;
    try {
      const res = await read(persons[0]!.id);
      expect(res.data!.person.nationalNumber).toBeNull();
      expect(res.errors![0]!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
      const verification = await registry.execute('{ personalDataAccessLogVerification { intact } }');
      expect(verification.errors![0]!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      activeKeys = keys;
    }
    const [{ n }] = await registry.dataSource.query('SELECT count(*)::int AS n FROM registry.personal_data_access');
    expect(n).toBe(0);
  });

  it('chains rows written concurrently, one request after another, into one intact chain', async () => {
    const results = await Promise.all([...persons, ...persons].map((p) => read(p.id)));
    expect(
      results.every((r) => r.errors === undefined && /^\d\d\.\d\d\.\d\d-/.test(r.data!.person.nationalNumber)),
    ).toBe(true);
    // One request reading several persons: one append of several rows.
    const many = await registry.execute(
      `{ ${persons.map((p, i) => `p${i}: person(id: "${p.id}") { nationalNumber }`).join(' ')} }`,
      {},
      caller,
    );
    expect(many.errors).toBeUndefined();
    const report = await store.verify();
    expect(report).toMatchObject({ intact: true, rowsChecked: 18, unchainedRows: 0, problemCount: 0 });
    const [{ head }] = await registry.dataSource.query(
      'SELECT hash AS head FROM registry.personal_data_access ORDER BY id DESC LIMIT 1',
    );
    expect(report.headHash).toBe(head);
    // Batches of any size give the same answer.
    const { verifyAccessLogChain: verify } = await import('../src/parties/access-log-chain.ts');
    expect(await verify(store.chainRows(4), [key])).toEqual(report);
  });

  it('refuses UPDATE and DELETE even to a superuser in replica mode (the triggers fire ALWAYS)', async () => {
    await superuser(async (client) => {
      await client.query('SET session_replication_role = replica');
      await expect(client.query("UPDATE registry.personal_data_access SET purpose = 'nothing'")).rejects.toThrow(
        /append-only/,
      );
      await expect(client.query('DELETE FROM registry.personal_data_access')).rejects.toThrow(/append-only/);
      await expect(client.query('TRUNCATE registry.personal_data_access')).rejects.toThrow(/append-only/);
    });
    expect((await store.verify()).intact).toBe(true);
  });

  it('catches an UPDATE, a DELETE and forged inserts made by a superuser with the triggers disabled', async () => {
    const ids: string[] = (
      await registry.dataSource.query('SELECT id::text FROM registry.personal_data_access ORDER BY id')
    ).map((r: { id: string }) => r.id);
    const [changed, deleted, afterDeleted] = [ids[3]!, ids[7]!, ids[8]!];
    const forged = await superuser(async (client) => {
      await client.query('ALTER TABLE registry.personal_data_access DISABLE TRIGGER ALL');
      try {
        await client.query("UPDATE registry.personal_data_access SET purpose = 'curiosity' WHERE id = $1", [changed]);
        await client.query('DELETE FROM registry.personal_data_access WHERE id = $1', [deleted]);
        // A row made up with a key of the forger's own, linked to the real head.
        const made = await client.query(
          `INSERT INTO registry.personal_data_access (subject, person_id, field, purpose, prev_hash, hash, key_id)
           SELECT 'caseworker-7', $1, 'Person.nationalNumber', 'appeal review AC-42',
                  (SELECT hash FROM registry.personal_data_access ORDER BY id DESC LIMIT 1), repeat('ab', 32), $2
           RETURNING id::text`,
          [persons[0]!.id, otherKey.id],
        );
        // One with the registry's key id, and one without a hash (the constraint dropped first).
        const copied = await client.query(
          `INSERT INTO registry.personal_data_access (subject, person_id, field, purpose, prev_hash, hash, key_id)
           VALUES ('caseworker-7', $1, 'Person.nationalNumber', 'appeal review AC-42', $2, repeat('cd', 32), $3)
           RETURNING id::text`,
          [persons[1]!.id, '0'.repeat(64), key.id],
        );
        await client.query('ALTER TABLE registry.personal_data_access DROP CONSTRAINT personal_data_access_chained');
        const bare = await client.query(
          `INSERT INTO registry.personal_data_access (subject, person_id, field, purpose)
           VALUES ('caseworker-7', $1, 'Person.nationalNumber', 'appeal review AC-42') RETURNING id::text`,
          [persons[2]!.id],
        );
        return { made: made.rows[0].id, copied: copied.rows[0].id, bare: bare.rows[0].id };
      } finally {
        await client.query(
          'ALTER TABLE registry.personal_data_access ENABLE ALWAYS TRIGGER personal_data_access_no_change',
        );
        await client.query(
          'ALTER TABLE registry.personal_data_access ENABLE ALWAYS TRIGGER personal_data_access_no_truncate',
        );
      }
    });
    // The registry goes on appending after the forgeries: its rows link to the newest chained row.
    expect((await read(persons[3]!.id)).errors).toBeUndefined();

    const report = await store.verify();
    expect(report.intact).toBe(false);
    expect(kinds(report)).toEqual([
      [changed, 'CHANGED'],
      [afterDeleted, 'MISSING'],
      [forged.made, 'UNKNOWN_KEY'],
      [forged.copied, 'CHANGED'],
      [forged.bare, 'UNCHAINED'],
    ]);
    expect(report.problems[1]!.message).toContain(`id ${deleted} is missing`);
    expect(report.rowsChecked).toBe(ids.length - 1 + 3 + 1);
  });

  // Roles are a PostgreSQL server's: the embedded database has one superuser and nothing to give
  // away, so this case belongs to the server run of the suite (CI runs both) and is not defined here.
  const onServer = process.env.DATABASE_URL ? it : () => undefined;
  onServer('gives the log to an owner role where it may: the service role keeps SELECT and INSERT only', async () => {
    const suffix = randomBytes(4).toString('hex');
    const role = `measure_graph_test_service_${suffix}`;
    const database = `measure_graph_test_roles_${suffix}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN CREATEROLE`);
      await admin.query(`CREATE DATABASE ${database} OWNER ${role}`);
      const url = new URL(process.env.DATABASE_URL!);
      url.username = role;
      url.password = '';
      url.pathname = `/${database}`;
      const ds = createDataSource({
        url: url.toString(),
        schema: 'registry',
        migrations: registrySubgraph.migrations,
      });
      try {
        await openAndMigrate(ds, 'registry');
        const owners = await ds.query(
          `SELECT pg_get_userbyid(relowner) AS owner FROM pg_class
              WHERE oid IN ('registry.personal_data_access'::regclass,
                            pg_get_serial_sequence('registry.personal_data_access', 'id')::regclass)`,
        );
        expect(owners).toEqual([{ owner: AUDIT_OWNER_ROLE }, { owner: AUDIT_OWNER_ROLE }]);
        const [rights] = await ds.query(
          `SELECT has_table_privilege('registry.personal_data_access', 'SELECT') AS "select",
                    has_table_privilege('registry.personal_data_access', 'INSERT') AS "insert",
                    has_table_privilege('registry.personal_data_access', 'UPDATE') AS "update",
                    has_table_privilege('registry.personal_data_access', 'DELETE') AS "delete",
                    has_table_privilege('registry.personal_data_access', 'TRUNCATE') AS "truncate",
                    pg_has_role('${AUDIT_OWNER_ROLE}', 'MEMBER') AS member`,
        );
        expect(rights).toEqual({
          select: true,
          insert: true,
          update: false,
          delete: false,
          truncate: false,
          member: false,
        });
        await expect(ds.query('ALTER TABLE registry.personal_data_access DISABLE TRIGGER ALL')).rejects.toThrow(
          /must be owner/,
        );
        await expect(ds.query("UPDATE registry.personal_data_access SET purpose = 'x'")).rejects.toThrow(
          /permission denied/,
        );
        // The service still appends (and verifies) through its sequence and INSERT rights.
        await ds.query("INSERT INTO registry.province (code, name) VALUES ('VAN', 'Antwerpen')");
        await ds.query(
          `INSERT INTO registry.person VALUES ('P1', '85073000123', 'An', 'Peeters', '1985-07-30', 'VAN')`,
        );
        const own = new AccessLogStore(ds, keys);
        const entry = {
          subject: 's',
          clientId: null,
          personId: 'P1',
          field: 'Person.nationalNumber',
          purpose: 'audit test',
          requestId: null,
        };
        await own.append([entry, entry]);
        await own.append([entry]);
        expect(await own.verify()).toMatchObject({ intact: true, rowsChecked: 3 });
      } finally {
        await ds.destroy();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  });
});
