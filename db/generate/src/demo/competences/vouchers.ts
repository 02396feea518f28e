import { generateOrganisations } from '../parties.ts';
import { Prng } from '../prng.ts';
import type { SeedProfile } from '../profile.ts';
import { addDays, daysBetween } from '@measure-graph/subgraph-platform/calendar';
import type { DataSource } from 'typeorm';
import { CARD_2020 } from '@measure-graph/competences/vouchers/rules';
import { voucherSeedTargets } from './targets.ts';
import type { GrantedDossier } from './training.ts';

const S = 'competences';
/** Share of used vouchers that went to a course of the training database (the rest: a provider only). */
const COURSE_SHARE = 0.4;
/** Share of the unpaid vouchers already used (awaiting reimbursement) at the end of 2020. */
const USED_UNPAID_SHARE = 0.5;

/** A generated training voucher; `course` is an index into the courses it was given. */
export interface GeneratedVoucher {
  /** Its source reference in vouchers.jsonl (and the seed's source_ref): CHEQUE-<n>, n from 1. */
  sourceRef: string;
  personId: string;
  dossierId: string;
  issuedOn: string;
  cents: number;
  usedOn: string | null;
  course: number | null;
  providerKbo: string | null;
  reimbursedOn: string | null;
}

/**
 * Training vouchers of the department's first months (September-December 2020): the card's issued
 * cheques over the OPLEIDINGSCHEQUES dossiers granted in that period (`granted`, by dossier id: at
 * least one each, issued on the grant day to the applicant), of which the card's paid cheques were
 * used and reimbursed by the end of 2020; some used ones went to a course of `courses` recognised on
 * the day. Profile `full` gives the card's numbers exactly; `small` one in twenty of them. Pure: what
 * the seed writes and what `data:generate` writes (vouchers.jsonl).
 */
export function generateVouchers(
  granted: readonly GrantedDossier[],
  courses: ReadonlyArray<{ providerKbo: string; recognisedOn: string; validUntil: string }>,
  profile: SeedProfile,
): GeneratedVoucher[] {
  const { issued, paid } = voucherSeedTargets(profile);
  if (granted.length === 0) return [];
  const prng = new Prng(4317);
  // Every dossier that gives cheques gives at least one; the rest fall at random.
  const givers = prng.shuffle(granted).slice(0, Math.min(issued, granted.length));
  const perDossier = givers.map(() => 1);
  for (let i = givers.length; i < issued; i++) perDossier[prng.int(0, givers.length - 1)]!++;
  const vouchers = givers.flatMap((g, i) =>
    Array.from({ length: perDossier[i]! }, () => ({
      dossier: g.id,
      person: g.applicant,
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
  const providers = generateOrganisations();
  const indexed = courses.map((c, index) => ({ ...c, index }));
  return vouchers.map((v, i) => {
    let course: (typeof indexed)[number] | undefined;
    if (v.usedOn !== null && prng.next() < COURSE_SHARE) {
      const open = indexed.filter((c) => c.recognisedOn <= v.usedOn! && v.usedOn! <= c.validUntil);
      if (open.length > 0) course = prng.pick(open);
    }
    const provider = v.usedOn === null ? null : (course?.providerKbo ?? prng.pick(providers).kboNumber);
    return {
      sourceRef: `CHEQUE-${i + 1}`,
      personId: v.person,
      dossierId: v.dossier,
      issuedOn: v.issuedOn,
      cents: v.cents,
      usedOn: v.usedOn,
      course: course?.index ?? null,
      providerKbo: provider,
      reimbursedOn: v.reimbursedOn,
    };
  });
}

/**
 * The vouchers of generateVouchers, written after the training seed (courses, in id order) on a
 * database without vouchers, each with its source reference.
 */
export async function seedVouchers(ds: DataSource, { profile }: { profile: SeedProfile }): Promise<void> {
  await ds.transaction(async (em) => {
    const [{ present }] = await em.query(`SELECT EXISTS (SELECT 1 FROM ${S}.training_voucher) AS present`);
    if (present) return;
    const granted: GrantedDossier[] = await em.query(
      `SELECT d.id::text, d.applicant_person_id AS applicant, to_char(min(e.occurred_at), 'YYYY-MM-DD') AS on
         FROM ${S}.dossier d JOIN ${S}.dossier_event e ON e.dossier_id = d.id AND e.type = 'GRANTED'
        WHERE d.measure_code = 'OPLEIDINGSCHEQUES' AND d.applicant_person_id IS NOT NULL
        GROUP BY d.id HAVING min(e.occurred_at) >= $1::date AND min(e.occurred_at) < $2::date + 1
        ORDER BY d.id`,
      [CARD_2020.from, CARD_2020.to],
    );
    // In id order, the order they were generated in (`ORDER BY id` alone would sort the text of id::text).
    const courses: Array<{ id: string; providerKbo: string; recognisedOn: string; validUntil: string }> =
      await em.query(
        `SELECT id::text, provider_kbo AS "providerKbo", to_char(recognised_on, 'YYYY-MM-DD') AS "recognisedOn",
                to_char(valid_until, 'YYYY-MM-DD') AS "validUntil" FROM ${S}.course c ORDER BY c.id`,
      );
    const rows = generateVouchers(granted, courses, profile).map((v) => [
      v.personId,
      v.dossierId,
      v.issuedOn,
      v.cents,
      v.usedOn,
      v.course === null ? null : courses[v.course]!.id,
      v.providerKbo,
      v.reimbursedOn,
      v.sourceRef,
    ]);
    if (rows.length === 0) return;
    await em.query(
      `INSERT INTO ${S}.training_voucher (person_id, dossier_id, issued_on, value_cents, used_on, course_id, provider_kbo,
                                          reimbursed_on, source_ref)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::date[], $4::bigint[], $5::date[], $6::bigint[], $7::text[],
                            $8::date[], $9::text[])`,
      Array.from({ length: 9 }, (_, col) => rows.map((r) => r[col])),
    );
  });
}
