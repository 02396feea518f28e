import type { DataSource, EntityManager } from 'typeorm';
import { generateSocialEconomy } from './generate.ts';

const S = 'social_economy';

/** Inserts columns given as arrays (one unnest statement per 20,000 rows). */
async function insert(em: EntityManager, table: string, columns: string[], types: string[], rows: unknown[][]) {
  for (let i = 0; i < rows.length; i += 20_000) {
    const chunk = rows.slice(i, i + 20_000);
    await em.query(
      `INSERT INTO ${S}.${table} (${columns.join(', ')})
       SELECT * FROM unnest(${types.map((t, c) => `$${c + 1}::${t}[]`).join(', ')})`,
      types.map((_, c) => chunk.map((r) => r[c])),
    );
  }
}

/**
 * Seeds the sector data once (the same for both profiles: it is small); a database that has it is
 * left alone, so a restart keeps distributions and applications made since.
 */
export async function seedSocialEconomySector(ds: DataSource): Promise<void> {
  await ds.transaction(async (em) => {
    const [{ present }] = await em.query(`SELECT EXISTS (SELECT 1 FROM ${S}.sector_organisation) AS present`);
    if (present) return;
    const rows = generateSocialEconomy();
    await insert(
      em,
      'sector_organisation',
      ['kbo', 'sector', 'province_code', 'merged_on'],
      ['text', 'text', 'text', 'date'],
      rows.organisations.map((o) => [o.kbo, o.sector, o.provinceCode, o.mergedOn]),
    );
    await insert(
      em,
      'sector_label',
      ['kbo', 'label', 'valid_from', 'valid_to'],
      ['text', 'text', 'date', 'date'],
      rows.labels,
    );
    await insert(
      em,
      'growth_path_call',
      [
        'id',
        'name',
        'measure_code',
        'sector',
        'budget_fte',
        'unit_fte',
        'rule_set',
        'min_fill_rate',
        'reference_from',
        'reference_to',
        'deadline',
        'effective_from',
        'status',
        'distributed_at',
      ],
      [
        'text',
        'text',
        'text',
        'text',
        'numeric',
        'numeric',
        'text',
        'numeric',
        'date',
        'date',
        'date',
        'date',
        'text',
        'timestamp',
      ],
      rows.calls.map((c) => [
        c.id,
        c.name,
        c.measure,
        c.sector,
        c.rules.budgetFte,
        c.rules.unitFte,
        c.rules.ruleSet,
        c.rules.minFillRate,
        c.referenceFrom,
        c.referenceTo,
        c.deadline,
        c.effectiveFrom,
        c.distributed ? 'DISTRIBUTED' : 'OPEN',
        c.distributed ? `${c.deadline} 12:00:00` : null,
      ]),
    );
    await insert(
      em,
      'growth_path_province_weight',
      ['call_id', 'province_code', 'weight'],
      ['text', 'text', 'numeric'],
      rows.calls.flatMap((c) => [...c.rules.provinceWeights].map(([p, w]) => [c.id, p, w])),
    );
    await insert(
      em,
      'growth_path_application',
      ['id', 'call_id', 'kbo', 'requested_fte', 'submitted_on'],
      ['bigint', 'text', 'text', 'numeric', 'date'],
      rows.applications.map((a) => [a.id, a.call, a.kbo, a.requestedFte, a.submittedOn]),
    );
    await insert(
      em,
      'growth_path_allocation',
      ['application_id', 'call_id', 'fte', 'rule', 'explanation'],
      ['bigint', 'text', 'numeric', 'text', 'text'],
      rows.allocations.map((a) => [a.application, a.call, a.fte, a.rule, a.explanation]),
    );
    await insert(
      em,
      'contingent',
      ['kbo', 'measure_code', 'fte', 'valid_from', 'reason', 'allocation_id'],
      ['text', 'text', 'numeric', 'date', 'text', 'bigint'],
      rows.contingents.map((c) => [c.kbo, c.measure, c.fte, c.from, c.reason, c.application ?? null]),
    );
    await insert(
      em,
      'settlement',
      ['kbo', 'quarter', 'contingent_fte', 'filled_fte', 'advances_cents', 'balance_cents', 'settled_on'],
      ['text', 'date', 'numeric', 'numeric', 'bigint', 'bigint', 'date'],
      rows.settlements,
    );
    await insert(em, 'lde_action_plan', ['kbo', 'year', 'submitted_on'], ['text', 'int', 'date'], rows.actionPlans);
    await insert(
      em,
      'target_group_employee',
      [
        'id',
        'person_id',
        'kbo',
        'started_on',
        'ended_on',
        'support_package',
        'next_evaluation_on',
        'pop_formalised_on',
      ],
      ['bigint', 'text', 'text', 'date', 'date', 'text', 'date', 'date'],
      rows.employees,
    );
    await insert(em, 'evaluation_sample', ['employee_id', 'year'], ['bigint', 'int'], rows.samples);
    await insert(
      em,
      'transition_trajectory',
      ['person_id', 'employer_kbo', 'esf_call', 'referred_by_vdab', 'referred_on', 'started_on', 'ended_on', 'outcome'],
      ['text', 'text', 'int', 'boolean', 'date', 'date', 'date', 'text'],
      rows.trajectories,
    );
    // Explicit ids were used; later inserts (applications, employees) continue after them.
    for (const table of ['growth_path_application', 'target_group_employee']) {
      await em.query(
        `SELECT setval(pg_get_serial_sequence('${S}.${table}', 'id'), (SELECT max(id) FROM ${S}.${table}))`,
      );
    }
  });
}
