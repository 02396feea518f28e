/**
 * The catalogue as measures.jsonl holds it (docs/data-format.md) and the statements that write it
 * into each database: the registry's measure and norm_index, a domain's measure_module,
 * volume_definition and norm, inspection's measure_catalogue. The import runs them after its checks;
 * the generator's demo seed runs the same ones with the published report's lines, so the stack and
 * the tests get exactly what an import of the generated measures.jsonl would write.
 */

/** A card row (volume definition) of a measure; its position is its place in `cardRows`. */
export interface CardRowLine {
  id: string;
  label: string;
  metric: string;
  unit: 'COUNT' | 'SHARE';
  kinds?: string[] | null;
  eventTypes?: string[] | null;
  paymentKinds?: string[] | null;
  throughMonth?: number | null;
}

/** A norm of a measure; its position is its place in `norms`. */
export interface NormLine {
  id: string;
  label: string;
  stage: 'ADMISSIBILITY' | 'DECISION' | 'PAYMENT' | 'ADVICE' | 'OTHER';
  kind: 'LEGAL' | 'INTERNAL' | 'UNSPECIFIED';
  targetShare: number | null;
  thresholdDays?: number | null;
  thresholdRule?: string | null;
  channel?: 'ONLINE' | 'PAPER' | null;
  overviewRowId?: string | null;
  endTypes: string[];
  clock: 'RECEIVED' | 'COMPLETED' | 'REQUESTED';
  rule: Record<string, unknown> & { type: string };
  kinds?: string[] | null;
}

/** One line of measures.jsonl. */
export interface MeasureLine {
  code: string;
  position: number;
  name: string;
  /** The catalogue's domain: the GraphQL Domain enum value, e.g. SOCIAL_ECONOMY. */
  domain: string;
  status: 'ACTIVE' | 'PHASING_OUT' | 'REFORM';
  policyField: 'WORK' | 'COMPETENCES' | 'SOCIAL_ECONOMY';
  objective: { code: string; heading: string };
  budgetArticle?: string | null;
  reportSection: string;
  dossierKinds: string[];
  requiresCompleteFile: boolean;
  cardRows: CardRowLine[];
  norms: NormLine[];
}

/** Runs one statement and returns its rows (a pg client's or a TypeORM DataSource's query). */
export type Query = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** Positions move out of the way (above any real one) before an upsert that reorders rows. */
const AWAY = 1_000_000;
const list = (values: string[] | null | undefined) => (values == null ? null : values.join(','));
const changed = async (q: Query, sql: string, params: unknown[]) =>
  Number((await q(`WITH written AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM written`, params))[0]!.n);

/**
 * The registry's part: the measures (by code) and the norm index (by id). Returns how many measures
 * were inserted and how many changed.
 */
export async function writeRegistryCatalogue(
  q: Query,
  lines: readonly MeasureLine[],
): Promise<{ inserted: number; updated: number }> {
  const codes = lines.map((m) => m.code);
  await q(
    `UPDATE registry.measure m SET position = m.position + ${AWAY}
       FROM unnest($1::text[], $2::int[]) AS f (code, position)
      WHERE m.code = f.code AND m.position <> f.position`,
    [codes, lines.map((m) => m.position)],
  );
  const [counts] = await q(
    `WITH written AS (
       INSERT INTO registry.measure (code, position, name, domain, status, policy_field, objective_code,
                                     objective_heading, budget_article, report_section)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[],
                            $7::text[], $8::text[], $9::text[], $10::text[])
       ON CONFLICT (code) DO UPDATE SET
         position = EXCLUDED.position, name = EXCLUDED.name, domain = EXCLUDED.domain,
         status = EXCLUDED.status, policy_field = EXCLUDED.policy_field,
         objective_code = EXCLUDED.objective_code, objective_heading = EXCLUDED.objective_heading,
         budget_article = EXCLUDED.budget_article, report_section = EXCLUDED.report_section
        WHERE (measure.position, measure.name, measure.domain, measure.status, measure.policy_field,
               measure.objective_code, measure.objective_heading, measure.budget_article, measure.report_section)
              IS DISTINCT FROM
              (EXCLUDED.position, EXCLUDED.name, EXCLUDED.domain, EXCLUDED.status, EXCLUDED.policy_field,
               EXCLUDED.objective_code, EXCLUDED.objective_heading, EXCLUDED.budget_article, EXCLUDED.report_section)
       RETURNING xmax = 0 AS inserted)
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated
       FROM written`,
    [
      codes,
      lines.map((m) => m.position),
      lines.map((m) => m.name),
      lines.map((m) => m.domain),
      lines.map((m) => m.status),
      lines.map((m) => m.policyField),
      lines.map((m) => m.objective.code),
      lines.map((m) => m.objective.heading),
      lines.map((m) => m.budgetArticle ?? null),
      lines.map((m) => m.reportSection),
    ],
  );
  const norms = lines.flatMap((m) =>
    m.norms.map((n, i) => ({ id: n.id, code: m.code, position: i + 1, row: n.overviewRowId ?? null })),
  );
  const params = [norms.map((n) => n.id), norms.map((n) => n.code), norms.map((n) => n.position)];
  // Out of the way: positions and overview rows that move between norms of the file.
  await q(
    `UPDATE registry.norm_index x SET position = x.position + ${AWAY}, overview_row_id = NULL
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS f (id, code, position, row)
      WHERE x.id = f.id AND (x.position, x.overview_row_id) IS DISTINCT FROM (f.position, f.row)`,
    [...params, norms.map((n) => n.row)],
  );
  await q(
    `INSERT INTO registry.norm_index (id, measure_code, position, overview_row_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])
     ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, overview_row_id = EXCLUDED.overview_row_id
      WHERE (norm_index.position, norm_index.overview_row_id) IS DISTINCT FROM (EXCLUDED.position, EXCLUDED.overview_row_id)`,
    [...params, norms.map((n) => n.row)],
  );
  return { inserted: Number(counts!.inserted), updated: Number(counts!.updated) };
}

/**
 * One domain's part (the lines of that domain only): measure modules by code, card rows and norms
 * by id. Returns how many card rows and norms were written (inserted or changed).
 */
export async function writeDomainCatalogue(
  q: Query,
  schema: string,
  lines: readonly MeasureLine[],
): Promise<{ modules: number; cardRows: number; norms: number }> {
  const s = `"${schema}"`;
  const modules = await changed(
    q,
    `INSERT INTO ${s}.measure_module (code, dossier_kinds, requires_complete_file)
     SELECT code, string_to_array(kinds, ','), complete FROM unnest($1::text[], $2::text[], $3::boolean[]) AS src (code, kinds, complete)
     ON CONFLICT (code) DO UPDATE SET dossier_kinds = EXCLUDED.dossier_kinds,
                                      requires_complete_file = EXCLUDED.requires_complete_file
      WHERE (measure_module.dossier_kinds, measure_module.requires_complete_file)
            IS DISTINCT FROM (EXCLUDED.dossier_kinds, EXCLUDED.requires_complete_file)`,
    [lines.map((m) => m.code), lines.map((m) => m.dossierKinds.join(',')), lines.map((m) => m.requiresCompleteFile)],
  );
  const volumes = lines.flatMap((m) => m.cardRows.map((v, i) => ({ ...v, measureCode: m.code, position: i + 1 })));
  await q(
    `UPDATE ${s}.volume_definition x SET position = x.position + ${AWAY}
       FROM unnest($1::text[], $2::int[]) AS f (id, position)
      WHERE x.id = f.id AND x.position <> f.position`,
    [volumes.map((v) => v.id), volumes.map((v) => v.position)],
  );
  const cardRows = await changed(
    q,
    `INSERT INTO ${s}.volume_definition (id, measure_code, position, label, metric, unit, kinds, event_types,
                                         payment_kinds, through_month)
     SELECT id, m, p, l, mt, u, string_to_array(k, ','), string_to_array(e, ','), string_to_array(pk, ','), tm
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::int[]) AS src (id, m, p, l, mt, u, k, e, pk, tm)
     ON CONFLICT (id) DO UPDATE SET
       position = EXCLUDED.position, label = EXCLUDED.label, metric = EXCLUDED.metric, unit = EXCLUDED.unit,
       kinds = EXCLUDED.kinds, event_types = EXCLUDED.event_types, payment_kinds = EXCLUDED.payment_kinds,
       through_month = EXCLUDED.through_month
      WHERE (volume_definition.position, volume_definition.label, volume_definition.metric, volume_definition.unit,
             volume_definition.kinds, volume_definition.event_types, volume_definition.payment_kinds,
             volume_definition.through_month)
            IS DISTINCT FROM
            (EXCLUDED.position, EXCLUDED.label, EXCLUDED.metric, EXCLUDED.unit, EXCLUDED.kinds, EXCLUDED.event_types,
             EXCLUDED.payment_kinds, EXCLUDED.through_month)`,
    [
      volumes.map((v) => v.id),
      volumes.map((v) => v.measureCode),
      volumes.map((v) => v.position),
      volumes.map((v) => v.label),
      volumes.map((v) => v.metric),
      volumes.map((v) => v.unit),
      volumes.map((v) => list(v.kinds)),
      volumes.map((v) => list(v.eventTypes)),
      volumes.map((v) => list(v.paymentKinds)),
      volumes.map((v) => v.throughMonth ?? null),
    ],
  );
  const norms = lines.flatMap((m) => m.norms.map((n, i) => ({ ...n, measureCode: m.code, position: i + 1 })));
  await q(
    `UPDATE ${s}.norm x SET position = x.position + ${AWAY}, overview_row_id = NULL
       FROM unnest($1::text[], $2::int[], $3::text[]) AS f (id, position, row)
      WHERE x.id = f.id AND (x.position, x.overview_row_id) IS DISTINCT FROM (f.position, f.row)`,
    [norms.map((n) => n.id), norms.map((n) => n.position), norms.map((n) => n.overviewRowId ?? null)],
  );
  const normCount = await changed(
    q,
    `INSERT INTO ${s}.norm (id, measure_code, position, label, stage, kind, target_share,
                            threshold_days, threshold_rule, channel, overview_row_id, end_types, clock, rule, kinds)
     SELECT id, m, p, l, st, k, tg, d, r, c, o, string_to_array(e, ','), cl, ru, string_to_array(ki, ',')
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::numeric[],
                   $8::numeric[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::text[])
         AS src (id, m, p, l, st, k, tg, d, r, c, o, e, cl, ru, ki)
     ON CONFLICT (id) DO UPDATE SET
       position = EXCLUDED.position, label = EXCLUDED.label, stage = EXCLUDED.stage, kind = EXCLUDED.kind,
       target_share = EXCLUDED.target_share, threshold_days = EXCLUDED.threshold_days,
       threshold_rule = EXCLUDED.threshold_rule, channel = EXCLUDED.channel,
       overview_row_id = EXCLUDED.overview_row_id, end_types = EXCLUDED.end_types, clock = EXCLUDED.clock,
       rule = EXCLUDED.rule, kinds = EXCLUDED.kinds
      WHERE (norm.position, norm.label, norm.stage, norm.kind, norm.target_share, norm.threshold_days,
             norm.threshold_rule, norm.channel, norm.overview_row_id, norm.end_types, norm.clock, norm.rule, norm.kinds)
            IS DISTINCT FROM
            (EXCLUDED.position, EXCLUDED.label, EXCLUDED.stage, EXCLUDED.kind, EXCLUDED.target_share,
             EXCLUDED.threshold_days, EXCLUDED.threshold_rule, EXCLUDED.channel, EXCLUDED.overview_row_id,
             EXCLUDED.end_types, EXCLUDED.clock, EXCLUDED.rule, EXCLUDED.kinds)`,
    [
      norms.map((n) => n.id),
      norms.map((n) => n.measureCode),
      norms.map((n) => n.position),
      norms.map((n) => n.label),
      norms.map((n) => n.stage),
      norms.map((n) => n.kind),
      norms.map((n) => n.targetShare),
      norms.map((n) => n.thresholdDays ?? null),
      norms.map((n) => n.thresholdRule ?? null),
      norms.map((n) => n.channel ?? null),
      norms.map((n) => n.overviewRowId ?? null),
      norms.map((n) => n.endTypes.join(',')),
      norms.map((n) => n.clock),
      norms.map((n) => JSON.stringify(n.rule)),
      norms.map((n) => list(n.kinds)),
    ],
  );
  return { modules, cardRows, norms: normCount };
}

/** Inspection's catalogue (every measure's code and domain, whatever its domain), by code. */
export async function writeInspectionCatalogue(q: Query, lines: readonly MeasureLine[]): Promise<void> {
  await q(
    `INSERT INTO inspection.measure_catalogue (code, domain)
     SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (code) DO UPDATE SET domain = EXCLUDED.domain WHERE measure_catalogue.domain <> EXCLUDED.domain`,
    [lines.map((m) => m.code), lines.map((m) => m.domain)],
  );
}
