import { badInput } from '@measure-graph/errors';

/**
 * How an appeal ends, with the wording of Dutch decisions on appeal: PENDING (hangend), UPHELD
 * (gegrond: the contested decision is reformed), REJECTED (ongegrond: it stands), INADMISSIBLE
 * (onontvankelijk, e.g. lodged late), WITHDRAWN (ingetrokken: the appellant gave it up).
 */
export const APPEAL_OUTCOMES = ['PENDING', 'UPHELD', 'REJECTED', 'INADMISSIBLE', 'WITHDRAWN'] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];
/** Dossier statuses that are a decision one can appeal against. */
export const APPEALABLE_STATUSES = ['GRANTED', 'REFUSED'];

/** An appeal's grounds, trimmed: 3 to 2000 characters (BAD_USER_INPUT otherwise). */
export function checkGrounds(grounds: string): string {
  const trimmed = grounds.trim();
  if (trimmed.length < 3 || trimmed.length > 2000) throw badInput('grounds must be 3 to 2000 characters', 'grounds');
  return trimmed;
}

/** The outcome of a decision on an appeal: any outcome but PENDING (BAD_USER_INPUT otherwise). */
export function checkDecisionOutcome(outcome: string): Exclude<AppealOutcome, 'PENDING'> {
  if (!APPEAL_OUTCOMES.includes(outcome as AppealOutcome) || outcome === 'PENDING') {
    throw badInput(
      `outcome must be one of ${APPEAL_OUTCOMES.filter((o) => o !== 'PENDING').join(', ')}, got "${outcome}"`,
      'outcome',
    );
  }
  return outcome as Exclude<AppealOutcome, 'PENDING'>;
}
