import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { publishedMeasures, type PublishedMeasure } from '@measure-graph/db';
import { generateDossiers, type SeedProfile } from './demo/dossiers/dossier-generator.ts';
import { generateInspections } from './demo/inspection/generate.ts';
import { measureLines } from './demo/catalogue/records.ts';
import { generateOrganisations, generatePersons } from './demo/parties.ts';
import { competencesLines } from './demo/competences/dataset.ts';
import { activationLines, appealDecisionEvents, iwlTenderLines, wepPromoterLines } from './demo/activation/dataset.ts';
import { socialEconomyLines } from './social-economy-dataset.ts';

/** The domains whose measure modules hold dossiers, in the order they are generated. */
export const DOSSIER_DOMAINS: Array<PublishedMeasure['domain']> = [
  'activation',
  'competences',
  'social-economy',
  'inspection',
];

/** A row of dossiers.jsonl (docs/data-format.md). */
export interface DossierLine {
  sourceRef: string;
  measureCode: string;
  kind: string;
  channel: string;
  applicantKbo?: string;
  applicantPersonId?: string;
  receivedAt: string;
  events: Array<{ type: string; at: string }>;
  payments: Array<{
    kind: string;
    instalment: number;
    period: string;
    requestedAt: string;
    paidAt: string;
    amount: string;
    fromBudget?: boolean;
  }>;
}

/** SQL timestamp "2020-03-02 09:30:00" to the format's local date-time "2020-03-02T09:30:00". */
const localTime = (sql: string) => sql.replace(' ', 'T');

/** Exact cents to euros as the format writes them ("1250.07"). */
export function euros(cents: bigint): string {
  const whole = cents / 100n;
  const rest = cents % 100n;
  return rest === 0n ? `${whole}` : `${whole}.${String(rest).padStart(2, '0')}`;
}

/**
 * The generated dossiers of one domain as rows of dossiers.jsonl: the same dossiers, events and
 * payments the demo seed writes, with the file's completion as a FILE_COMPLETED event (the seed
 * writes only the column) and a source reference `<measure>-<generated id>`. The commitments,
 * budgets and registered figures the seed also writes are in moneyLines.
 */
export function* dossierLines(domain: PublishedMeasure['domain'], profile: SeedProfile): Generator<DossierLine> {
  const rows = generateDossiers(
    publishedMeasures().filter((m) => m.domain === domain),
    profile,
  );
  const events = new Map<number, Array<[string, string]>>();
  for (const [id, type, at] of rows.events) {
    if (type === 'RECEIVED') continue;
    let list = events.get(id);
    if (!list) events.set(id, (list = []));
    list.push([type, at]);
  }
  // The decisions on appeals seedAppeals writes after the activation dossiers (appeals.jsonl refers to them).
  if (domain === 'activation') {
    for (const [id, type, at] of appealDecisionEvents(rows.events)) events.get(id)!.push([type, at]);
  }
  const payments = new Map<number, DossierLine['payments']>();
  for (const [id, kind, instalment, period, requested, paid, cents, fromBudget] of rows.payments) {
    let list = payments.get(id);
    if (!list) payments.set(id, (list = []));
    list.push({
      kind,
      instalment,
      period,
      requestedAt: localTime(requested),
      paidAt: localTime(paid),
      amount: euros(cents),
      ...(fromBudget === false ? { fromBudget: false } : {}),
    });
  }
  for (const [id, measure, kind, channel, kbo, person, , received, completed] of rows.dossiers) {
    const own = (events.get(id) ?? []).slice();
    if (completed !== null) own.push(['FILE_COMPLETED', completed]);
    // Oldest first; at the same time the completion comes before the decision it allows.
    own.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] === 'FILE_COMPLETED' ? -1 : 0));
    yield {
      sourceRef: `${measure}-${id}`,
      measureCode: measure,
      kind,
      channel,
      ...(kbo !== null ? { applicantKbo: kbo } : { applicantPersonId: person! }),
      receivedAt: localTime(received),
      events: own.map(([type, at]) => ({ type, at: localTime(at) })),
      payments: payments.get(id) ?? [],
    };
  }
}

/** Rows of commitments.jsonl, budgets.jsonl and registered-figures.jsonl (docs/data-format.md). */
export interface MoneyLines {
  commitments: Array<{ sourceRef: string; measureCode: string; committedOn: string; amount: string }>;
  budgets: Array<{ measureCode: string; year: number; vak?: string; vek?: string }>;
  registeredFigures: Array<{ measureCode: string; volumeId: string; period: string; value: string }>;
}

/** A registered figure as the format writes it: at most four decimals, as numeric(14, 4) keeps it. */
export const figureValue = (value: number): string => value.toFixed(4).replace(/\.?0+$/, '');

/**
 * The commitments, budgets and registered figures the demo seed writes for one domain, as rows of
 * their files; a commitment's source reference is `<measure>-VAK-<date>` (one a month).
 */
export function moneyLines(domain: PublishedMeasure['domain'], profile: SeedProfile): MoneyLines {
  const rows = generateDossiers(
    publishedMeasures().filter((m) => m.domain === domain),
    profile,
  );
  return {
    commitments: rows.commitments.map(([measureCode, committedOn, cents]) => ({
      sourceRef: `${measureCode}-VAK-${committedOn}`,
      measureCode,
      committedOn,
      amount: euros(cents),
    })),
    budgets: rows.budgets.map(([measureCode, year, vak, vek]) => ({
      measureCode,
      year,
      ...(vak !== null ? { vak: euros(vak) } : {}),
      ...(vek !== null ? { vek: euros(vek) } : {}),
    })),
    registeredFigures: rows.registered.map(([volumeId, period, value]) => ({
      // A volume row's id is `<measure>-V<position>` (volume-rules.ts).
      measureCode: volumeId.replace(/-V\d+$/, ''),
      volumeId,
      period,
      value: figureValue(value),
    })),
  };
}

/** A row of inspections.jsonl (docs/data-format.md). */
export interface InspectionLine {
  sourceRef: string;
  kbo: string;
  domainCode: string;
  inspectedOn: string;
  kind: string;
  unit: string;
  outcome: string;
  recordedOn: string;
  proposedRecovery?: string;
  followUp?: string;
  followUpOn?: string;
  findings?: Array<{ ruleCode: string; description: string }>;
}

/** The inspections the demo seed writes, as rows of inspections.jsonl, with a sourceRef `VSI-<id>`. */
export function* inspectionLines(): Generator<InspectionLine> {
  const rows = generateInspections();
  const findings = new Map<number, Array<{ ruleCode: string; description: string }>>();
  for (const [id, ruleCode, description] of rows.findings) {
    let list = findings.get(id);
    if (!list) findings.set(id, (list = []));
    list.push({ ruleCode, description });
  }
  for (const [
    id,
    kbo,
    domainCode,
    ,
    inspectedOn,
    kind,
    unit,
    outcome,
    recovery,
    followUp,
    followUpOn,
    recordedOn,
  ] of rows.inspections) {
    yield {
      sourceRef: `VSI-${id}`,
      kbo,
      domainCode,
      inspectedOn,
      kind,
      unit,
      outcome,
      recordedOn,
      ...(recovery !== null ? { proposedRecovery: euros(recovery) } : {}),
      ...(followUp !== 'NONE' ? { followUp } : {}),
      ...(followUpOn !== null ? { followUpOn } : {}),
      ...(findings.has(id) ? { findings: findings.get(id) } : {}),
    };
  }
}

/** Writes `lines` as JSON Lines to `file`, with back-pressure; returns the number of rows. */
async function writeJsonLines(file: string, lines: Iterable<unknown>): Promise<number> {
  const out = fs.createWriteStream(file);
  let count = 0;
  let chunk = '';
  for (const line of lines) {
    chunk += `${JSON.stringify(line)}\n`;
    count++;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return count;
}

export interface GeneratedDataset {
  dir: string;
  counts: { measures: number; organisations: number; persons: number; dossiers: number } & Record<string, number>;
}

/**
 * Writes the demo data of `profile` into `dir` as measures.jsonl (the published report's catalogue,
 * as the demo seed writes it), organisations.jsonl, persons.jsonl, dossiers.jsonl, commitments.jsonl,
 * budgets.jsonl, registered-figures.jsonl, inspections.jsonl, trainings.jsonl, vouchers.jsonl,
 * dual-learning.jsonl, appeals.jsonl, combined-procedures.jsonl, iwl-tenders.jsonl and
 * wep-promoters.jsonl (and the social economy's files):
 * deterministic, so two runs write the same bytes.
 */
export async function writeDemoDataset(dir: string, profile: SeedProfile): Promise<GeneratedDataset> {
  fs.mkdirSync(dir, { recursive: true });
  const measures = await writeJsonLines(path.join(dir, 'measures.jsonl'), measureLines());
  const organisations = await writeJsonLines(
    path.join(dir, 'organisations.jsonl'),
    generateOrganisations().map((o) => ({ kboNumber: o.kboNumber, name: o.name, provinceCode: o.provinceCode })),
  );
  const persons = await writeJsonLines(
    path.join(dir, 'persons.jsonl'),
    generatePersons().map((p) => ({
      id: p.id,
      insz: p.insz,
      givenName: p.givenName,
      familyName: p.familyName,
      birthDate: p.birthDate,
      provinceCode: p.provinceCode,
    })),
  );
  const dossiers = await writeJsonLines(
    path.join(dir, 'dossiers.jsonl'),
    (function* () {
      for (const domain of DOSSIER_DOMAINS) yield* dossierLines(domain, profile);
    })(),
  );
  const money: MoneyLines = { commitments: [], budgets: [], registeredFigures: [] };
  for (const domain of DOSSIER_DOMAINS) {
    const lines = moneyLines(domain, profile);
    money.commitments.push(...lines.commitments);
    money.budgets.push(...lines.budgets);
    money.registeredFigures.push(...lines.registeredFigures);
  }
  const commitments = await writeJsonLines(path.join(dir, 'commitments.jsonl'), money.commitments);
  const budgets = await writeJsonLines(path.join(dir, 'budgets.jsonl'), money.budgets);
  const registeredFigures = await writeJsonLines(path.join(dir, 'registered-figures.jsonl'), money.registeredFigures);
  const inspections = await writeJsonLines(path.join(dir, 'inspections.jsonl'), inspectionLines());
  const competences = competencesLines(profile);
  const trainings = await writeJsonLines(path.join(dir, 'trainings.jsonl'), competences.trainings);
  const vouchers = await writeJsonLines(path.join(dir, 'vouchers.jsonl'), competences.vouchers);
  const dualLearning = await writeJsonLines(path.join(dir, 'dual-learning.jsonl'), competences.dualLearning);
  // The social economy's own records (the same whatever the profile).
  const se = socialEconomyLines();
  const sectorOrganisations = await writeJsonLines(
    path.join(dir, 'sector-organisations.jsonl'),
    se.sectorOrganisations,
  );
  const contingents = await writeJsonLines(path.join(dir, 'contingents.jsonl'), se.contingents);
  const employees = await writeJsonLines(path.join(dir, 'employees.jsonl'), se.employees);
  const trajectories = await writeJsonLines(path.join(dir, 'trajectories.jsonl'), se.trajectories);
  const growthPaths = await writeJsonLines(path.join(dir, 'growth-paths.jsonl'), se.growthPaths);
  // The activation domain's own records: appeals and the single permits' combined procedures.
  const activation = activationLines(profile);
  const appeals = await writeJsonLines(path.join(dir, 'appeals.jsonl'), activation.appeals);
  const combinedProcedures = await writeJsonLines(
    path.join(dir, 'combined-procedures.jsonl'),
    activation.combinedProcedures,
  );
  const iwlTenders = await writeJsonLines(path.join(dir, 'iwl-tenders.jsonl'), iwlTenderLines());
  const wepPromoters = await writeJsonLines(path.join(dir, 'wep-promoters.jsonl'), wepPromoterLines());
  return {
    dir,
    counts: {
      measures,
      organisations,
      persons,
      dossiers,
      commitments,
      budgets,
      registeredFigures,
      inspections,
      trainings,
      vouchers,
      dualLearning,
      sectorOrganisations,
      contingents,
      employees,
      trajectories,
      growthPaths,
      appeals,
      combinedProcedures,
      iwlTenders,
      wepPromoters,
    },
  };
}
