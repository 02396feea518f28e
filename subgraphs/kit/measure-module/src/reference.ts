import { publishedMeasures, readSeedFile, type PublishedMeasure } from '@measure-graph/db';
import { normDefinitionsOf } from './norm-rules.ts';
import type { DataSource } from 'typeorm';
import { workingDaysInRange } from '@measure-graph/subgraph-platform/calendar';
import type { NormRecord } from './store.ts';
import { volumeDefinitionsOf } from './volume-rules.ts';

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

/**
 * Reference data of one domain's measure modules: the modules, their card rows (volume
 * definitions) and norm definitions from the published report, and the working days of the Belgian
 * calendar. Idempotent (upserts): run on every start, it leaves an up-to-date database unchanged.
 */
export async function seedMeasureModules(ds: DataSource, schema: string, domain: PublishedMeasure['domain']) {
  const measures = publishedMeasures().filter((m) => m.domain === domain);
  const norms = measures.flatMap(normRecordsOf);
  const rules = new Map(measures.flatMap(normDefinitionsOf).map((d) => [d.id, d]));
  await ds.transaction(async (em) => {
    const days = workingDaysInRange('2015-01-01', '2030-12-31');
    await em.query(
      `INSERT INTO "${schema}".working_day (day, month, ordinal)
       SELECT d, date_trunc('month', d)::date, o FROM unnest($1::date[], $2::int[]) AS t (d, o) ON CONFLICT DO NOTHING`,
      [days.map((d) => d.date), days.map((d) => d.ordinalInMonth)],
    );
    await em.query(
      `INSERT INTO "${schema}".measure_module (code, dossier_kinds, requires_complete_file)
       SELECT code, string_to_array(kinds, ','), complete FROM unnest($1::text[], $2::text[], $3::boolean[]) AS src (code, kinds, complete)
       ON CONFLICT (code) DO UPDATE SET dossier_kinds = EXCLUDED.dossier_kinds,
                                        requires_complete_file = EXCLUDED.requires_complete_file`,
      [
        measures.map((m) => m.code),
        measures.map((m) => dossierKindsOf(m).join(',')),
        measures.map((m) => COMPLETE_FILE_MEASURES.has(m.code)),
      ],
    );
    const volumes = measures.flatMap(volumeDefinitionsOf);
    await em.query(
      `INSERT INTO "${schema}".volume_definition (id, measure_code, position, label, metric, unit, kinds, event_types,
                                                  payment_kinds, through_month)
       SELECT id, m, p, l, mt, u, string_to_array(k, ','), string_to_array(e, ','), string_to_array(pk, ','), tm
         FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::int[]) AS src (id, m, p, l, mt, u, k, e, pk, tm)
       ON CONFLICT (id) DO UPDATE SET
         label = EXCLUDED.label, metric = EXCLUDED.metric, unit = EXCLUDED.unit, kinds = EXCLUDED.kinds,
         event_types = EXCLUDED.event_types, payment_kinds = EXCLUDED.payment_kinds,
         through_month = EXCLUDED.through_month`,
      [
        volumes.map((v) => v.id),
        volumes.map((v) => v.measureCode),
        volumes.map((v) => v.position),
        volumes.map((v) => v.label),
        volumes.map((v) => v.metric),
        volumes.map((v) => v.unit),
        volumes.map((v) => v.kinds?.join(',') ?? null),
        volumes.map((v) => v.eventTypes?.join(',') ?? null),
        volumes.map((v) => v.paymentKinds?.join(',') ?? null),
        volumes.map((v) => v.throughMonth),
      ],
    );
    if (norms.length === 0) return;
    await em.query(
      `INSERT INTO "${schema}".norm (id, measure_code, position, label, stage, kind, target_share,
                                     threshold_days, threshold_rule, channel, overview_row_id, end_types, clock, rule, kinds)
       SELECT id, m, p, l, s, k, tg, d, r, c, o, string_to_array(e, ','), cl, ru, string_to_array(ki, ',')
         FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::numeric[],
                     $8::numeric[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::text[])
           AS src (id, m, p, l, s, k, tg, d, r, c, o, e, cl, ru, ki)
       ON CONFLICT (id) DO UPDATE SET
         label = EXCLUDED.label, stage = EXCLUDED.stage, kind = EXCLUDED.kind,
         target_share = EXCLUDED.target_share, threshold_days = EXCLUDED.threshold_days,
         threshold_rule = EXCLUDED.threshold_rule, channel = EXCLUDED.channel,
         overview_row_id = EXCLUDED.overview_row_id, end_types = EXCLUDED.end_types, clock = EXCLUDED.clock,
         rule = EXCLUDED.rule, kinds = EXCLUDED.kinds`,
      [
        norms.map((n) => n.id),
        norms.map((n) => n.measureCode),
        norms.map((n) => n.position),
        norms.map((n) => n.label),
        norms.map((n) => n.stage),
        norms.map((n) => n.kind),
        norms.map((n) => n.targetShare),
        norms.map((n) => n.thresholdDays),
        norms.map((n) => n.thresholdRule),
        norms.map((n) => n.channel),
        norms.map((n) => n.overviewRowId),
        norms.map((n) => rules.get(n.id)!.endTypes.join(',')),
        norms.map((n) => rules.get(n.id)!.clock),
        norms.map((n) => JSON.stringify(rules.get(n.id)!.rule)),
        norms.map((n) => rules.get(n.id)!.kinds?.join(',') ?? null),
      ],
    );
  });
}
