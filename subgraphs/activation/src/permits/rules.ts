import { badInput } from '@measure-graph/errors';

/** The work-permit measure whose dossiers go through the combined procedure. */
export const PERMIT_MEASURE = 'ARBEIDSKAARTEN';
/**
 * Kinds of ARBEIDSKAARTEN dossier that are single permits. The measure has no kind of its own for
 * them: its norms ("– SP") count every application, so a first application and its extension
 * (verlenging) are single permits; INCREASE means nothing for a permit and is left out.
 */
export const SINGLE_PERMIT_KINDS = ['APPLICATION', 'EXTENSION'];
export const FEDERAL_DECISIONS = ['PENDING', 'GRANTED', 'REFUSED'] as const;
const FEDERAL_REFERENCE = /^[A-Z0-9][A-Z0-9/-]{3,39}$/;

export const isSinglePermit = (d: { measureCode: string; kind: string }): boolean =>
  d.measureCode === PERMIT_MEASURE && SINGLE_PERMIT_KINDS.includes(d.kind);

/** The Immigration Office's reference, trimmed and upper-cased; null when none is given. */
export function checkFederalReference(value: string | null | undefined): string | null {
  const reference = value?.trim().toUpperCase() || null;
  if (reference !== null && !FEDERAL_REFERENCE.test(reference)) {
    throw badInput(
      'federalReference must be 4 to 40 letters, digits, "-" or "/", starting with a letter or digit',
      'federalReference',
    );
  }
  return reference;
}
