import { generateOrganisations } from '../parties.ts';
import { Prng } from '../prng.ts';
import type { SeedProfile } from '../profile.ts';
import { addDays, daysBetween } from '@measure-graph/subgraph-platform/calendar';
import type { DataSource } from 'typeorm';
import { CARD_2020 } from '@measure-graph/competences/vouchers/rules';
import { voucherSeedTargets } from './targets.ts';

const S = 'competences';
/** Share of used vouchers that went to a course of the training database (the rest: a provider only). */
const COURSE_SHARE = 0.4;
/** Share of the unpaid vouchers already used (awaiting reimbursement) at the end of 2020. */
const USED_UNPAID_SHARE = 0.5;

/**
 * Training vouchers of the department's first months (September-December 2020): the card's issued
 * cheques over the OPLEIDINGSCHEQUES dossiers granted in that period (at least one each, issued on
 * the grant day to the applicant), of which the card's paid cheques were used and reimbursed by the
 * end of 2020. Profile `full` gives the card's numbers exactly; `small` one in twenty of them.
 * Runs after the training seed (courses); on a database that has vouchers it adds nothing.
 */
export async function seedVouchers(ds: DataSource, { profile }: { profile: SeedProfile }): Promise<void> {
  await ds.transaction(async (em) => {
    const [{ present }] = await em.query(`SELECT EXISTS (SELECT 1 FROM ${S}.training_voucher) AS present`);
    if (present) return;
    const granted: Array<{ id: string; person: string; on: string }> = await em.query(
      `SELECT d.id::text, d.applicant_person_id AS person, to_char(min(e.occurred_at), 'YYYY-MM-DD') AS on
         FROM ${S}.dossier d JOIN ${S}.dossier_event e ON e.dossier_id = d.id AND e.type = 'GRANTED'
        WHERE d.measure_code = 'OPLEIDINGSCHEQUES' AND d.applicant_person_id IS NOT NULL
        GROUP BY d.id HAVING min(e.occurred_at) >= $1::date AND min(e.occurred_at) < $2::date + 1
        ORDER BY d.id`,
      [CARD_2020.from, CARD_2020.to],
    );
    const { issued, paid } = voucherSeedTargets(profile);
    if (granted.length === 0) return;
    const prng = new Prng(4317);
    // Every dossier that gives cheques gives at least one; the rest fall at random.
    const givers = prng.shuffle(granted).slice(0, Math.min(issued, granted.length));
    const perDossier = givers.map(() => 1);
    for (let i = givers.length; i < issued; i++) perDossier[prng.int(0, givers.length - 1)]!++;
    const vouchers = givers.flatMap((g, i) =>
      Array.from({ length: perDossier[i]! }, () => ({
        dossier: g.id,
        person: g.person,
        issuedOn: g.on,
        cents: prng.int(1_500, 12_500),
        usedOn: null as string | null,
        reimbursedOn: null as string | null,
      })),
    );
    // The paid ones: used and reimbursed before the year ends, so issued at least three weeks before.
    const payable = prng.shuffle(vouchers.filter((v) => daysBetween(v.issuedOn, CARD_2020.to) >= 21));
    if (payable.length < paid) throw new Error(`only ${payable.length} vouchers can be paid in 2020, not ${paid}`);
    for (const v of payable.slice(0, paid)) {
      v.usedOn = addDays(v.issuedOn, prng.int(0, Math.floor(daysBetween(v.issuedOn, CARD_2020.to) / 2)));
      v.reimbursedOn = addDays(v.usedOn, prng.int(1, daysBetween(v.usedOn, CARD_2020.to)));
    }
    for (const v of vouchers) {
      if (v.usedOn === null && prng.next() < USED_UNPAID_SHARE) {
        v.usedOn = addDays(v.issuedOn, prng.int(0, daysBetween(v.issuedOn, CARD_2020.to)));
      }
    }
    const courses: Array<{ id: string; kbo: string; from: string; until: string }> = await em.query(
      `SELECT id::text, provider_kbo AS kbo, to_char(recognised_on, 'YYYY-MM-DD') AS from,
              to_char(valid_until, 'YYYY-MM-DD') AS until FROM ${S}.course ORDER BY id`,
    );
    const providers = generateOrganisations();
    const rows = vouchers.map((v) => {
      let course: (typeof courses)[number] | undefined;
      if (v.usedOn !== null && prng.next() < COURSE_SHARE) {
        const open = courses.filter((c) => c.from <= v.usedOn! && v.usedOn! <= c.until);
        if (open.length > 0) course = prng.pick(open);
      }
      const provider = v.usedOn === null ? null : (course?.kbo ?? prng.pick(providers).kboNumber);
      return [v.person, v.dossier, v.issuedOn, v.cents, v.usedOn, course?.id ?? null, provider, v.reimbursedOn];
    });
    await em.query(
      `INSERT INTO ${S}.training_voucher (person_id, dossier_id, issued_on, value_cents, used_on, course_id, provider_kbo,
                                          reimbursed_on)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::date[], $4::bigint[], $5::date[], $6::bigint[], $7::text[],
                            $8::date[])`,
      Array.from({ length: 8 }, (_, col) => rows.map((r) => r[col])),
    );
  });
}
