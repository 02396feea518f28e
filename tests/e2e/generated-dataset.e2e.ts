import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importDataset } from '@measure-graph/data-import';
import { writeDemoDataset } from '@measure-graph/demo-data';
import { createTestDatabase } from '@measure-graph/db/testing';
import { subgraphs } from '@measure-graph/schema/subgraphs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The demo dataset is data (issue 13, item 4): the small profile written by `data:generate` and
 * loaded by `data:import` into an empty database (migrated, static reference data seeded, no demo
 * seed, so no catalogue either: measures.jsonl brings it) makes the graph answer what the
 * catalogue and dossiers determine exactly as the seeded demo does, and also the budgets
 * (payments, commitments, next year's budget), registered volumes and inspection figures.
 */

const MEASURES = ['ARBEIDSKAARTEN', 'AANMOEDIGINGSPREMIES', 'VOP', 'LDE', 'OPLEIDINGSCHEQUES', 'BEROEPSKAARTEN'];

/** Norm results of 2020 and dossier counts of 2019 and 2020 of a few measures, as the graph serves them. */
async function figures(graph: TestStack) {
  const table = await graph.data<{ normResultsTable: Array<Record<string, unknown>> }>(`{
    normResultsTable(year: 2020) {
      normId measure { code }
      ... on NormResultRow { result counted onTime late }
    }
  }`);
  const counts: Record<string, number[]> = {};
  for (const code of MEASURES) {
    const res = await graph.data<{ measure: { y2019: { totalCount: number }; y2020: { totalCount: number } } }>(
      `query ($code: ID!) { measure(code: $code) {
         y2019: dossiers(filter: { year: 2019 }) { totalCount }
         y2020: dossiers(filter: { year: 2020 }) { totalCount } } }`,
      { code },
    );
    counts[code] = [res.measure.y2019.totalCount, res.measure.y2020.totalCount];
  }
  const rows = table.normResultsTable.filter((r) => MEASURES.includes((r.measure as { code: string }).code));
  // The social economy's contingent figures per quarter and province, and its growth-path calls.
  const sector = await graph.data<Record<string, unknown>>(`{
    q2017: contingentTotals(filter: { quarter: "2017-Q4", perProvince: true }) { provinceCode organisations contingentFte filledFte }
    maatwerk: contingentTotals(filter: { quarter: "2020-Q4", measureCode: "MAATWERK", perProvince: true }) { provinceCode contingentFte filledFte }
    lde: contingentTotals(filter: { quarter: "2019-Q2", sector: LDE }) { organisations contingentFte filledFte }
    growthPathCalls { id status budgetFte requestedFte allocatedFte }
    employed2019: employmentTotals(year: 2019, measureCode: "MAATWERK") { persons }
    employed2020: employmentTotals(year: 2020, sector: LDE) { persons }
    esf380: transitionCall(call: 380) { perProvince { provinceCode started stopped withoutOutcome } total { started stopped } }
    esf432: transitionCall(call: 432) { total { referrals started } }
  }`);
  return { rows, counts, sector, ...(await moneyAndInspections(graph)) };
}

/** Budgets of 2020 (commitments, payments, next year's budget), registered volumes and the VSI figures. */
async function moneyAndInspections(graph: TestStack) {
  const budgets: Record<string, unknown> = {};
  for (const code of MEASURES) {
    const res = await graph.data<{ measure: Record<string, unknown> }>(
      `query ($code: ID!) { measure(code: $code) {
         budget(year: 2020) { vekRealised vakRealised nextYearVekBudget nextYearVakBudget }
         volumes(year: 2020) { id value }
         inspectionStats(year: 2020) { controls warningsOrReports officialReports warnings proposedRecovery } } }`,
      { code },
    );
    budgets[code] = res.measure;
  }
  const figures = 'controls warningsOrReports officialReports warnings proposedRecovery';
  const vsi = await graph.data(
    `{ vsiTable(year: 2020) { rows { domainCode current { ${figures} } previous { ${figures} } } } }`,
  );
  return { budgets, vsi };
}

/** The competences domain's figures of courses, leave, vouchers and dual learning, as the graph serves them. */
async function competencesFigures(graph: TestStack) {
  return graph.data(`{
    leave2019: trainingLeaveFigures(schoolYear: "2018-2019") { employees employers requests withAdvance }
    leave2020: trainingLeaveFigures(schoolYear: "2019-2020") { employees employers requests withAdvance }
    vouchers: trainingVoucherFigures(from: "2020-09-01", to: "2020-12-31") { issued issuedValue used paid paidValue }
    dual2019: dualLearningFigures(schoolYear: "2018-2019") {
      recognitionApplicationsReceived recognitionApplicationsApproved enterprisesWithNewRecognition
      establishmentsWithNewRecognition mentorsOfNewRecognitions newAgreements }
    dual2020: dualLearningFigures(schoolYear: "2019-2020") {
      recognitionApplicationsReceived recognitionApplicationsApproved enterprisesWithNewRecognition
      establishmentsWithNewRecognition mentorsOfNewRecognitions newAgreements }
  }`);
}

/**
 * Every row of the competences domain's own tables, without their generated ids: courses and
 * vouchers name their dossiers by source reference (the seed writes none: its dossiers are named as
 * dossiers.jsonl names them, `<measure>-<id>`), leave its course's dossier, agreements their
 * workplace's source_ref.
 */
async function competencesRows(url: string): Promise<Record<string, string[]>> {
  const ref = (d: string) => `coalesce(${d}.source_ref, ${d}.measure_code || '-' || ${d}.id)`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows = async (sql: string) =>
    (await client.query<{ r: string }>(`SELECT r::text FROM (${sql}) t (r) ORDER BY 1`)).rows.map((x) => x.r);
  try {
    return {
      course: await rows(`SELECT (${ref('d')}, c.provider_kbo, c.title, c.hours, c.recognised_on, c.valid_until)
                            FROM competences.course c JOIN competences.dossier d ON d.id = c.dossier_id`),
      leave: await rows(`SELECT (${ref('d')}, l.person_id, l.employer_kbo, l.scheme, l.school_year, l.course_started_on,
                                 l.requested_on, l.hours, l.amount_cents, l.advance_paid_on)
                           FROM competences.training_leave l JOIN competences.course c ON c.id = l.course_id
                           JOIN competences.dossier d ON d.id = c.dossier_id`),
      voucher: await rows(`SELECT (v.source_ref, v.person_id, ${ref('d')}, v.issued_on, v.value_cents, v.used_on,
                                   ${ref('cd')}, v.provider_kbo, v.reimbursed_on)
                             FROM competences.training_voucher v JOIN competences.dossier d ON d.id = v.dossier_id
                             LEFT JOIN competences.course c ON c.id = v.course_id
                             LEFT JOIN competences.dossier cd ON cd.id = c.dossier_id`),
      workplace:
        await rows(`SELECT (source_ref, enterprise_kbo, establishment_number, applied_on, status, recognised_on,
                                     valid_until, mentor_person_ids) FROM competences.dual_workplace`),
      agreement: await rows(`SELECT (w.source_ref, a.person_id, a.starts_on, a.ends_on, a.registered_on)
                               FROM competences.dual_agreement a JOIN competences.dual_workplace w ON w.id = a.workplace_id`),
    };
  } finally {
    await client.end();
  }
}

/**
 * Every row of the activation domain's appeals, combined procedures, IWL tender and WEP+ promoters, without
 * their generated ids:
 * by their dossier's name (`<measure>-<id>` for seeded dossiers, as dossiers.jsonl names them), an
 * appeal with the types and times of the events it is tied to.
 */
async function activationRows(url: string): Promise<Record<string, string[]>> {
  const ref = `coalesce(d.source_ref, d.measure_code || '-' || d.id)`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows = async (sql: string) =>
    (await client.query<{ r: string }>(`SELECT r::text FROM (${sql}) t (r) ORDER BY 1`)).rows.map((x) => x.r);
  try {
    return {
      appeal: await rows(`SELECT (${ref}, a.measure_code, a.lodged_at, a.grounds, a.outcome, a.decided_at,
                                  le.type, le.occurred_at, de.type, de.occurred_at)
                            FROM activation.appeal a JOIN activation.dossier d ON d.id = a.dossier_id
                            JOIN activation.dossier_event le ON le.id = a.lodged_event_id
                            LEFT JOIN activation.dossier_event de ON de.id = a.decided_event_id`),
      combinedProcedure: await rows(`SELECT (${ref}, c.sent_on, c.federal_reference, c.federal_decision,
                                             c.federal_decided_on)
                                       FROM activation.combined_procedure c
                                       JOIN activation.dossier d ON d.id = c.dossier_id`),
      iwlTender: await rows(`SELECT t FROM activation.iwl_tender t`),
      iwlLot: await rows(`SELECT l FROM activation.iwl_lot l`),
      iwlBid: await rows(`SELECT b FROM activation.iwl_bid b`),
      iwlMonitoring: await rows(
        `SELECT (m.lot_id, m.kind, m.held_on, m.held_by, m.note) FROM activation.iwl_monitoring m`,
      ),
      wepPromoter: await rows(`SELECT p FROM activation.wep_promoter p`),
      wepPlace: await rows(`SELECT w FROM activation.wep_place w`),
    };
  } finally {
    await client.end();
  }
}

const stacks: TestStack[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-graph-generated-'));

afterAll(async () => {
  for (const s of stacks) await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a generated small dataset, imported', () => {
  it('serves the seeded demo figures of its dossiers', async () => {
    const seeded = await startTestStack({ seedProfile: 'small' });
    stacks.push(seeded);
    const expected = await figures(seeded);
    const expectedCompetences = await competencesFigures(seeded);
    const expectedRows = await competencesRows(seeded.database.url);
    const expectedActivation = await activationRows(seeded.database.url);
    await seeded.stop();
    stacks.pop();
    expect(expected.rows.length).toBeGreaterThan(5);
    expect(expected.sector.growthPathCalls).toHaveLength(4);
    // Target-group employees and transition trajectories (employees.jsonl, trajectories.jsonl) count too.
    expect(JSON.stringify([expected.sector.employed2019, expected.sector.esf380])).toMatch(
      /"persons":[1-9].*"started":[1-9]/,
    );
    expect(
      Object.values(expected.counts)
        .flat()
        .every((n) => n > 0),
    ).toBe(true);
    // The money and inspection figures compared below are not empty either.
    const budgets = Object.values(expected.budgets) as Array<{
      budget: { vakRealised: string | null; nextYearVekBudget: string | null } | null;
      inspectionStats: { controls: number } | null;
    }>;
    expect(budgets.filter((m) => m.budget?.vakRealised && m.budget.nextYearVekBudget).length).toBeGreaterThan(2);
    expect(budgets.filter((m) => (m.inspectionStats?.controls ?? 0) > 0).length).toBeGreaterThan(0);
    expect(JSON.stringify(expected.vsi)).toMatch(/"controls":[1-9]/);

    const database = await createTestDatabase();
    const imported = await startTestStack({ database, seedProfile: null });
    stacks.push(imported);
    // Static reference data only: no measure (and so no dossier) before the import.
    expect(await imported.data<{ measures: unknown[] }>('{ measures { code } }')).toEqual({ measures: [] });
    expect(await imported.data('{ growthPathCalls { id } }')).toEqual({ growthPathCalls: [] });

    await writeDemoDataset(dir, 'small');
    const report = await importDataset({ dir, urlFor: () => database.url, subgraphs });
    expect(report.files.map((f) => [f.file, f.loaded, f.errorCount])).toEqual([
      ['measures.jsonl', true, 0],
      ['organisations.jsonl', true, 0],
      ['persons.jsonl', true, 0],
      ['dossiers.jsonl', true, 0],
      ['appeals.jsonl', true, 0],
      ['combined-procedures.jsonl', true, 0],
      ['iwl-tenders.jsonl', true, 0],
      ['wep-promoters.jsonl', true, 0],
      ['sector-organisations.jsonl', true, 0],
      ['contingents.jsonl', true, 0],
      ['employees.jsonl', true, 0],
      ['trajectories.jsonl', true, 0],
      ['growth-paths.jsonl', true, 0],
      ['commitments.jsonl', true, 0],
      ['budgets.jsonl', true, 0],
      ['registered-figures.jsonl', true, 0],
      ['inspections.jsonl', true, 0],
      ['trainings.jsonl', true, 0],
      ['vouchers.jsonl', true, 0],
      ['dual-learning.jsonl', true, 0],
    ]);
    expect(await figures(imported)).toEqual(expected);
    // The competences domain's own records: the same rows as the seed writes, so the same figures.
    for (const n of Object.values(expectedRows)) expect(n.length).toBeGreaterThan(0);
    expect(await competencesRows(database.url)).toEqual(expectedRows);
    expect(await competencesFigures(imported)).toEqual(expectedCompetences);
    // The activation domain's appeals (with their events), combined procedures, IWL tender and WEP+ promoters: the seed's rows.
    for (const n of Object.values(expectedActivation)) expect(n.length).toBeGreaterThan(0);
    expect(await activationRows(database.url)).toEqual(expectedActivation);
  }, 300_000);
});
