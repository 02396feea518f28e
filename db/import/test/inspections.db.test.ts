import { kboFromBase } from '@measure-graph/subgraph-platform/identifiers';
import { describe, expect, it } from 'vitest';
import { formatRowError } from '../src/index.ts';
import { KBO, ORGS, writeDataset, useImportTestDatabase } from './fixtures.ts';

/** inspections.jsonl with its outcome and findings, on the fixtures' organisations. */

// The control domains (LDE with its measure, TAALDECREET without) are the inspection subgraph's
// static reference data, which the import's migration step writes as the subgraph's start does.
const db = useImportTestDatabase();
const { run, query } = db;

const inspections = (): Array<Record<string, unknown>> => [
  // Recorded, no outcome yet.
  {
    sourceRef: 'VSI-A',
    kbo: ORGS[0]!.kboNumber,
    domainCode: 'LDE',
    inspectedOn: '2020-03-02',
    kind: 'TARGETED_CONTROL',
    unit: 'VSI Antwerpen',
  },
  // A warning with a finding and a re-inspection.
  {
    sourceRef: 'VSI-B',
    kbo: ORGS[2]!.kboNumber,
    domainCode: 'LDE',
    inspectedOn: '2020-04-01',
    kind: 'PREVENTIVE_ROUND',
    unit: 'VSI Limburg',
    outcome: 'WARNING',
    recordedOn: '2020-04-20',
    followUp: 'RE_INSPECTION',
    followUpOn: '2020-09-01',
    findings: [
      { ruleCode: 'LDE_POP_NOT_FORMALISED', description: ' POP niet geformaliseerd ' },
      { ruleCode: 'LDE_OTHER', description: 'Iets anders' },
    ],
  },
  // A financial analysis proposing a recovery, in a domain without measure.
  {
    sourceRef: 'VSI-C',
    kbo: ORGS[1]!.kboNumber,
    domainCode: 'TAALDECREET',
    inspectedOn: '2019-11-05',
    kind: 'FINANCIAL_ANALYSIS',
    unit: 'VSI Oost-Vlaanderen',
    outcome: 'NONE',
    recordedOn: '2019-11-30',
    proposedRecovery: '15854.3',
    followUp: 'RECOVERY',
  },
];

const dataset = (rows = inspections()) => writeDataset({ 'organisations.jsonl': ORGS, 'inspections.jsonl': rows });
const counts = async () =>
  (
    await query(`SELECT (SELECT count(*)::int FROM inspection.inspection) AS inspections,
                        (SELECT count(*)::int FROM inspection.inspection_finding) AS findings`)
  )[0];

describe('data:import of inspections', () => {
  it('loads inspections with their outcome and findings, as the mutations record them', async () => {
    const report = await run(dataset());
    expect(report.files.map((f) => [f.file, f.loaded, f.errors])).toEqual([
      ['organisations.jsonl', true, []],
      ['inspections.jsonl', true, []],
    ]);
    expect(report.files[1]!.counts).toEqual({
      inserted: 3,
      updated: 0,
      unchanged: 0,
      findingsWritten: 2,
      findingsRemoved: 0,
    });
    expect(
      await query(
        `SELECT source_ref, kbo, domain_code, measure_code, inspected_on::text AS on, kind, unit, outcome,
                proposed_recovery_cents::text AS recovery, follow_up, follow_up_on::text AS follow_up_on,
                outcome_recorded_on::text AS recorded
           FROM inspection.inspection ORDER BY source_ref`,
      ),
    ).toEqual([
      {
        source_ref: 'VSI-A',
        kbo: KBO[0],
        domain_code: 'LDE',
        measure_code: 'LDE',
        on: '2020-03-02',
        kind: 'TARGETED_CONTROL',
        unit: 'VSI Antwerpen',
        outcome: null,
        recovery: null,
        follow_up: null,
        follow_up_on: null,
        recorded: null,
      },
      {
        source_ref: 'VSI-B',
        kbo: KBO[2],
        domain_code: 'LDE',
        measure_code: 'LDE',
        on: '2020-04-01',
        kind: 'PREVENTIVE_ROUND',
        unit: 'VSI Limburg',
        outcome: 'WARNING',
        recovery: null,
        follow_up: 'RE_INSPECTION',
        follow_up_on: '2020-09-01',
        recorded: '2020-04-20',
      },
      {
        source_ref: 'VSI-C',
        kbo: KBO[1],
        domain_code: 'TAALDECREET',
        measure_code: null,
        on: '2019-11-05',
        kind: 'FINANCIAL_ANALYSIS',
        unit: 'VSI Oost-Vlaanderen',
        outcome: 'NONE',
        recovery: '1585430',
        follow_up: 'RECOVERY',
        follow_up_on: null,
        recorded: '2019-11-30',
      },
    ]);
    expect(
      await query(
        `SELECT f.rule_code, f.description FROM inspection.inspection_finding f
           JOIN inspection.inspection i ON i.id = f.inspection_id WHERE i.source_ref = 'VSI-B' ORDER BY f.rule_code`,
      ),
    ).toEqual([
      { rule_code: 'LDE_OTHER', description: 'Iets anders' },
      { rule_code: 'LDE_POP_NOT_FORMALISED', description: 'POP niet geformaliseerd' },
    ]);
  });

  it('importing the same file again leaves the same rows (and ids)', async () => {
    const before = await counts();
    const ids = await query(`SELECT id FROM inspection.inspection_finding ORDER BY id`);
    const report = await run(dataset());
    expect(report.files[1]!.counts).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 3,
      findingsWritten: 0,
      findingsRemoved: 0,
    });
    expect(await counts()).toEqual(before);
    expect(await query(`SELECT id FROM inspection.inspection_finding ORDER BY id`)).toEqual(ids);
  });

  it('a changed row replaces its inspection, outcome and findings by sourceRef', async () => {
    const rows = inspections();
    Object.assign(rows[0]!, { outcome: 'OFFICIAL_REPORT', recordedOn: '2020-03-10', followUp: 'FINE_PROCEDURE' });
    rows[0]!.findings = [{ ruleCode: 'LDE_OTHER', description: 'Iets anders' }];
    rows[1]!.findings = [{ ruleCode: 'LDE_OTHER', description: 'Iets anders' }];
    const report = await run(dataset(rows));
    expect(report.files[1]!.counts).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: 2,
      findingsWritten: 1,
      findingsRemoved: 1,
    });
    expect(await counts()).toEqual({ inspections: 3, findings: 2 });
    expect(await query(`SELECT outcome, follow_up FROM inspection.inspection WHERE source_ref = 'VSI-A'`)).toEqual([
      { outcome: 'OFFICIAL_REPORT', follow_up: 'FINE_PROCEDURE' },
    ]);
  });

  it('refuses a file with bad rows, naming file, line and field, and writes nothing of it', async () => {
    const before = await counts();
    const good = inspections()[1]!;
    const finding = { ruleCode: 'LDE_OTHER', description: 'Iets anders' };
    const report = await run(
      dataset([
        { ...good, sourceRef: 'VSI-X1', kbo: '0555000149' },
        { ...good, sourceRef: 'VSI-X2', kbo: kboFromBase(9_999_999) },
        { ...good, sourceRef: 'VSI-X3', domainCode: 'NOPE' },
        { ...good, sourceRef: 'VSI-X4', recordedOn: '2020-03-01' },
        { ...good, sourceRef: 'VSI-X5', outcome: undefined },
        { ...good, sourceRef: 'VSI-X6', recordedOn: undefined },
        { ...good, sourceRef: 'VSI-X7', proposedRecovery: '12.345', kind: 'RAID' },
        { ...good, sourceRef: 'VSI-X8' },
        { ...good, sourceRef: 'VSI-X8' },
        { ...good, sourceRef: 'VSI-X10', findings: [finding, finding] },
        { ...good, sourceRef: 'VSI-X11', inspectedOn: '1999-12-31', recordedOn: '2000-01-05' },
      ]),
    );
    expect(report.files[1]!.loaded).toBe(false);
    const field = (f: string) => `${f}: belongs to an outcome: give outcome too, or leave it out`;
    expect(report.files[1]!.errors.map(formatRowError)).toEqual([
      'inspections.jsonl:1: kbo: "0555000149" is not a valid KBO number (10 digits with a mod-97 check)',
      `inspections.jsonl:2: kbo: Organisation with kbo "${kboFromBase(9_999_999)}" does not exist`,
      'inspections.jsonl:3: domainCode: Control domain with domainCode "NOPE" does not exist',
      'inspections.jsonl:4: recordedOn: must not be before the inspection',
      ...['recordedOn', 'followUp', 'followUpOn', 'findings'].map((f) => `inspections.jsonl:5: ${field(f)}`),
      'inspections.jsonl:6: recordedOn: is required with an outcome',
      'inspections.jsonl:7: kind: must be one of "TARGETED_CONTROL", "PREVENTIVE_ROUND", "ILLEGAL_WORK_DETECTION", "FINANCIAL_ANALYSIS"',
      'inspections.jsonl:7: proposedRecovery: must match ^\\d{1,12}(?:\\.\\d{1,2})?$ (Proposed recovery in euros, zero or more, at most two decimals, as a decimal string.)',
      'inspections.jsonl:9: sourceRef: the same inspection as line 8',
      'inspections.jsonl:10: findings[1]: is the same finding as findings[0]',
      'inspections.jsonl:11: inspectedOn: must not be before 2000',
    ]);
    expect(await counts()).toEqual(before);
  });
});
