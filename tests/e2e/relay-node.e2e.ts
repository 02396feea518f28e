import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '@measure-graph/auth';
import { startTestStack, type GraphQLResponse, type TestStack } from '../support/stack.ts';

/**
 * Relay's Node through the gateway: every global id the graph gives (Measure.id, Organisation.id,
 * Person.id, a dossier's id) gives the object back through Query.node(id), with the scopes of the
 * direct fields. See docs/architecture.md, "Relay".
 */

let graph: TestStack;
beforeAll(async () => {
  graph = await startTestStack();
}, 300_000);
afterAll(() => graph?.stop());

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

type Applicant = { __typename: string; id: string; kboNumber?: string };
interface DossierNode {
  __typename: string;
  id: string;
  status: string;
  measureCode: string;
  applicant: Applicant;
}

/** The first dossiers of each domain (allDossiers filtered by domain), with their applicants. */
async function dossiersOf(domain: string): Promise<DossierNode[]> {
  const { allDossiers } = await graph.data<{ allDossiers: { nodes: DossierNode[] } }>(
    `query ($domain: Domain!) { allDossiers(first: 5, filter: { domains: [$domain] }) { nodes {
        __typename id status measureCode
        applicant { __typename ... on Organisation { id kboNumber } ... on Person { id } } } } }`,
    { domain },
  );
  return allDossiers.nodes;
}

const NODE = `query ($id: ID!) { node(id: $id) { __typename id
  ... on Measure { code }
  ... on Organisation { kboNumber }
  ... on Person { givenName }
  ... on Dossier { status measureCode } } }`;

describe('Query.node', () => {
  it('gives back a measure of each domain by the id its list gives', async () => {
    const { measures } = await graph.data<{
      measures: Array<{ __typename: string; id: string; code: string; domain: string }>;
    }>('{ measures { __typename id code domain } }');
    const oneOfEach = [...new Map(measures.map((m) => [m.domain, m])).values()];
    expect(oneOfEach.map((m) => m.domain).sort()).toEqual([
      'ACTIVATION',
      'COMPETENCES',
      'INSPECTION',
      'SOCIAL_ECONOMY',
    ]);
    expect(new Set(measures.map((m) => m.id)).size).toBe(measures.length);
    for (const measure of oneOfEach) {
      expect(measure.id).not.toContain(measure.code); // opaque
      const { node } = await graph.data<{ node: unknown }>(NODE, { id: measure.id });
      expect(node, measure.code).toEqual({ __typename: measure.__typename, id: measure.id, code: measure.code });
      // A domain's module field through node: the gateway completes the measure from its domain.
      const res = await graph.data<{ node: { norms: unknown[] | null } }>(
        'query ($id: ID!) { node(id: $id) { ... on Measure { norms { label } } } }',
        { id: measure.id },
      );
      expect(Array.isArray(res.node.norms), measure.code).toBe(true);
    }
  });

  it('gives the same Measure.id and Organisation.id whichever subgraph produced the object', async () => {
    const { measures } = await graph.data<{ measures: Array<{ id: string; code: string }> }>(
      '{ measures { id code } }',
    );
    const byCode = new Map(measures.map((m) => [m.code, m.id]));
    // Inspection returns the measures of its table itself (references of every domain).
    const { vsiTable } = await graph.data<{
      vsiTable: { rows: Array<{ measure: { id: string; code: string } | null }> };
    }>('{ vsiTable(year: 2020) { rows { measure { ... on Measure { id code } } } } }');
    const inspected = vsiTable.rows.flatMap((r) => (r.measure ? [r.measure] : []));
    expect(inspected.length).toBeGreaterThan(0);
    for (const m of inspected) expect(m.id, m.code).toBe(byCode.get(m.code));
    // A domain returns the applicant organisation of a dossier; the registry returns it by KBO number.
    const organisations = (await dossiersOf('ACTIVATION'))
      .map((d) => d.applicant)
      .filter((a) => a.__typename === 'Organisation');
    expect(organisations.length).toBeGreaterThan(0);
    for (const o of organisations) {
      const { organisation } = await graph.data<{ organisation: { id: string } }>(
        'query ($kbo: ID!) { organisation(kboNumber: $kbo) { id } }',
        { kbo: o.kboNumber },
      );
      expect(o.id).toBe(organisation.id);
    }
  });

  it('gives back an organisation and a person', async () => {
    const applicants = [...(await dossiersOf('ACTIVATION')), ...(await dossiersOf('SOCIAL_ECONOMY'))].map(
      (d) => d.applicant,
    );
    const organisation = applicants.find((a) => a.__typename === 'Organisation')!;
    const { node: byOrganisation } = await graph.data<{ node: unknown }>(NODE, { id: organisation.id });
    expect(byOrganisation).toEqual(organisation);

    const { allDossiers } = await graph.data<{ allDossiers: { nodes: Array<{ applicant: Applicant }> } }>(
      '{ allDossiers(first: 200) { nodes { applicant { __typename ... on Person { id } } } } }',
    );
    const person = allDossiers.nodes.map((d) => d.applicant).find((a) => a.__typename === 'Person')!;
    expect(person).toBeDefined();
    const { person: direct } = await graph.data<{ person: { id: string; givenName: string } }>(
      'query ($id: ID!) { person(id: $id) { id givenName } }',
      { id: person.id },
    );
    const { node: byPerson } = await graph.data<{ node: unknown }>(NODE, { id: person.id });
    expect(byPerson).toEqual({ __typename: 'Person', ...direct });
  });

  it('gives back dossiers of two domains, completed by their domain', async () => {
    for (const domain of ['ACTIVATION', 'COMPETENCES']) {
      const dossier = (await dossiersOf(domain))[0]!;
      const { node } = await graph.data<{ node: unknown }>(NODE, { id: dossier.id });
      expect(node, dossier.id).toEqual({
        __typename: dossier.__typename,
        id: dossier.id,
        status: dossier.status,
        measureCode: dossier.measureCode,
      });
    }
  });

  it('asks the scopes of the direct fields for persons and dossiers', async () => {
    const dossier = (await dossiersOf('ACTIVATION'))[0]!;
    const { allDossiers } = await graph.data<{ allDossiers: { nodes: Array<{ applicant: Applicant }> } }>(
      '{ allDossiers(first: 200) { nodes { applicant { __typename ... on Person { id } } } } }',
    );
    const person = allDossiers.nodes.map((d) => d.applicant).find((a) => a.__typename === 'Person')!;
    const ask = async (id: string, scopes: readonly string[], direct: string) => {
      const token = await graph.token({ scopes });
      const headers = { authorization: `Bearer ${token}` };
      const viaNode = await graph.post(
        JSON.stringify({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id } }),
        headers,
      );
      const viaField = await graph.post(JSON.stringify({ query: direct, variables: { id } }), headers);
      return { viaNode, viaField };
    };
    // Without dossiers:read, as Measure.dossier: FORBIDDEN and nothing.
    const noDossiers = await ask(
      dossier.id,
      [SCOPES.personsRead],
      `query ($id: ID!) { measure(code: "${dossier.measureCode}") { dossier(id: $id) { id } } }`,
    );
    expect(noDossiers.viaNode.data).toEqual({ node: null });
    expect(codes(noDossiers.viaNode)).toEqual(['FORBIDDEN']);
    expect(codes(noDossiers.viaField)).toEqual(['FORBIDDEN']);
    // Without persons:read, as Query.person: FORBIDDEN and nothing.
    const noPersons = await ask(person.id, [SCOPES.dossiersRead], 'query ($id: ID!) { person(id: $id) { id } }');
    expect(noPersons.viaNode.data).toEqual({ node: null });
    expect(codes(noPersons.viaNode)).toEqual(['FORBIDDEN']);
    expect(codes(noPersons.viaField)).toEqual(['FORBIDDEN']);
    // Measures and organisations need no scope, as measure(code:) and organisation(kboNumber:).
    const { measures } = await graph.data<{ measures: Array<{ id: string }> }>('{ measures { id } }');
    const token = await graph.token({ scopes: [] });
    const res = await graph.post(
      JSON.stringify({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id: measures[0]!.id } }),
      { authorization: `Bearer ${token}` },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ node: { id: measures[0]!.id } });
  });

  it('answers null without an error for an id of a known form that names nothing', async () => {
    for (const id of [
      base64url('Measure:NO_SUCH_MEASURE'),
      base64url('Organisation:0000000097'),
      'prs_nobody',
      'ACT-999999999',
      'SE-999999999',
    ]) {
      const res = await graph.query('query ($id: ID!) { node(id: $id) { id ... on Dossier { status } } }', { id });
      expect(res.errors, id).toBeUndefined();
      expect(res.data, id).toEqual({ node: null });
    }
  });

  it('refuses a malformed id with BAD_USER_INPUT', async () => {
    for (const id of [base64url('Frobnicator:12'), 'XYZ-12', 'has spaces in it', '']) {
      const res = await graph.query('query ($id: ID!) { node(id: $id) { id } }', { id });
      expect(codes(res), id).toEqual(['BAD_USER_INPUT']);
      expect(res.data?.node ?? null, id).toBeNull();
    }
  });
});

// Last: it stops a subgraph of the stack.
describe('Query.node with a domain down', () => {
  it('is null with SUBGRAPH_UNAVAILABLE at its path for that domain’s dossier; everything else is answered', async () => {
    const competences = (await dossiersOf('COMPETENCES'))[0]!;
    const activation = (await dossiersOf('ACTIVATION'))[0]!;
    const { measures } = await graph.data<{ measures: Array<{ id: string; code: string; domain: string }> }>(
      '{ measures { id code domain } }',
    );
    const measure = measures.find((m) => m.domain === 'COMPETENCES')!;
    await graph.stack.subgraphs.find((s) => s.name === 'competences')!.stop();

    const res = await graph.query(
      `query ($down: ID!, $up: ID!, $measure: ID!) {
        down: node(id: $down) { id ... on Dossier { status } }
        up: node(id: $up) { id ... on Dossier { status } }
        measure: node(id: $measure) { id ... on Measure { code name norms { label } } } }`,
      { down: competences.id, up: activation.id, measure: measure.id },
    );
    expect(res.status).toBe(200);
    expect(res.data?.down).toBeNull();
    expect(res.data?.up).toEqual({ id: activation.id, status: activation.status });
    // The measure keeps its id and catalogue fields; the domain's norms are null.
    expect(res.data?.measure).toMatchObject({ id: measure.id, code: measure.code, norms: null });
    const unavailable = (res.errors ?? []).filter((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
    expect(unavailable.map((e) => e.path)).toEqual(expect.arrayContaining([['down'], ['measure', 'norms']]));
  });
});
