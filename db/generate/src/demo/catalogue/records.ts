import { publishedMeasures, readSeedFile, type PublishedMeasure } from '@measure-graph/db';
import {
  writeDomainCatalogue,
  writeInspectionCatalogue,
  writeRegistryCatalogue,
  type MeasureLine,
  type NormLine,
  type Query,
} from '@measure-graph/data-import/catalogue';
import { DOMAINS, domainEntry, type DomainName } from '@measure-graph/subgraph-platform/domains';
import type { DataSource } from 'typeorm';
import { normDefinitionsOf } from './norm-definitions.ts';
import { volumeDefinitionsOf } from './volume-definitions.ts';

/**
 * The published report's catalogue as lines of measures.jsonl (docs/data-format.md): what
 * `data:generate` writes and what the demo seed writes into the stack's and the tests' databases,
 * so both give the graph the report's 42 measures, their card rows and norms. Moved from the
 * runtime (the registry's and the measure modules' reference seeds), which no longer reads the report.
 */

/** The report data names exactly the kit's domains: a compile error otherwise. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const reportDomainsMatch: Same<DomainName, PublishedMeasure['domain']> extends true ? true : never = true;

const POLICY_FIELD: Record<PublishedMeasure['policyField'], MeasureLine['policyField']> = {
  Werk: 'WORK',
  Competenties: 'COMPETENCES',
  'Sociale Economie': 'SOCIAL_ECONOMY',
};

const upper = <T extends string>(value: string): T => value.toUpperCase().replace(/-/g, '_') as T;

/**
 * Kinds of dossier a measure accepts: ordinary applications, extensions and increases, plus the
 * kinds its norms single out (e.g. CONTINGENT for custom work).
 */
export function dossierKindsOf(measure: PublishedMeasure): string[] {
  const own = normDefinitionsOf(measure)
    .filter((n) => !n.endTypes.includes('PAID'))
    .flatMap((n) => n.kinds ?? []);
  return [...new Set(['APPLICATION', 'EXTENSION', 'INCREASE', ...own])];
}

/** Work permits and professional cards are decided on a complete file only (their norms run on WSE time). */
export const COMPLETE_FILE_MEASURES = new Set(['ARBEIDSKAARTEN', 'BEROEPSKAARTEN']);

let overviewTargets: Map<string, number | null> | undefined;

/** A norm as stored, without its rule columns (what the Norm type serves). */
export type NormRecord = Omit<NormLine, 'endTypes' | 'clock' | 'rule' | 'kinds'> & {
  measureCode: string;
  position: number;
  thresholdDays: number | null;
  thresholdRule: string | null;
  channel: 'ONLINE' | 'PAPER' | null;
  overviewRowId: string | null;
};

/**
 * Maps a published norm to the stored definition; ids are "<measure>-<position>" and stable. The
 * target is the overview table's where it has one (the section omits a few, e.g. REGIEROL's).
 */
export function normRecordsOf(measure: PublishedMeasure): NormRecord[] {
  overviewTargets ??= new Map(
    readSeedFile<{ rows: Array<{ id: string; target: number | null }> }>('norm-overview-2020.json').rows.map((r) => [
      r.id,
      r.target,
    ]),
  );
  return measure.norms.map((norm, index) => ({
    id: `${measure.code}-${index + 1}`,
    measureCode: measure.code,
    position: index + 1,
    label: norm.label,
    stage: norm.stage.toUpperCase() as NormRecord['stage'],
    kind: norm.kind === null ? 'UNSPECIFIED' : (norm.kind.toUpperCase() as NormRecord['kind']),
    targetShare: (norm.overviewRowId ? overviewTargets!.get(norm.overviewRowId) : undefined) ?? norm.target,
    thresholdDays: norm.thresholdDays,
    thresholdRule: norm.thresholdText,
    channel: norm.channel === null ? null : (norm.channel.toUpperCase() as NormRecord['channel']),
    overviewRowId: norm.overviewRowId ?? null,
  }));
}

/** One published measure as a line of measures.jsonl. */
export function measureLineOf(measure: PublishedMeasure, position: number): MeasureLine {
  const rules = new Map(normDefinitionsOf(measure).map((d) => [d.id, d]));
  return {
    code: measure.code,
    position,
    name: measure.name,
    domain: domainEntry(measure.domain).enumValue,
    status: upper<MeasureLine['status']>(measure.status),
    policyField: POLICY_FIELD[measure.policyField],
    objective: { code: measure.objective.code, heading: measure.objective.heading },
    budgetArticle: measure.budget.budgetArticle,
    reportSection: measure.section,
    dossierKinds: dossierKindsOf(measure),
    requiresCompleteFile: COMPLETE_FILE_MEASURES.has(measure.code),
    cardRows: volumeDefinitionsOf(measure).map((v) => ({
      id: v.id,
      label: v.label,
      metric: v.metric,
      unit: v.unit,
      kinds: v.kinds,
      eventTypes: v.eventTypes,
      paymentKinds: v.paymentKinds,
      throughMonth: v.throughMonth,
    })),
    norms: normRecordsOf(measure).map((n) => {
      const rule = rules.get(n.id)!;
      return {
        id: n.id,
        label: n.label,
        stage: n.stage,
        kind: n.kind,
        targetShare: n.targetShare,
        thresholdDays: n.thresholdDays,
        thresholdRule: n.thresholdRule,
        channel: n.channel,
        overviewRowId: n.overviewRowId,
        endTypes: rule.endTypes,
        clock: rule.clock,
        rule: rule.rule,
        kinds: rule.kinds,
      };
    }),
  };
}

/** The report's 42 measures as lines of measures.jsonl, in report order. */
export const measureLines = (): MeasureLine[] => publishedMeasures().map((m, i) => measureLineOf(m, i + 1));

/**
 * Writes the published catalogue into a subgraph's migrated database, with the import's statements:
 * the registry's measures and norm index, a domain's measure modules, card rows and norms (and
 * inspection's catalogue of every measure). Idempotent; subgraphs without a catalogue get nothing.
 */
export async function seedDemoCatalogue(subgraph: string, ds: DataSource): Promise<void> {
  const lines = measureLines();
  const domain = DOMAINS.find((d) => d.name === subgraph);
  if (subgraph !== 'registry' && !domain) return;
  await ds.transaction(async (em) => {
    const q: Query = (sql, params) => em.query(sql, params);
    if (subgraph === 'registry') {
      await writeRegistryCatalogue(q, lines);
      return;
    }
    await writeDomainCatalogue(
      q,
      domain!.schema,
      lines.filter((m) => m.domain === domain!.enumValue),
    );
    if (subgraph === 'inspection') await writeInspectionCatalogue(q, lines);
  });
}
