import { badInput, notFound } from '@measure-graph/errors';
import { isValidKbo, normaliseDigits } from '@measure-graph/subgraph-platform/identifiers';
import { REGISTRY, type FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import { Stager, type StagingTable } from '../staging.ts';
import { check, inTransaction, UPSERT_COUNTS } from './common.ts';

interface OrganisationRow {
  kboNumber: string;
  name: string;
  provinceCode: string;
}

const STAGE: StagingTable = {
  name: 'import_organisation',
  columns: [
    ['line', 'int'],
    ['kbo_number', 'text'],
    ['name', 'text'],
    ['province_code', 'text'],
  ],
};

/** The KBO rule of the mutations (submitDossier's applicantKbo): check digits, stored without separators. */
export function checkKbo(value: string, field: string): string {
  if (!isValidKbo(value)) throw badInput(`"${value}" is not a valid KBO number (10 digits with a mod-97 check)`, field);
  return normaliseDigits(value);
}

let validate: ReturnType<typeof schemaValidator> | undefined;

/** organisations.jsonl into registry.organisation, by KBO number. */
export async function loadOrganisations(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('organisations');
  const db = await ctx.databases.of(REGISTRY);
  return inTransaction([db], async () => {
    const stager = new Stager(db.client, db.staging);
    await stager.create(STAGE);
    for await (const { line, row } of readJsonLines<OrganisationRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const kbo = rule(ctx.errors, line, 'kboNumber', () => checkKbo(row.kboNumber, 'kboNumber'));
      if (kbo === undefined) continue;
      await stager.add(STAGE, [line, kbo, row.name, row.provinceCode]);
    }
    await stager.finish();
    await check(
      db,
      ctx.errors,
      `SELECT line, 'kboNumber', first::text, NULL FROM (
         SELECT line, min(line) OVER (PARTITION BY kbo_number) AS first FROM import_organisation) d
        WHERE line > first`,
      [],
      (r) => `the same organisation as line ${r.value}`,
    );
    await check(
      db,
      ctx.errors,
      `SELECT i.line, 'provinceCode', i.province_code, NULL FROM import_organisation i
        WHERE NOT EXISTS (SELECT 1 FROM registry.province p WHERE p.code = i.province_code)`,
      [],
      (r) => notFound('Province', 'provinceCode', r.value!).message,
    );
    if (ctx.errors.count > 0) return false;
    const { rows } = await db.client.query(
      `WITH written AS (
         INSERT INTO registry.organisation (kbo_number, name, province_code)
         SELECT kbo_number, name, province_code FROM import_organisation
         ON CONFLICT (kbo_number) DO UPDATE SET name = EXCLUDED.name, province_code = EXCLUDED.province_code
          WHERE (organisation.name, organisation.province_code) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.province_code)
         RETURNING xmax = 0 AS inserted)
       SELECT ${UPSERT_COUNTS} FROM written`,
    );
    Object.assign(ctx.counts, rows[0]);
    ctx.counts.unchanged = ctx.counter.rows - rows[0].inserted - rows[0].updated;
    return true;
  });
}
