import { publishedMeasures } from '@measure-graph/db';
import { generateOrganisations } from '@measure-graph/demo-data';
import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { DOMAINS, domainNames, inszFor } from '@measure-graph/subgraph-platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphs } from '../src/subgraphs.ts';

/**
 * The measure-module contract: what the kit's measure module (dossier commands and resolvers, norm
 * results, volumes, budgets, idempotency, cursors) promises in every domain subgraph built with
 * `defineDomainSubgraph`, run against each of them on a database of its own. Each domain's
 * measures are read from its database's catalogue (`measure_module`, `norm`, `volume_definition`),
 * never counted here. The subgraphs start with reference data only (no demo dossiers), so every
 * dossier a test counts is one it wrote; parties are the registry's seeded ones
 * (`startSubgraphForTest`'s directory). What only one domain does stays in that domain's tests.
 * Here, not in the kit, because the kit does not depend on the subgraphs (this package does).
 */
const domains = DOMAINS.map((entry) => {
  const def = subgraphs.find((s) => s.name === entry.name);
  if (!def) throw new Error(`no subgraph for domain ${entry.name}`);
  return { ...entry, ...domainNames(entry), def };
});

type Errors = ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
interface CatalogueMeasure {
  code: string;
  kinds: string[];
  requiresCompleteFile: boolean;
  norms: string[];
  volumes: string[];
}

const [ORG, OTHER_ORG] = generateOrganisations().map((o) => o.kboNumber);

describe.each(domains)('the measure module of $name', (domain) => {
  let subgraph: SubgraphUnderTest;
  let catalogue: CatalogueMeasure[];
  /** A measure that takes dossiers and is decided without a complete file (the contract's default). */
  let measure: CatalogueMeasure;
  beforeAll(async () => {
    subgraph = await startSubgraphForTest(domain.def, null);
    catalogue = await sql(
      `SELECT m.code, m.dossier_kinds AS kinds, m.requires_complete_file AS "requiresCompleteFile",
              coalesce((SELECT array_agg(n.id ORDER BY n.position) FROM "${domain.schema}".norm n
                         WHERE n.measure_code = m.code), '{}') AS norms,
              coalesce((SELECT array_agg(v.id ORDER BY v.position) FROM "${domain.schema}".volume_definition v
                         WHERE v.measure_code = m.code), '{}') AS volumes
         FROM "${domain.schema}".measure_module m ORDER BY m.code`,
    );
    measure = catalogue.find((m) => m.kinds.length > 0 && !m.requiresCompleteFile)!;
  }, 120_000);
  afterAll(() => subgraph?.stop());

  const sql = (text: string, params: unknown[] = []) => subgraph.dataSource.query(text, params);
  const count = async (table: string) =>
    (await sql(`SELECT count(*)::int AS n FROM "${domain.schema}".${table}`))[0].n as number;
  const exec = async (query: string, variables: Record<string, unknown> = {}) =>
    (await subgraph.execute<any>(query, variables)) as { data?: any; errors?: Errors };
  const errorOf = (res: { errors?: Errors }) => res.errors?.[0]?.extensions;

  let counter = 0;
  const key = () => `contract-${domain.name}-${++counter}-${Date.now()}`;
  const mutation = (op: string, input: string, selection = 'id status events { type occurredAt }') =>
    `mutation ($input: ${input}!) { ${domain.field} { ${op}(input: $input) { ${selection} } } }`;
  const SUBMIT = mutation('submitDossier', 'SubmitDossierInput', 'id measureCode kind status receivedAt');
  const ADMISSIBLE = mutation('declareAdmissibility', 'DeclareAdmissibilityInput');
  const COMPLETE = mutation('completeFile', 'CompleteFileInput');
  const DECIDE = mutation('decideDossier', 'DecideDossierInput');
  const PAY = mutation('registerPayment', 'RegisterPaymentInput', 'id kind amount');

  const submitInput = (overrides: Record<string, unknown> = {}) => ({
    measureCode: measure.code,
    kind: measure.kinds[0],
    channel: 'ONLINE',
    applicantKbo: ORG,
    receivedAt: '2023-03-01T09:00:00+01:00',
    idempotencyKey: key(),
    ...overrides,
  });
  async function submit(overrides: Record<string, unknown> = {}) {
    const res = await exec(SUBMIT, { input: submitInput(overrides) });
    expect(res.errors).toBeUndefined();
    return res.data[domain.field].submitDossier as { id: string; measureCode: string; status: string };
  }
  const step = (query: string, dossierId: string, values: Record<string, unknown>) =>
    exec(query, { input: { dossierId, idempotencyKey: key(), ...values } });
  const payInput = (dossierId: string, overrides: Record<string, unknown> = {}) => ({
    dossierId,
    kind: 'PAYMENT',
    period: '2023-04-01',
    requestedAt: '2023-04-02T10:00:00+02:00',
    paidAt: '2023-04-03T10:00:00+02:00',
    amount: '1250.5',
    idempotencyKey: key(),
    ...overrides,
  });

  describe('the catalogue', () => {
    it('holds the domain’s measures of the report, each with its norms in report order', async () => {
      const published = publishedMeasures().filter((m) => m.domain === domain.name);
      expect(catalogue.map((m) => m.code)).toEqual(published.map((m) => m.code).sort());
      const labels: Array<{ code: string; labels: string[] }> = await sql(
        `SELECT measure_code AS code, array_agg(label ORDER BY position) AS labels
           FROM "${domain.schema}".norm GROUP BY measure_code`,
      );
      for (const m of published) {
        expect(catalogue.find((c) => c.code === m.code)!.norms, m.code).toEqual(
          m.norms.map((_, i) => `${m.code}-${i + 1}`),
        );
        expect(labels.find((l) => l.code === m.code)?.labels ?? [], m.code).toEqual(m.norms.map((n) => n.label));
      }
      expect(measure, 'a measure that takes dossiers').toBeDefined();
    });

    it('answers norms, dossier kinds, norm results, volumes and budget of a year for every measure', async () => {
      const res = await exec(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${domain.measureType} {
            code dossierKinds norms { id measureCode }
            normResults(year: 2022) { year quarter norm { id } counted onTime late }
            volumes(year: 2022) { id year }
            budget(year: 2022) { year } } } }`,
        { r: catalogue.map((m) => ({ __typename: domain.measureType, code: m.code })) },
      );
      expect(res.errors).toBeUndefined();
      const entities = res.data._entities as any[];
      expect(entities).toHaveLength(catalogue.length);
      catalogue.forEach((m, i) => {
        const e = entities[i];
        expect(e, m.code).not.toBeNull();
        expect(e.code).toBe(m.code);
        expect(e.dossierKinds).toEqual(m.kinds);
        expect(e.norms.map((n: { id: string }) => n.id)).toEqual(m.norms);
        expect(e.norms.every((n: { measureCode: string }) => n.measureCode === m.code)).toBe(true);
        expect(e.normResults.map((r: { norm: { id: string } }) => r.norm.id)).toEqual(m.norms);
        for (const r of e.normResults) {
          expect(r).toMatchObject({ year: 2022, quarter: null });
          expect(r.onTime + r.late).toBe(r.counted);
        }
        expect(e.volumes.map((v: { id: string }) => v.id)).toEqual(m.volumes);
        expect(e.volumes.every((v: { year: number }) => v.year === 2022)).toBe(true);
        expect(e.budget).toMatchObject({ year: 2022 });
      });
    });

    it('refuses a quarter outside 1-4', async () => {
      const res = await exec(
        `{ _entities(representations: [{ __typename: "${domain.measureType}", code: "${measure.code}" }]) {
            ... on ${domain.measureType} { normResults(year: 2022, quarter: 5) { counted } } } }`,
      );
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quarter' });
    });

    it('does not answer for an unknown measure or one of another domain', async () => {
      const other = publishedMeasures().find((m) => m.domain !== domain.name)!.code;
      const res = await exec(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${domain.measureType} { code } } }`,
        {
          r: [
            { __typename: domain.measureType, code: 'NO_SUCH_MEASURE' },
            { __typename: domain.measureType, code: other },
          ],
        },
      );
      expect(res.data._entities).toEqual([null, null]);
    });
  });

  describe('submitting a dossier', () => {
    it('takes a dossier for every measure that has dossier kinds, in one of its kinds', async () => {
      const before = await count('dossier');
      const taking = catalogue.filter((m) => m.kinds.length > 0);
      for (const m of taking) {
        const d = await submit({ measureCode: m.code, kind: m.kinds[m.kinds.length - 1] });
        expect(d).toMatchObject({ measureCode: m.code, status: 'RECEIVED' });
        expect(d.id).toMatch(new RegExp(`^${domain.dossierIdPrefix}-\\d+$`));
      }
      expect(await count('dossier')).toBe(before + taking.length);
    });

    it('refuses an unknown measure code and a measure of another domain with NOT_FOUND, writing nothing', async () => {
      const before = await count('dossier');
      const other = publishedMeasures().find((m) => m.domain !== domain.name)!.code;
      for (const measureCode of ['NO_SUCH_MEASURE', other]) {
        const res = await exec(SUBMIT, { input: submitInput({ measureCode }) });
        expect(errorOf(res), measureCode).toMatchObject({ code: 'NOT_FOUND', field: 'measureCode' });
      }
      expect(await count('dossier')).toBe(before);
    });

    it.each([
      [{ applicantKbo: '0316381038' }, 'BAD_USER_INPUT', 'applicantKbo'],
      [{ applicantKbo: null }, 'BAD_USER_INPUT', 'applicantKbo'],
      [{ applicantPersonId: 'prs_x' }, 'BAD_USER_INPUT', 'applicantKbo'],
      // Valid, but not in the registry.
      [{ applicantKbo: '0316381039' }, 'NOT_FOUND', 'applicantKbo'],
      [{ applicantKbo: null, applicantPersonId: 'prs_nobody' }, 'NOT_FOUND', 'applicantPersonId'],
      [{ applicantKbo: null, applicantInsz: '85073003300' }, 'BAD_USER_INPUT', 'applicantInsz'],
      [{ applicantKbo: null, applicantInsz: inszFor('1931-02-03', 999) }, 'NOT_FOUND', 'applicantInsz'],
      [{ kind: 'HOLIDAY' }, 'BAD_USER_INPUT', 'kind'],
      [{ receivedAt: '2999-01-01T00:00:00+01:00' }, 'BAD_USER_INPUT', 'receivedAt'],
      [{ idempotencyKey: 'short' }, 'BAD_USER_INPUT', 'idempotencyKey'],
    ])('with %j gives %s on %s and writes nothing', async (overrides, code, field) => {
      const before = await count('dossier');
      const res = await exec(SUBMIT, { input: submitInput(overrides) });
      expect(errorOf(res)).toMatchObject({ code, field });
      expect(await count('dossier')).toBe(before);
    });

    // The DateTime scalar refuses these before the command runs; graphql-js names the input field in the message.
    it.each(['2021-02-30T10:00:00+01:00', '2021-03-01T10:00:00', 'yesterday'])(
      'with receivedAt %j gives BAD_USER_INPUT naming input.receivedAt and writes nothing',
      async (receivedAt) => {
        const before = await count('dossier');
        const res = await exec(SUBMIT, { input: submitInput({ receivedAt }) });
        expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT' });
        expect(res.errors?.[0]?.message).toContain('input.receivedAt');
        expect(await count('dossier')).toBe(before);
      },
    );
  });

  describe('idempotency', () => {
    it('a replayed submit returns the same dossier and writes one', async () => {
      const input = submitInput();
      const before = await count('dossier');
      const first = await exec(SUBMIT, { input });
      const replay = await exec(SUBMIT, { input });
      expect(replay.errors).toBeUndefined();
      expect(replay.data[domain.field].submitDossier.id).toBe(first.data[domain.field].submitDossier.id);
      expect(await count('dossier')).toBe(before + 1);
    });

    it('the same submit arriving many times at once writes one dossier', async () => {
      const input = submitInput();
      const before = await count('dossier');
      const results = await Promise.all(Array.from({ length: 6 }, () => exec(SUBMIT, { input })));
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      expect(new Set(results.map((r) => r.data[domain.field].submitDossier.id)).size).toBe(1);
      expect(await count('dossier')).toBe(before + 1);
    });

    it('a key reused for another request is a CONFLICT and writes nothing', async () => {
      const input = submitInput();
      await exec(SUBMIT, { input });
      const before = await count('dossier');
      const other = await exec(SUBMIT, { input: { ...input, channel: 'PAPER' } });
      expect(errorOf(other)).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
      expect(await count('dossier')).toBe(before);
    });

    it('a replayed lifecycle step returns the same dossier and records its event once', async () => {
      const dossier = await submit();
      const input = { dossierId: dossier.id, admissible: true, at: '2023-03-03T10:00:00+01:00', idempotencyKey: key() };
      const first = await exec(ADMISSIBLE, { input });
      const replay = await exec(ADMISSIBLE, { input });
      expect(replay.errors).toBeUndefined();
      expect(replay.data).toEqual(first.data);
      expect(replay.data[domain.field].declareAdmissibility.events.map((e: { type: string }) => e.type)).toEqual([
        'RECEIVED',
        'ADMISSIBLE',
      ]);
    });
  });

  describe('the lifecycle', () => {
    it('records received, admissible, granted and a payment in order', async () => {
      const dossier = await submit();
      expect(
        (await step(ADMISSIBLE, dossier.id, { admissible: true, at: '2023-03-03T10:00:00+01:00' })).errors,
      ).toBeUndefined();
      const decided = await step(DECIDE, dossier.id, { granted: true, at: '2023-03-20T10:00:00+01:00' });
      expect(decided.errors).toBeUndefined();
      expect(decided.data[domain.field].decideDossier).toMatchObject({
        status: 'GRANTED',
        events: [
          { type: 'RECEIVED', occurredAt: '2023-03-01T09:00:00+01:00' },
          { type: 'ADMISSIBLE', occurredAt: '2023-03-03T10:00:00+01:00' },
          { type: 'GRANTED', occurredAt: '2023-03-20T10:00:00+01:00' },
        ],
      });
      const paid = await exec(PAY, { input: payInput(dossier.id) });
      expect(paid.errors).toBeUndefined();
      expect(paid.data[domain.field].registerPayment).toMatchObject({ kind: 'PAYMENT', amount: '1250.50' });
      const read = await exec(
        `query ($r: [_Any!]!, $id: ID!) { _entities(representations: $r) { ... on ${domain.measureType} {
            dossier(id: $id) { id status payments { amount } } } } }`,
        { r: [{ __typename: domain.measureType, code: measure.code }], id: dossier.id },
      );
      expect(read.data._entities[0].dossier).toEqual({
        id: dossier.id,
        status: 'GRANTED',
        payments: [{ amount: '1250.50' }],
      });
    });

    it('decides a measure that needs a complete file only after completeFile', async () => {
      const needing = catalogue.find((m) => m.kinds.length > 0 && m.requiresCompleteFile);
      if (!needing) return; // this domain decides every measure without a complete file
      const dossier = await submit({ measureCode: needing.code, kind: needing.kinds[0] });
      await step(ADMISSIBLE, dossier.id, { admissible: true, at: '2023-03-03T10:00:00+01:00' });
      const early = await step(DECIDE, dossier.id, { granted: true, at: '2023-03-20T10:00:00+01:00' });
      expect(errorOf(early)).toMatchObject({ code: 'CONFLICT', field: 'dossierId' });
      expect((await step(COMPLETE, dossier.id, { at: '2023-03-10T10:00:00+01:00' })).errors).toBeUndefined();
      const decided = await step(DECIDE, dossier.id, { granted: true, at: '2023-03-20T10:00:00+01:00' });
      expect(decided.data[domain.field].decideDossier.events.map((e: { type: string }) => e.type)).toEqual([
        'RECEIVED',
        'ADMISSIBLE',
        'FILE_COMPLETED',
        'GRANTED',
      ]);
    });

    it('refuses impossible transitions with CONFLICT and their codes, writing nothing', async () => {
      const dossier = await submit();
      const refused = await step(DECIDE, dossier.id, { granted: false, at: '2023-03-04T10:00:00+01:00' });
      expect(refused.data[domain.field].decideDossier.status).toBe('REFUSED');
      const [events, payments] = [await count('dossier_event'), await count('payment')];
      const grant = await step(DECIDE, dossier.id, { granted: true, at: '2023-03-05T10:00:00+01:00' });
      expect(errorOf(grant)).toMatchObject({ code: 'CONFLICT', status: 'REFUSED', action: 'GRANT' });
      const admissible = await step(ADMISSIBLE, dossier.id, { admissible: true, at: '2023-03-05T10:00:00+01:00' });
      expect(errorOf(admissible)).toMatchObject({ code: 'CONFLICT', status: 'REFUSED', action: 'DECLARE_ADMISSIBLE' });
      const pay = await exec(PAY, { input: payInput(dossier.id) });
      expect(errorOf(pay)).toMatchObject({ code: 'CONFLICT', status: 'REFUSED', action: 'PAY' });
      const complete = await step(COMPLETE, dossier.id, { at: '2023-03-05T10:00:00+01:00' });
      expect(errorOf(complete)).toMatchObject({ code: 'CONFLICT', field: 'dossierId' });
      expect([await count('dossier_event'), await count('payment')]).toEqual([events, payments]);
    });

    it('refuses a step dated before the last event, amounts that are not exact positive euros, and unknown dossiers', async () => {
      const dossier = await submit();
      const early = await step(ADMISSIBLE, dossier.id, { admissible: true, at: '2023-02-01T10:00:00+01:00' });
      expect(errorOf(early)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'at' });
      await step(DECIDE, dossier.id, { granted: true, at: '2023-03-20T10:00:00+01:00' });
      for (const amount of ['0', '-5', '12.345']) {
        const res = await exec(PAY, { input: payInput(dossier.id, { amount }) });
        expect(errorOf(res), amount).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
      }
      // Not decimals at all (or a lossy float): the Decimal scalar refuses them before the command runs.
      for (const amount of ['1e3', '', 1250.5]) {
        const res = await exec(PAY, { input: payInput(dossier.id, { amount }) });
        expect(errorOf(res), String(amount)).toMatchObject({ code: 'BAD_USER_INPUT' });
        expect(res.errors?.[0]?.message).toContain('input.amount');
      }
      const otherPrefix = DOMAINS.find((d) => d.name !== domain.name)!.dossierIdPrefix;
      for (const dossierId of [`${otherPrefix}-1`, `${domain.dossierIdPrefix}-999999999`]) {
        const res = await step(ADMISSIBLE, dossierId, { admissible: true, at: '2023-03-03T10:00:00+01:00' });
        expect(errorOf(res), dossierId).toMatchObject({ code: 'NOT_FOUND' });
      }
    });
  });

  describe('dossier pages', () => {
    const PAGE = `query ($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) {
        ... on ${domain.measureType} { dossiers(first: $first, after: $after, filter: { year: 2019 }) {
          totalCount edges { cursor node { id receivedAt } } pageInfo { hasNextPage endCursor } } } } }`;
    const page = async (first: number, after: string | null = null) => {
      const res = await exec(PAGE, {
        r: [{ __typename: domain.measureType, code: measure.code }],
        first,
        after,
      });
      return { res, page: res.data?._entities?.[0]?.dossiers };
    };
    const submitted: string[] = [];
    beforeAll(async () => {
      // Five dossiers of 2019, two of them received at the same moment (the id breaks the tie).
      for (const receivedAt of [
        '2019-01-10T09:00:00+01:00',
        '2019-02-10T09:00:00+01:00',
        '2019-02-10T09:00:00+01:00',
        '2019-03-10T09:00:00+01:00',
        '2019-04-10T09:00:00+02:00',
      ]) {
        submitted.push((await submit({ receivedAt, applicantKbo: OTHER_ORG })).id);
      }
    });

    it('walks every dossier once, newest received first, with the total on every page', async () => {
      const seen: Array<{ id: string; receivedAt: string }> = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const { res, page: p } = await page(2, after);
        expect(res.errors).toBeUndefined();
        expect(p.totalCount).toBe(submitted.length);
        seen.push(...p.edges.map((e: { node: { id: string; receivedAt: string } }) => e.node));
        expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)?.cursor ?? null);
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      expect(seen.map((d) => d.id).sort()).toEqual([...submitted].sort());
      const order = seen.map((d) => d.receivedAt);
      expect(order).toEqual([...order].sort().reverse());
    });

    it('keeps a cursor’s place when newer dossiers arrive', async () => {
      const { page: first } = await page(2);
      const { page: next } = await page(2, first.pageInfo.endCursor);
      await submit({ receivedAt: '2019-12-10T09:00:00+01:00', applicantKbo: OTHER_ORG });
      const { page: again } = await page(2, first.pageInfo.endCursor);
      expect(again.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(
        next.edges.map((e: { node: { id: string } }) => e.node.id),
      );
      expect(again.totalCount).toBe(next.totalCount + 1);
    });

    it('refuses a foreign cursor and page sizes outside 1-1000', async () => {
      expect(errorOf((await page(2, 'not-a-cursor')).res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      for (const first of [0, 1001]) {
        expect(errorOf((await page(first)).res), String(first)).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'first',
        });
      }
    });

    it('gives the registry’s allDossiers keyset pages of its dossier keys in the list’s order (internal field)', async () => {
      const field = `_${domain.field}DossierKeys`;
      const KEYS = `query ($first: Int!, $after: DossierKeyInput, $filter: DossierKeyFilter) {
        ${field}(first: $first, after: $after, filter: $filter) { keys { id receivedAt } hasNextPage totalCount } }`;
      const keys = async (first: number, after: unknown, filter: Record<string, unknown>) => {
        const res = await exec(KEYS, { first, after, filter });
        return { res, page: res.data?.[field] };
      };
      const filter = { year: 2019, measureCodes: [measure.code] };
      const { page: all } = await page(1000);
      const walked: Array<{ id: string; receivedAt: string }> = [];
      let after: { id: string; receivedAt: string } | null = null;
      for (let i = 0; i < 10; i++) {
        const { res, page: p } = await keys(2, after, filter);
        expect(res.errors).toBeUndefined();
        expect(p.totalCount).toBe(all.totalCount);
        walked.push(...p.keys);
        if (!p.hasNextPage) break;
        after = p.keys.at(-1);
      }
      // The same dossiers in the same order as the measure's own list (receivedAt, then id, descending).
      // The keys carry the Belgian wall time the stores compare (an internal field); the list gives
      // the DateTime with its offset, whose first 19 characters are that wall time.
      expect(walked).toEqual(
        all.edges.map((e: { node: { id: string; receivedAt: string } }) => ({
          id: e.node.id,
          receivedAt: e.node.receivedAt.slice(0, 19),
        })),
      );
      // Two dossiers received at the same moment: a key of another domain with the later one's number
      // comes before it when its prefix sorts after this domain's, after it otherwise (the tie-break).
      const [later, earlier] = walked.filter((k) => k.receivedAt === '2019-02-10T09:00:00');
      const number = later!.id.split('-')[1];
      const startOf = async (prefix: string) =>
        (await keys(1, { id: `${prefix}-${number}`, receivedAt: later!.receivedAt }, filter)).page.keys[0].id;
      expect(await startOf(domain.dossierIdPrefix)).toBe(earlier!.id);
      expect(await startOf('ZZZ')).toBe(later!.id);
      expect(await startOf('AAA')).toBe(earlier!.id);
      // Measures of other domains match nothing here; bad days are refused with the field.
      const other = publishedMeasures().find((m) => m.domain !== domain.name)!;
      expect((await keys(10, null, { measureCodes: [other.code] })).page).toMatchObject({ keys: [], totalCount: 0 });
      expect(errorOf((await keys(10, null, { decidedFrom: '2019-13-01' })).res)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'filter.decidedFrom',
      });
      expect(errorOf((await keys(10, { id: 'nonsense', receivedAt: 'x' }, {})).res)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
      });
    });

    it('lists an organisation’s dossiers of the domain on the organisation', async () => {
      const res = await exec(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation {
            ${domain.field}Dossiers(first: 1000) { totalCount nodes { id } } } } }`,
        { r: [{ __typename: 'Organisation', kboNumber: OTHER_ORG }] },
      );
      expect(res.errors).toBeUndefined();
      const list = res.data._entities[0][`${domain.field}Dossiers`];
      expect(list.nodes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining(submitted));
      expect(list.totalCount).toBe(list.nodes.length);
    });
  });
});
