import { inszFor, kboFromBase } from '@measure-graph/subgraph-platform';
import { generateOrganisations } from '@measure-graph/demo-data';
import { startSubgraphForTest, type SubgraphUnderTest } from '@measure-graph/demo-data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectionSubgraph } from '../src/subgraph.ts';

let subgraph: SubgraphUnderTest;
beforeAll(async () => {
  subgraph = await startSubgraphForTest(inspectionSubgraph);
}, 120_000);
afterAll(() => subgraph?.stop());

const kbo = generateOrganisations()[42]!.kboNumber;
let counter = 0;
const key = () => `inspection-test-${++counter}-${Date.now()}`;
const RECORD = `mutation ($input: RecordInspectionInput!) { inspection { recordInspection(input: $input) {
  id organisation { kboNumber } domainCode measure { ... on SocialEconomyMeasure { code } } inspectedOn kind unit outcome } } }`;
const OUTCOME = `mutation ($input: RecordInspectionOutcomeInput!) { inspection { recordInspectionOutcome(input: $input) {
  id outcome proposedRecovery followUp findings { ruleCode description } } } }`;
const recordInput = (overrides: Record<string, unknown> = {}) => ({
  kbo,
  domainCode: 'LDE',
  inspectedOn: '2025-03-04',
  kind: 'TARGETED_CONTROL',
  unit: 'VSI Antwerpen',
  idempotencyKey: key(),
  ...overrides,
});
const count = async (table: string) =>
  (await subgraph.dataSource.query(`SELECT count(*)::int AS n FROM inspection.${table}`))[0].n;

async function stats(code: string, type: string, year: number) {
  const res = await subgraph.execute<{ _entities: Array<{ inspectionStats: Record<string, unknown> }> }>(
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} {
        inspectionStats(year: ${year}) { controls warningsOrReports officialReports warnings proposedRecovery } } } }`,
    { r: [{ __typename: type, code }] },
  );
  expect(res.errors).toBeUndefined();
  return res.data!._entities[0]!.inspectionStats;
}

describe('recording inspections', () => {
  it('records an inspection and its outcome; the measure figures of the year count them', async () => {
    const before = await stats('LDE', 'SocialEconomyMeasure', 2025);
    const rec = await subgraph.execute<any>(RECORD, { input: recordInput() });
    expect(rec.errors).toBeUndefined();
    const inspection = rec.data.inspection.recordInspection;
    expect(inspection).toMatchObject({ domainCode: 'LDE', measure: { code: 'LDE' }, outcome: null });
    expect(inspection.id).toMatch(/^VSI-\d+$/);
    const out = await subgraph.execute<any>(OUTCOME, {
      input: {
        inspectionId: inspection.id,
        outcome: 'OFFICIAL_REPORT',
        proposedRecovery: '1250.5',
        findings: [{ ruleCode: 'LDE_POP_NOT_FORMALISED', description: 'POP niet geformaliseerd' }],
        followUp: 'FINE_PROCEDURE',
        recordedOn: '2025-03-20',
      },
    });
    expect(out.errors).toBeUndefined();
    expect(out.data.inspection.recordInspectionOutcome).toMatchObject({
      outcome: 'OFFICIAL_REPORT',
      proposedRecovery: '1250.50',
      findings: [{ ruleCode: 'LDE_POP_NOT_FORMALISED', description: 'POP niet geformaliseerd' }],
    });
    const after = await stats('LDE', 'SocialEconomyMeasure', 2025);
    expect(after).toEqual({
      controls: (before.controls as number) + 1,
      warningsOrReports: (before.warningsOrReports as number) + 1,
      officialReports: (before.officialReports as number) + 1,
      warnings: before.warnings,
      proposedRecovery: (Number(before.proposedRecovery) + 1250.5).toFixed(2),
    });
  });

  it('returns the same inspection for a retried request and refuses the key for another one', async () => {
    const input = recordInput();
    const before = await count('inspection');
    const [a, b] = await Promise.all([
      subgraph.execute<any>(RECORD, { input }),
      subgraph.execute<any>(RECORD, { input }),
    ]);
    expect(a.data.inspection.recordInspection.id).toBe(b.data.inspection.recordInspection.id);
    expect(await count('inspection')).toBe(before + 1);
    const other = await subgraph.execute(RECORD, { input: { ...input, unit: 'VSI Limburg' } });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
  });

  it.each([
    [{ kbo: '0316381038' }, 'BAD_USER_INPUT', 'kbo'],
    // A valid KBO number that is none of the registry's organisations.
    [{ kbo: kboFromBase(1_000_042) }, 'NOT_FOUND', 'kbo'],
    [{ domainCode: 'HOLIDAYS' }, 'NOT_FOUND', 'domainCode'],
    [{ inspectedOn: '2999-01-01' }, 'BAD_USER_INPUT', 'inspectedOn'],
    [{ inspectedOn: '2020-02-30' }, 'BAD_USER_INPUT', 'inspectedOn'],
    [{ kind: 'RAID' }, 'BAD_USER_INPUT', 'kind'],
    [{ idempotencyKey: 'short' }, 'BAD_USER_INPUT', 'idempotencyKey'],
  ])('recording with %j gives %s on %s, and writes nothing', async (overrides, code, field) => {
    const before = await count('inspection');
    const res = await subgraph.execute(RECORD, { input: recordInput(overrides) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code, field });
    expect(await count('inspection')).toBe(before);
  });

  it('validates an outcome, records it once, and writes nothing on failure', async () => {
    const rec = await subgraph.execute<any>(RECORD, { input: recordInput() });
    const id = rec.data.inspection.recordInspection.id;
    const outcome = (overrides: Record<string, unknown>) =>
      subgraph.execute(OUTCOME, {
        input: { inspectionId: id, outcome: 'WARNING', recordedOn: '2025-03-10', ...overrides },
      });
    const findings = await count('inspection_finding');
    for (const [overrides, code, field] of [
      [{ proposedRecovery: '-5' }, 'BAD_USER_INPUT', 'proposedRecovery'],
      [{ proposedRecovery: '1.005' }, 'BAD_USER_INPUT', 'proposedRecovery'],
      [{ outcome: 'JAIL' }, 'BAD_USER_INPUT', 'outcome'],
      [{ recordedOn: '2025-03-01' }, 'BAD_USER_INPUT', 'recordedOn'],
      [{ recordedOn: '2999-01-01' }, 'BAD_USER_INPUT', 'recordedOn'],
      [{ findings: [{ ruleCode: 'ok', description: 'x' }] }, 'BAD_USER_INPUT', 'findings'],
      [{ inspectionId: 'VSI-999999999' }, 'NOT_FOUND', 'id'],
    ] as const) {
      const res = await outcome(overrides);
      expect(res.errors?.[0]?.extensions, JSON.stringify(overrides)).toMatchObject({ code, field });
    }
    expect(await count('inspection_finding')).toBe(findings);
    const ok = await outcome({ findings: [{ ruleCode: 'MEASURE_CONDITIONS', description: 'x' }] });
    expect(ok.errors).toBeUndefined();
    const again = await outcome({});
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    expect(await count('inspection_finding')).toBe(findings + 1);
  });

  it('never takes a national number for an organisation', async () => {
    const res = await subgraph.execute(RECORD, { input: recordInput({ kbo: inszFor('1980-01-01', 5) }) });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
