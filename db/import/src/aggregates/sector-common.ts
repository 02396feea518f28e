import { badInput, notFound } from '@measure-graph/errors';
import { REGISTRY, type FileContext } from '../context.ts';
import type { Database } from '../databases.ts';
import { Stager, type StagingTable } from '../staging.ts';
import { check } from './common.ts';

/** The social-economy subgraph, which holds the sector's own tables (sector_organisation, contingent, ...). */
export const SOCIAL_ECONOMY = 'social-economy';
export const SE = 'social_economy';

/** The registry's and the sector's databases of a file, with a stager on each distinct one. */
export interface SectorDatabases {
  registry: Database;
  sector: Database;
  all: Database[];
  stagerOf: (db: Database) => Stager;
}

export async function sectorDatabases(ctx: FileContext): Promise<SectorDatabases> {
  const registry = await ctx.databases.of(REGISTRY);
  const sector = await ctx.databases.of(SOCIAL_ECONOMY);
  const stagers = new Map<Database, Stager>();
  return {
    registry,
    sector,
    all: [registry, sector],
    stagerOf: (db) => {
      let s = stagers.get(db);
      if (!s) stagers.set(db, (s = new Stager(db.client, db.staging)));
      return s;
    },
  };
}

/** Sends what the stagers of a file queued (each distinct database once). */
export async function finishStaging(dbs: SectorDatabases): Promise<void> {
  for (const db of new Set(dbs.all)) await dbs.stagerOf(db).finish();
}

/** KBO numbers and provinces a file names, staged where the registry is, to be checked against its tables. */
export const REGISTRY_REFS: StagingTable = {
  name: 'import_se_ref',
  columns: [
    ['line', 'int'],
    ['field', 'text'],
    ['kbo', 'text'],
    ['province_code', 'text'],
  ],
};

/** Refuses the staged KBO numbers the registry does not hold and the provinces it does not know. */
export async function checkRegistryRefs(ctx: FileContext, registry: Database): Promise<void> {
  await check(
    registry,
    ctx.errors,
    `SELECT r.line, r.field, r.kbo, NULL FROM import_se_ref r
      WHERE r.kbo IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registry.organisation o WHERE o.kbo_number = r.kbo)
     UNION ALL
     SELECT r.line, r.field, r.province_code, NULL FROM import_se_ref r
      WHERE r.province_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registry.province p WHERE p.code = r.province_code)`,
    [],
    (r) => notFound(r.field.endsWith('provinceCode') ? 'Province' : 'Organisation', r.field, r.value!).message,
  );
}

/** A date the file says happened: not after today in Belgium. */
export function notInFuture(value: string, field: string, today: string): string {
  if (value > today) throw badInput(`must not be in the future (it is ${today} in Belgium)`, field);
  return value;
}

/** "14.5", "-0.42" to hundredths of an FTE (exact); the schema has checked the format. */
export function hundredths(value: string): number {
  const negative = value.startsWith('-');
  const [whole, part = ''] = value.replace(/^-/, '').split('.');
  const n = Number(whole) * 100 + Number(part.padEnd(2, '0'));
  return negative ? -n : n;
}

/** Euros ("1250.5", "-17.25") to exact cents as text; the schema has checked the format. */
export function centsOf(value: string): string {
  const negative = value.startsWith('-');
  const [whole, part = ''] = value.replace(/^-/, '').split('.');
  const cents = BigInt(whole!) * 100n + BigInt(part.padEnd(2, '0'));
  return (negative ? -cents : cents).toString();
}

/** The message of applyForGrowthPath for an organisation the sector does not know. */
export const notInSector = (kbo: string, what: string) =>
  `Organisation ${kbo} is not a recognised organisation of the social economy ${what}`;

/** Persons a file names, staged where the registry is, to be checked against registry.person. */
export const PERSON_REFS: StagingTable = {
  name: 'import_se_person_ref',
  columns: [
    ['line', 'int'],
    ['field', 'text'],
    ['person_id', 'text'],
  ],
};

/** Refuses the staged persons the registry does not hold (the message of the mutations' registry check). */
export async function checkPersonRefs(ctx: FileContext, registry: Database): Promise<void> {
  await check(
    registry,
    ctx.errors,
    `SELECT r.line, r.field, r.person_id, NULL FROM import_se_person_ref r
      WHERE NOT EXISTS (SELECT 1 FROM registry.person p WHERE p.id = r.person_id)`,
    [],
    (r) => `${notFound('Person', r.field, r.value!).message} (see persons.jsonl)`,
  );
}
