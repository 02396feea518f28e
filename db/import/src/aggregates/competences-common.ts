import { badInput, notFound } from '@measure-graph/errors';
import { parseDay } from '@measure-graph/competences/days';
import { REGISTRY, type FileContext } from '../context.ts';
import type { Database } from '../databases.ts';
import type { ErrorCollector } from '../report.ts';
import { rule } from '../rows.ts';
import { Stager, type StagingTable } from '../staging.ts';
import { check, inTransaction } from './common.ts';

/** Name of the competences subgraph, whose database holds courses, vouchers and dual learning. */
export const COMPETENCES = 'competences';

/** The persons and organisations a file names, staged where the registry is, to be checked against it. */
const PARTY_REFS: StagingTable = {
  name: 'import_party_ref',
  columns: [
    ['line', 'int'],
    ['field', 'text'],
    ['kind', 'text'],
    ['id', 'text'],
  ],
};

/** What a competences loader works with: both databases, their stagers, and the registry's party check. */
export interface CompetencesWork {
  registry: Database;
  db: Database;
  /** Stages into the competences database. */
  stager: Stager;
  /** Names a person or organisation (by registry id or KBO number) that must exist in the registry. */
  party: (line: number, field: string, kind: 'person' | 'organisation', id: string) => Promise<void>;
  /** Sends what is staged and checks the parties in the registry. */
  finish: () => Promise<void>;
}

/**
 * Runs one competences file in one transaction on the registry's and the competences database
 * (the same one when they share it): `work` stages, checks and writes, returns whether it wrote.
 */
export async function inCompetences(
  ctx: FileContext,
  tables: readonly StagingTable[],
  work: (w: CompetencesWork) => Promise<boolean>,
): Promise<boolean> {
  return inSubgraphWithParties(ctx, COMPETENCES, tables, work);
}

/** inCompetences for the database of another subgraph (the activation domain's IWL tender). */
export async function inSubgraphWithParties(
  ctx: FileContext,
  subgraph: string,
  tables: readonly StagingTable[],
  work: (w: CompetencesWork) => Promise<boolean>,
): Promise<boolean> {
  const registry = await ctx.databases.of(REGISTRY);
  const db = await ctx.databases.of(subgraph);
  return inTransaction([registry, db], async () => {
    const stager = new Stager(db.client, db.staging);
    const parties = registry === db ? stager : new Stager(registry.client, registry.staging);
    for (const table of tables) await stager.create(table);
    await parties.create(PARTY_REFS);
    return work({
      registry,
      db,
      stager,
      party: (line, field, kind, id) => parties.add(PARTY_REFS, [line, field, kind, id]),
      finish: async () => {
        await stager.finish();
        if (parties !== stager) await parties.finish();
        await check(
          registry,
          ctx.errors,
          `SELECT p.line, p.field, p.id, p.kind FROM import_party_ref p
            WHERE p.kind = 'person' AND NOT EXISTS (SELECT 1 FROM registry.person r WHERE r.id = p.id)
               OR p.kind = 'organisation' AND NOT EXISTS (SELECT 1 FROM registry.organisation o WHERE o.kbo_number = p.id)`,
          [],
          (r) => notFound(r.detail === 'person' ? 'Person' : 'Organisation', r.field, r.value!).message,
        );
      },
    });
  });
}

/**
 * A day of the competences mutations (parseDay of the subgraph): a real calendar day from 2000 on;
 * with `notFuture`, not after the import's day in Belgium. Undefined (and an error) when refused.
 */
export function day(
  errors: ErrorCollector,
  line: number,
  field: string,
  value: string,
  now: string,
  notFuture = false,
): string | undefined {
  return rule(errors, line, field, () => {
    const d = parseDay(value, field);
    if (notFuture && d > now.slice(0, 10)) {
      throw badInput(`${field} must not be in the future (it is ${now.slice(0, 10)} in Belgium)`, field);
    }
    return d;
  });
}

/**
 * The natural keys a file gave so far: a key on an earlier line is refused (`the same <what> as line
 * N`), whether or not that line passed its other checks.
 */
export class KeysSeen {
  private readonly first = new Map<string, number>();

  constructor(
    private readonly errors: ErrorCollector,
    private readonly field: string,
    private readonly what: string,
  ) {}

  add(line: number, key: string): void {
    const first = this.first.get(key);
    if (first !== undefined) this.errors.add(line, this.field, `the same ${this.what} as line ${first}`);
    else this.first.set(key, line);
  }
}
