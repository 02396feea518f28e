import { showcaseEmployer, showcasePerson } from '@measure-graph/demo-data';
import { createEphemeralKeys, SCOPES } from '@measure-graph/auth';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestStack, type GraphQLResponse, type TestStack } from '../support/stack.ts';

/**
 * Identity through the gateway and at every subgraph: tokens verified (signature, issuer,
 * audience, expiry with clock skew), scopes per field, masked national numbers and the
 * personal-data access log.
 */
let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(() => graph?.stop());

const person = showcasePerson();
const employer = showcaseEmployer();
const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
const as = async (scopes: readonly string[], extra: Record<string, string> = {}, subject = 'alice') => ({
  authorization: `Bearer ${await graph.token({ scopes, subject, clientId: 'bi-portal' })}`,
  ...extra,
});
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

const MIXED = `{
  measures(domain: SOCIAL_ECONOMY) { code }
  measure(code: "VOP") { name budget(year: 2020) { vekRealised } dossiers(first: 2) { totalCount } }
}`;

describe('tokens at the gateway', () => {
  it('without a token: public figures are served, protected fields are UNAUTHENTICATED at their path', async () => {
    const res = await graph.post(body(MIXED), { authorization: '' });
    expect(res.status).toBe(200);
    expect(res.data!.measures.length).toBeGreaterThan(0);
    expect(res.data!.measure).toMatchObject({ name: expect.any(String), budget: { vekRealised: expect.any(String) } });
    expect(res.data!.measure.dossiers).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['measure', 'dossiers'],
      extensions: { code: 'UNAUTHENTICATED', scope: SCOPES.dossiersRead },
    });
  });

  const refused: Array<[string, () => Promise<string>, RegExp]> = [
    ['forged (signed by another key)', () => graph.token({ keys: createEphemeralKeys() }), /not valid/],
    ['expired beyond the clock skew', () => graph.token({ ttlSeconds: -120 }), /expired/],
    ['for another audience', () => graph.token({ audience: 'another-api' }), /"aud"/],
    ['from another issuer', () => graph.token({ issuer: 'https://evil.example' }), /"iss"/],
    ['tampered (scope added after signing)', async () => tamper(await graph.token({ scopes: [] })), /not valid/],
    ['10-year', () => graph.token({ ttlSeconds: 10 * 365 * 86_400 }), /lives longer than 86400 s/],
    [
      'issued an hour in the future',
      () => graph.token({ issuedAtOffsetSeconds: 3600 }),
      /"iat" claim is in the future/,
    ],
  ];
  it.each(refused)('a %s token is refused with 401 UNAUTHENTICATED before anything runs', async (_, make, why) => {
    const res = await graph.post(body('{ provinces { code } }'), { authorization: `Bearer ${await make()}` });
    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(res.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(res.errors![0]!.message).toMatch(why);
  });

  it('a malformed Authorization header is refused with a challenge', async () => {
    const res = await fetch(graph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' },
      body: body('{ provinces { code } }'),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    // A reason that quotes a claim stays one quoted-string in the challenge.
    const foreign = await fetch(graph.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await graph.token({ audience: 'another-api' })}`,
      },
      body: body('{ provinces { code } }'),
    });
    expect(foreign.headers.get('www-authenticate')).toBe(
      `Bearer error="invalid_token", error_description="The access token's 'aud' claim is not accepted"`,
    );
  });

  it('accepts a token that expired within the configured clock skew (30 s)', async () => {
    const res = await graph.post(body('{ provinces { code } }'), {
      authorization: `Bearer ${await graph.token({ ttlSeconds: -10 })}`,
    });
    expect(res.status).toBe(200);
    expect(res.data!.provinces).toHaveLength(6);
  });
});

describe('scopes per field', () => {
  it('a valid token without the scope: FORBIDDEN on that field, the rest served', async () => {
    const res = await graph.post(body(MIXED), await as([SCOPES.personsRead]));
    expect(res.status).toBe(200);
    expect(res.data!.measure.name).toEqual(expect.any(String));
    expect(res.data!.measure.dossiers).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['measure', 'dossiers'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN', scope: 'dossiers:read' }),
      }),
    ]);
    const allowed = await graph.post(body(MIXED), await as([SCOPES.dossiersRead]));
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.measure.dossiers.totalCount).toBeGreaterThan(0);
  });

  it('each domain checks its own fields of one employer: only what the token allows comes back', async () => {
    const query = `query ($kbo: ID!) { organisation(kboNumber: $kbo) {
      name
      activationDossiers(first: 1) { totalCount }
      contingents { fte }
      inspections(first: 1) { totalCount }
      socialEconomy { sector contingentOn(day: "2020-06-30") }
    } }`;
    const res = await graph.post(body(query, { kbo: employer.kboNumber }), await as([SCOPES.inspectionsRead]));
    const org = res.data!.organisation;
    expect(org.name).toEqual(expect.any(String));
    expect(org.inspections.totalCount).toBeGreaterThanOrEqual(0);
    expect(org.socialEconomy.sector).toBe('BW');
    expect([org.activationDossiers, org.contingents, org.socialEconomy.contingentOn]).toEqual([null, null, null]);
    expect((res.errors ?? []).map((e) => [e.path!.join('.'), e.extensions!.code, e.extensions!.scope]).sort()).toEqual([
      ['organisation.activationDossiers', 'FORBIDDEN', 'dossiers:read'],
      ['organisation.contingents', 'FORBIDDEN', 'contingents:read'],
      ['organisation.socialEconomy.contingentOn', 'FORBIDDEN', 'contingents:read'],
    ]);
  });

  it('mutations need the write scope of their own domain', async () => {
    const mutation = `mutation ($input: RecordInspectionInput!) {
      inspection { recordInspection(input: $input) { id } }
    }`;
    const input = {
      kbo: employer.kboNumber,
      domainCode: 'SOCIAL_ECONOMY',
      inspectedOn: '2020-05-04',
      kind: 'ROUTINE',
      unit: 'VSI',
      idempotencyKey: 'auth-e2e-1',
    };
    const reader = await graph.post(
      body(mutation, { input }),
      await as([SCOPES.inspectionsRead, SCOPES.activationWrite]),
    );
    expect(reader.data).toEqual({ inspection: null });
    expect(reader.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'inspection:write' });
    const anonymous = await graph.post(body(mutation, { input }), { authorization: '' });
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('timelines mix the domains’ objects', () => {
  it('show another scope’s objects (inspections, contingents, employments) only to callers holding it', async () => {
    const query = `query ($kbo: ID!, $id: ID!) {
      organisation(kboNumber: $kbo) { timeline { domain type } }
      person(id: $id) { timeline { domain type } } }`;
    const variables = { kbo: employer.kboNumber, id: person.id };
    const types = (res: GraphQLResponse) => ({
      organisation: new Set<string>(res.data!.organisation.timeline.map((e: { type: string }) => e.type)),
      person: new Set<string>(res.data!.person.timeline.map((e: { type: string }) => e.type)),
    });
    const everything = types(await graph.post(body(query, variables)));
    expect(everything.organisation).toContain('INSPECTED');
    expect([...everything.organisation].some((t) => t.startsWith('CONTINGENT_'))).toBe(true);
    expect(everything.person).toContain('EMPLOYMENT_STARTED');

    const dossiersOnly = await graph.post(body(query, variables), await as([SCOPES.dossiersRead, SCOPES.personsRead]));
    expect(dossiersOnly.errors).toBeUndefined();
    const limited = types(dossiersOnly);
    expect(limited.organisation).not.toContain('INSPECTED');
    expect([...limited.organisation].some((t) => t.startsWith('CONTINGENT_'))).toBe(false);
    expect(limited.person).toContain('EMPLOYMENT_STARTED');
    const noPersons = await graph.post(body(query, variables), await as([SCOPES.dossiersRead]));
    expect(noPersons.data!.person).toBeNull();
    expect(codes(noPersons)).toEqual(['FORBIDDEN']);
  });
});

describe('a subgraph reached directly, with the gateway credential (tests/e2e/subgraph-access.e2e.ts: without)', () => {
  const gateway = () => ({ 'x-gateway-credential': graph.subgraphSecret });
  it('refuses a dossier asked for by reference without dossiers:read', async () => {
    const [{ id }] = (await graph.data(`{ measure(code: "MAATWERK") { dossiers(first: 1) { nodes { id } } } }`)).measure
      .dossiers.nodes;
    const res = await post(
      graph.stack.subgraphs.find((s) => s.name === 'social-economy')!.url,
      body(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on SocialEconomyDossier { id status } } }`, {
        r: [{ __typename: 'SocialEconomyDossier', id }],
      }),
      gateway(),
    );
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data ?? null).toBeNull();
  });

  const subgraphUrl = (name: string) => graph.stack.subgraphs.find((s) => s.name === name)!.url;
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
    ... on Organisation { activationDossiers(first: 1) { totalCount } } } }`;
  const variables = () => ({ r: [{ __typename: 'Organisation', kboNumber: employer.kboNumber }] });

  it('without a token refuses protected data', async () => {
    const res = await post(subgraphUrl('activation'), body(ENTITIES, variables()), gateway());
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data!._entities[0].activationDossiers).toBeNull();
  });

  it('with a forged token answers 401, with a valid one it serves', async () => {
    const forged = await graph.token({ keys: createEphemeralKeys() });
    const refused = await post(subgraphUrl('activation'), body(ENTITIES, variables()), {
      ...gateway(),
      authorization: `Bearer ${forged}`,
    });
    expect(refused.status).toBe(401);
    expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
    const served = await post(subgraphUrl('activation'), body(ENTITIES, variables()), {
      ...gateway(),
      authorization: `Bearer ${graph.allScopesToken}`,
    });
    expect(served.errors).toBeUndefined();
    expect(served.data!._entities[0].activationDossiers.totalCount).toBeGreaterThanOrEqual(0);
  });
});

describe('national numbers (INSZ)', () => {
  const QUERY = `query ($id: ID!) { person(id: $id) { id givenName nationalNumber } }`;
  const formatted = `${person.insz.slice(0, 2)}.${person.insz.slice(2, 4)}.${person.insz.slice(4, 6)}-${person.insz.slice(6, 9)}.${person.insz.slice(9)}`;
  const LOG = `query ($id: ID) { personalDataAccessLog(personId: $id, first: 10) {
    nodes { subject clientId personId field purpose requestId at } pageInfo { hasNextPage } } }`;

  it('are masked without person:identify, and nothing is logged', async () => {
    const res = await graph.post(body(QUERY, { id: person.id }), await as([SCOPES.personsRead], { 'x-purpose': 'x' }));
    expect(res.errors).toBeUndefined();
    expect(res.data!.person).toMatchObject({ givenName: person.givenName, nationalNumber: '**.**.**-***.**' });
    expect(res.text).not.toContain(person.insz.slice(0, 6));
  });

  it('need a stated purpose even with person:identify', async () => {
    const res = await graph.post(body(QUERY, { id: person.id }), await as([SCOPES.personsRead, SCOPES.personIdentify]));
    expect(res.data!.person.givenName).toBe(person.givenName);
    expect(res.data!.person.nationalNumber).toBeNull();
    expect(res.errors![0]).toMatchObject({ path: ['person', 'nationalNumber'], extensions: { code: 'FORBIDDEN' } });
    expect(res.errors![0]!.message).toMatch(/x-purpose/);
  });

  it('are shown with scope and purpose, and every read is in the access log, never the number', async () => {
    const headers = await as(
      [SCOPES.personsRead, SCOPES.personIdentify],
      { 'x-purpose': 'appeal review dossier AC-42', 'x-request-id': 'auth-e2e-read-1' },
      'caseworker-7',
    );
    const res = await graph.post(body(QUERY, { id: person.id }), headers);
    expect(res.errors).toBeUndefined();
    expect(res.data!.person.nationalNumber).toBe(formatted);

    const withoutAudit = await graph.post(body(LOG, { id: person.id }), await as([SCOPES.personsRead]));
    expect(withoutAudit.data!.personalDataAccessLog).toBeNull();
    expect(codes(withoutAudit)).toEqual(['FORBIDDEN']);

    const log = await graph.post(body(LOG, { id: person.id }), await as([SCOPES.auditRead], {}, 'auditor'));
    expect(log.errors).toBeUndefined();
    const entries = log.data!.personalDataAccessLog.nodes;
    expect(entries).toEqual([
      {
        subject: 'caseworker-7',
        clientId: 'bi-portal',
        personId: person.id,
        field: 'Person.nationalNumber',
        purpose: 'appeal review dossier AC-42',
        requestId: 'auth-e2e-read-1',
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
    ]);
    expect(log.text).not.toContain(person.insz);
  });

  it('the access log is append-only, even for the database user of the service', async () => {
    const client = new pg.Client({ connectionString: graph.database.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM registry.personal_data_access');
      expect(rows[0].n).toBeGreaterThan(0);
      await expect(client.query("UPDATE registry.personal_data_access SET purpose = 'nothing'")).rejects.toThrow(
        /append-only/,
      );
      await expect(client.query('DELETE FROM registry.personal_data_access')).rejects.toThrow(/append-only/);
      await expect(client.query('TRUNCATE registry.personal_data_access')).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});

/** A token whose payload was rewritten after signing (every scope added). */
function tamper(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  claims.scope = Object.values(SCOPES).join(' ');
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}
