import { publishedMeasures } from '@measure-graph/db';
import { isValidInsz, isValidKbo } from '@measure-graph/subgraph-platform';
import { catalogueMeasureCount, startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrganisations, generatePersons, SEEDED_ORGANISATIONS, seedDemoData } from '@measure-graph/demo-data';
import { registrySubgraph } from '../src/subgraph.ts';

let registry: SubgraphUnderTest;
beforeAll(async () => {
  registry = await startSubgraphForTest(registrySubgraph);
});
afterAll(() => registry?.stop());

describe('measure catalogue', () => {
  it('lists every measure of the catalogue in report order, each with its domain type', async () => {
    const { data, errors } = await registry.execute<{
      measures: Array<{ __typename: string; code: string; name: string }>;
    }>('{ measures { __typename code name } }');
    expect(errors).toBeUndefined();
    const published = publishedMeasures();
    expect(data!.measures.map((m) => m.code)).toEqual(published.map((m) => m.code));
    expect(data!.measures.find((m) => m.code === 'LDE')).toEqual({
      __typename: 'SocialEconomyMeasure',
      code: 'LDE',
      name: 'Lokale diensteneconomie',
    });
    expect(data!.measures.find((m) => m.code === 'ADMIN_GELDBOETES')?.__typename).toBe('InspectionMeasure');
  });

  it('filters by domain and status', async () => {
    const { data } = await registry.execute<{ measures: Array<{ code: string; domain: string; status: string }> }>(
      '{ measures(domain: SOCIAL_ECONOMY, status: PHASING_OUT) { code domain status } }',
    );
    const expected = publishedMeasures()
      .filter((m) => m.domain === 'social-economy' && m.status === 'phasing-out')
      .map((m) => m.code);
    expect(expected.length).toBeGreaterThan(0);
    expect(data!.measures.map((m) => m.code)).toEqual(expected);
  });

  it('gives the catalogue fields of one measure', async () => {
    const { data } = await registry.execute(
      '{ measure(code: "VOP") { code name domain status policyField objective { code } budgetArticle reportSection } }',
    );
    expect(data!.measure).toEqual({
      code: 'VOP',
      name: 'Vlaamse ondersteuningspremie',
      domain: 'ACTIVATION',
      status: 'ACTIVE',
      policyField: 'WORK',
      objective: { code: 'OD VI 1.1' },
      budgetArticle: 'JB0-1JDB2CB-WT',
      reportSection: '9.1.1.1',
    });
  });

  it('answers an unknown code with NOT_FOUND', async () => {
    const { data, errors } = await registry.execute('{ measure(code: "NOPE") { code } }');
    expect(data!.measure).toBeNull();
    expect(errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'code', value: 'NOPE' });
  });

  it('resolves measure references for the gateway, null for unknown codes', async () => {
    const { data } = await registry.execute<{ _entities: Array<{ name: string } | null> }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Measure { name } } }`,
      {
        r: [
          { __typename: 'CompetencesMeasure', code: 'BEV' },
          { __typename: 'ActivationMeasure', code: 'NOPE' },
        ],
      },
    );
    expect(data!._entities).toEqual([{ name: 'Betaald educatief verlof' }, null]);
  });

  it('is idempotent: seeding again changes nothing', async () => {
    await registrySubgraph.seedReference!(registry.dataSource);
    await seedDemoData('registry', registry.dataSource, 'small');
    const [{ count }] = await registry.dataSource.query('SELECT count(*)::int AS count FROM registry.measure');
    expect(count).toBe(catalogueMeasureCount());
  });
});

describe('organisations and persons', () => {
  it('seeds deterministic organisations with valid, unique KBO numbers', async () => {
    const orgs = generateOrganisations();
    expect(generateOrganisations()).toEqual(orgs);
    expect(orgs).toHaveLength(SEEDED_ORGANISATIONS);
    expect(orgs.every((o) => isValidKbo(o.kboNumber))).toBe(true);
    expect(new Set(orgs.map((o) => o.kboNumber)).size).toBe(orgs.length);
    const persons = generatePersons();
    expect(persons.every((p) => isValidInsz(p.insz))).toBe(true);
    expect(new Set(persons.map((p) => p.id)).size).toBe(persons.length);
  });

  it('finds an organisation by KBO number written with separators', async () => {
    const org = generateOrganisations()[0]!;
    const dotted = `${org.kboNumber.slice(0, 4)}.${org.kboNumber.slice(4, 7)}.${org.kboNumber.slice(7)}`;
    const { data } = await registry.execute(
      'query ($k: ID!) { organisation(kboNumber: $k) { kboNumber name province { code } } }',
      {
        k: dotted,
      },
    );
    expect(data!.organisation).toEqual({
      kboNumber: org.kboNumber,
      name: org.name,
      province: { code: org.provinceCode },
    });
  });

  it('rejects a KBO number with a bad check digit as BAD_USER_INPUT, an unknown valid one as NOT_FOUND', async () => {
    const bad = await registry.execute('{ organisation(kboNumber: "0316381038") { name } }');
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'kboNumber' });
    const unknown = await registry.execute('{ organisation(kboNumber: "0316381039") { name } }');
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('resolves a person and never exposes the national number', async () => {
    const person = generatePersons()[0]!;
    const { data } = await registry.execute(
      'query ($id: ID!) { person(id: $id) { id givenName familyName province { name } } }',
      {
        id: person.id,
      },
    );
    expect(data!.person).toMatchObject({ id: person.id, givenName: person.givenName, familyName: person.familyName });
    const leak = await registry.execute('query ($id: ID!) { person(id: $id) { insz } }', { id: person.id });
    expect(leak.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});

describe('parties for the domains’ commands (internal fields)', () => {
  const KNOWN = `query ($k: [ID!], $p: [ID!]) { _knownParties(kboNumbers: $k, personIds: $p) { kboNumbers personIds } }`;
  const RESOLVE = 'query ($insz: ID!) { _resolveInsz(insz: $insz) }';
  const scopes = (...list: string[]) => ({ principal: { subject: 'domain-test', scopes: new Set(list) } });

  it('tells which organisations and persons exist, in one statement, to an authenticated caller', async () => {
    const [org] = generateOrganisations();
    const [person] = generatePersons();
    const variables = { k: [org!.kboNumber, '0316381039', org!.kboNumber], p: [person!.id, 'prs_nobody'] };
    const { result, statements } = await registry.countStatements(() => registry.execute(KNOWN, variables, scopes()));
    expect(result.errors).toBeUndefined();
    expect(result.data!._knownParties).toEqual({ kboNumbers: [org!.kboNumber], personIds: [person!.id] });
    expect(statements).toBe(1);
    const anonymous = await registry.execute(KNOWN, variables, { principal: null });
    expect(anonymous.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const tooMany = await registry.execute(KNOWN, { k: Array.from({ length: 1001 }, (_, i) => String(i)) }, scopes());
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('resolves a national number only with person:identify and a purpose, and never without logging it', async () => {
    const person = generatePersons()[2]!;
    const noScope = await registry.execute(RESOLVE, { insz: person.insz }, { ...scopes(), purpose: 'test' });
    expect(noScope.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'person:identify' });
    const noPurpose = await registry.execute(RESOLVE, { insz: person.insz }, scopes('person:identify'));
    expect(noPurpose.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const invalid = await registry.execute(
      RESOLVE,
      { insz: '85073003300' },
      { ...scopes('person:identify'), purpose: 'dossier submission (test)' },
    );
    expect(invalid.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'insz' });
    expect(JSON.stringify(invalid.errors)).not.toContain('85073003300');
    const caller = { ...scopes('person:identify'), purpose: 'dossier submission (test)' };
    const unknown = await registry.execute(RESOLVE, { insz: '31020399961' }, caller);
    expect(unknown).toEqual({ data: { _resolveInsz: null } });
    // This registry has no access-log key: a match cannot be logged, so no id leaves it.
    const unlogged = await registry.execute(RESOLVE, { insz: person.insz }, caller);
    expect(unlogged.data!._resolveInsz).toBeNull();
    expect(unlogged.errors![0]!.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
