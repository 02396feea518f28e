import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { publishedMeasures, type PublishedMeasure } from '@measure-graph/db';
import { generateDossiers, type SeedProfile } from './demo/dossiers/dossier-generator.ts';
import { generateOrganisations, generatePersons } from './demo/parties.ts';
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
 * budgets and registered figures the seed also writes are no aggregate of format version 1.
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
  counts: { organisations: number; persons: number; dossiers: number } & Record<string, number>;
}

/**
 * Writes the demo data of `profile` into `dir` as organisations.jsonl, persons.jsonl and
 * dossiers.jsonl: deterministic, so two runs write the same bytes.
 */
export async function writeDemoDataset(dir: string, profile: SeedProfile): Promise<GeneratedDataset> {
  fs.mkdirSync(dir, { recursive: true });
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
  // The social economy's own records (the same whatever the profile).
  const se = socialEconomyLines();
  const sectorOrganisations = await writeJsonLines(
    path.join(dir, 'sector-organisations.jsonl'),
    se.sectorOrganisations,
  );
  const contingents = await writeJsonLines(path.join(dir, 'contingents.jsonl'), se.contingents);
  const growthPaths = await writeJsonLines(path.join(dir, 'growth-paths.jsonl'), se.growthPaths);
  return { dir, counts: { organisations, persons, dossiers, sectorOrganisations, contingents, growthPaths } };
}
