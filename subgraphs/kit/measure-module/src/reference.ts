import type { DataSource } from 'typeorm';
import { workingDaysInRange } from '@measure-graph/subgraph-platform/calendar';

/**
 * Reference data of one domain's measure modules that is no figure of any report: the working days
 * of the Belgian calendar (2015-2030), which norms counted in working days need. Idempotent: run on
 * every start, it leaves an up-to-date database unchanged. The measure modules themselves, their
 * card rows and norms are the department's catalogue: loaded by the import tool (measures.jsonl,
 * docs/data-format.md), or by the generator's demo seed from the published report.
 */
export async function seedWorkingDays(ds: DataSource, schema: string): Promise<void> {
  const days = workingDaysInRange('2015-01-01', '2030-12-31');
  await ds.query(
    `INSERT INTO "${schema}".working_day (day, month, ordinal)
     SELECT d, date_trunc('month', d)::date, o FROM unnest($1::date[], $2::int[]) AS t (d, o) ON CONFLICT DO NOTHING`,
    [days.map((d) => d.date), days.map((d) => d.ordinalInMonth)],
  );
}
