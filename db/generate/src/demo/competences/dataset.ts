import { publishedMeasures } from '@measure-graph/db';
import { CARD_2020 } from '@measure-graph/competences/vouchers/rules';
import { generateDossiers } from '../dossiers/dossier-generator.ts';
import type { SeedProfile } from '../profile.ts';
import { generateDualLearning } from './dual-learning.ts';
import { generateTraining, type GrantedDossier } from './training.ts';
import { generateVouchers } from './vouchers.ts';

/** Exact cents to euros as the format writes them ("45.07"). */
const euros = (cents: number) => (cents % 100 === 0 ? `${cents / 100}` : (cents / 100).toFixed(2));

/**
 * The competences domain's own records of the demo data as rows of trainings.jsonl, vouchers.jsonl
 * and dual-learning.jsonl (docs/data-format.md): what seedTraining, seedVouchers and
 * seedDualLearning write after the generated dossiers, with the dossiers named by their sourceRef
 * in dossiers.jsonl (`<measure>-<generated id>`).
 */
export function competencesLines(profile: SeedProfile): {
  trainings: object[];
  vouchers: object[];
  dualLearning: object[];
} {
  const rows = generateDossiers(
    publishedMeasures().filter((m) => m.domain === 'competences'),
    profile,
  );
  const grantedOn = new Map<number, string>();
  for (const [id, type, at] of rows.events) {
    if (type !== 'GRANTED') continue;
    const day = at.slice(0, 10);
    const before = grantedOn.get(id);
    if (before === undefined || day < before) grantedOn.set(id, day);
  }
  const measureOf = new Map<string, string>();
  /** The granted dossiers of a measure with an applicant of one kind, by id (as the seeds select them). */
  const granted = (measure: string, applicant: 'kbo' | 'person', keep: (on: string) => boolean = () => true) =>
    rows.dossiers
      .filter(([id, code, , , kbo, person]) => {
        const on = grantedOn.get(id);
        return code === measure && (applicant === 'kbo' ? kbo : person) !== null && on !== undefined && keep(on);
      })
      .sort((a, b) => a[0] - b[0])
      .map(([id, code, , , kbo, person]): GrantedDossier => {
        measureOf.set(String(id), code);
        return { id: String(id), applicant: (applicant === 'kbo' ? kbo : person)!, on: grantedOn.get(id)! };
      });
  const ref = (dossierId: string) => `${measureOf.get(dossierId)}-${dossierId}`;

  const { courses, leave } = generateTraining(granted('OPLEIDINGSDATABANK', 'kbo'), profile);
  const leaveOf = courses.map(() => [] as object[]);
  for (const [personId, employerKbo, scheme, course, , courseStartedOn, requestedOn, hours, , advance] of leave) {
    leaveOf[course as number]!.push({
      personId,
      employerKbo,
      scheme,
      courseStartedOn,
      requestedOn,
      hours,
      ...(advance !== null ? { advancePaidOn: advance } : {}),
    });
  }
  const trainings = courses.map((c, i) => ({
    dossierRef: ref(c.dossierId),
    providerKbo: c.providerKbo,
    title: c.title,
    hours: c.hours,
    recognisedOn: c.recognisedOn,
    validUntil: c.validUntil,
    leave: leaveOf[i]!,
  }));

  const chequeGrants = granted('OPLEIDINGSCHEQUES', 'person', (on) => on >= CARD_2020.from && on <= CARD_2020.to);
  const vouchers = generateVouchers(chequeGrants, courses, profile).map((v) => ({
    sourceRef: v.sourceRef,
    dossierRef: ref(v.dossierId),
    personId: v.personId,
    issuedOn: v.issuedOn,
    value: euros(v.cents),
    ...(v.usedOn !== null ? { usedOn: v.usedOn } : {}),
    ...(v.course !== null
      ? { courseDossierRef: ref(courses[v.course]!.dossierId) }
      : v.providerKbo !== null
        ? { providerKbo: v.providerKbo }
        : {}),
    ...(v.reimbursedOn !== null ? { reimbursedOn: v.reimbursedOn } : {}),
  }));

  const { workplaces, agreements } = generateDualLearning(profile);
  const agreementsOf = new Map<number, object[]>();
  for (const [personId, workplace, startsOn, endsOn, registeredOn] of agreements) {
    let list = agreementsOf.get(workplace);
    if (!list) agreementsOf.set(workplace, (list = []));
    list.push({ personId, startsOn, endsOn, registeredOn });
  }
  const dualLearning = workplaces.map((w) => ({
    sourceRef: w.sourceRef,
    enterpriseKbo: w.kbo,
    establishmentNumber: w.establishment,
    appliedOn: w.appliedOn,
    status: w.status,
    ...(w.recognisedOn !== null ? { recognisedOn: w.recognisedOn } : {}),
    mentorPersonIds: w.mentors,
    agreements: agreementsOf.get(w.id) ?? [],
  }));
  return { trainings, vouchers, dualLearning };
}
