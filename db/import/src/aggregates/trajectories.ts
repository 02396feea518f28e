import { notBefore, trajectoryProblems } from '@measure-graph/social-economy/sector/rules';
import type { FileContext } from '../context.ts';
import { readJsonLines, rule, schemaValidator } from '../rows.ts';
import type { StagingTable } from '../staging.ts';
import { check, inTransaction, UPSERT_COUNTS } from './common.ts';
import { checkKbo } from './organisations.ts';
import {
  checkPersonRefs,
  checkRegistryRefs,
  finishStaging,
  notInFuture,
  notInSector,
  PERSON_REFS,
  REGISTRY_REFS,
  SE,
  sectorDatabases,
} from './sector-common.ts';

export interface TrajectoryRow {
  ref: string;
  personId: string;
  employerKbo: string;
  esfCall: 380 | 432;
  referredByVdab: boolean;
  referredOn?: string;
  startedOn?: string;
  endedOn?: string;
  outcome?: 'SUCCEEDED' | 'STOPPED' | 'FAILED';
  regularEmployerKbo?: string;
  hiredOn?: string;
  aftercareUntil?: string;
}

const TRAJECTORIES: StagingTable = {
  name: 'import_trajectory',
  columns: [
    ['line', 'int'],
    ['ref', 'text'],
    ['person_id', 'text'],
    ['employer_kbo', 'text'],
    ['esf_call', 'int'],
    ['referred_by_vdab', 'boolean'],
    ['referred_on', 'date'],
    ['started_on', 'date'],
    ['ended_on', 'date'],
    ['outcome', 'text'],
    ['regular_employer_kbo', 'text'],
    ['hired_on', 'date'],
    ['aftercare_until', 'date'],
  ],
};

const DAYS = ['referredOn', 'startedOn', 'endedOn', 'hiredOn'] as const;

let validate: ReturnType<typeof schemaValidator> | undefined;

/** trajectories.jsonl into social_economy.transition_trajectory, by `ref` (source_ref). */
export async function loadTrajectories(ctx: FileContext): Promise<boolean> {
  validate ??= schemaValidator('trajectories');
  const today = ctx.now.slice(0, 10);
  const dbs = await sectorDatabases(ctx);
  return inTransaction(dbs.all, async () => {
    const sector = dbs.stagerOf(dbs.sector);
    const refs = dbs.stagerOf(dbs.registry);
    await sector.create(TRAJECTORIES);
    await refs.create(PERSON_REFS);
    await refs.create(REGISTRY_REFS);
    for await (const { line, row } of readJsonLines<TrajectoryRow>(ctx.path, validate!, ctx.errors, ctx.counter)) {
      const before = ctx.errors.count;
      const employer = rule(ctx.errors, line, 'employerKbo', () => checkKbo(row.employerKbo, 'employerKbo'));
      const regular =
        row.regularEmployerKbo === undefined
          ? null
          : rule(ctx.errors, line, 'regularEmployerKbo', () => checkKbo(row.regularEmployerKbo!, 'regularEmployerKbo'));
      for (const field of DAYS) {
        const value = row[field];
        if (value !== undefined) rule(ctx.errors, line, field, () => notInFuture(value, field, today));
      }
      if (row.referredOn !== undefined && row.startedOn !== undefined) {
        rule(ctx.errors, line, 'startedOn', () =>
          notBefore(row.startedOn!, 'startedOn', row.referredOn!, 'referredOn'),
        );
      }
      for (const p of trajectoryProblems({
        startedOn: row.startedOn ?? null,
        endedOn: row.endedOn ?? null,
        outcome: row.outcome ?? null,
        regularEmployerKbo: row.regularEmployerKbo ?? null,
        hiredOn: row.hiredOn ?? null,
        aftercareUntil: row.aftercareUntil ?? null,
      })) {
        ctx.errors.add(line, p.field, p.reason);
      }
      if (ctx.errors.count > before || employer === undefined || regular === undefined) continue;
      await sector.add(TRAJECTORIES, [
        line,
        row.ref,
        row.personId,
        employer,
        row.esfCall,
        row.referredByVdab,
        row.referredOn ?? null,
        row.startedOn ?? null,
        row.endedOn ?? null,
        row.outcome ?? null,
        regular,
        row.hiredOn ?? null,
        row.aftercareUntil ?? null,
      ]);
      await refs.add(PERSON_REFS, [line, 'personId', row.personId]);
      if (regular !== null) await refs.add(REGISTRY_REFS, [line, 'regularEmployerKbo', regular, null]);
    }
    await finishStaging(dbs);
    await check(
      dbs.sector,
      ctx.errors,
      `SELECT line, 'ref', first::text, NULL FROM (
         SELECT line, min(line) OVER (PARTITION BY ref) AS first FROM import_trajectory) d WHERE line > first`,
      [],
      (r) => `the same ref as line ${r.value}`,
    );
    await checkPersonRefs(ctx, dbs.registry);
    await checkRegistryRefs(ctx, dbs.registry);
    await check(
      dbs.sector,
      ctx.errors,
      `SELECT t.line, 'employerKbo', t.employer_kbo, NULL FROM import_trajectory t
        WHERE NOT EXISTS (SELECT 1 FROM ${SE}.sector_organisation o WHERE o.kbo = t.employer_kbo)`,
      [],
      (r) => `${notInSector(r.value!, 'and has no transition trajectories')} (see sector-organisations.jsonl)`,
    );
    if (ctx.errors.count > 0) return false;

    const columns = `person_id, employer_kbo, esf_call, referred_by_vdab, referred_on, started_on, ended_on, outcome,
      regular_employer_kbo, hired_on, aftercare_until`;
    const list = columns.split(',').map((c) => c.trim());
    const [written] = (
      await dbs.sector.client.query(
        `WITH written AS (
           INSERT INTO ${SE}.transition_trajectory (source_ref, ${columns})
           SELECT ref, ${columns} FROM import_trajectory ORDER BY line
           ON CONFLICT (source_ref) DO UPDATE SET ${list.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
            WHERE (${list.map((c) => `transition_trajectory.${c}`).join(', ')})
                  IS DISTINCT FROM (${list.map((c) => `EXCLUDED.${c}`).join(', ')})
           RETURNING xmax = 0 AS inserted)
         SELECT ${UPSERT_COUNTS} FROM written`,
      )
    ).rows;
    Object.assign(ctx.counts, { trajectoriesInserted: written.inserted, trajectoriesUpdated: written.updated });
    return true;
  });
}
