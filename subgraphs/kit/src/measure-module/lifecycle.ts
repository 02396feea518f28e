import { DomainError } from '../errors.ts';

/** Where a dossier is in its lifecycle. */
export type DossierStatus = 'RECEIVED' | 'ADMISSIBLE' | 'INADMISSIBLE' | 'GRANTED' | 'REFUSED' | 'CANCELLED' | 'CLOSED';

/** What can happen to a dossier; each is recorded as a timestamped event. */
export type DossierAction = 'DECLARE_ADMISSIBLE' | 'DECLARE_INADMISSIBLE' | 'GRANT' | 'REFUSE' | 'PAY';

/**
 * The allowed transitions. A dossier is received, declared admissible or not, then granted or
 * refused; only a granted dossier is paid (as often as its measure pays: advances, balances,
 * instalments). Inadmissible and refused dossiers are closed.
 */
const TRANSITIONS: Record<DossierStatus, Partial<Record<DossierAction, DossierStatus>>> = {
  RECEIVED: { DECLARE_ADMISSIBLE: 'ADMISSIBLE', DECLARE_INADMISSIBLE: 'INADMISSIBLE' },
  ADMISSIBLE: { GRANT: 'GRANTED', REFUSE: 'REFUSED' },
  INADMISSIBLE: {},
  GRANTED: { PAY: 'GRANTED' },
  REFUSED: {},
  // Closed outside these commands: a cancelled trajectory, a file closed without follow-up.
  CANCELLED: {},
  CLOSED: {},
};

/** Event type written for each action. */
export const EVENT_OF_ACTION: Record<DossierAction, string> = {
  DECLARE_ADMISSIBLE: 'ADMISSIBLE',
  DECLARE_INADMISSIBLE: 'INADMISSIBLE',
  GRANT: 'GRANTED',
  REFUSE: 'REFUSED',
  PAY: 'PAID',
};

/** The status after `action`, or a CONFLICT error naming what is possible instead. */
export function transition(from: DossierStatus, action: DossierAction): DossierStatus {
  const to = TRANSITIONS[from][action];
  if (to) return to;
  const allowed = Object.keys(TRANSITIONS[from]);
  throw new DomainError(
    'CONFLICT',
    `A dossier that is ${from} cannot ${action.toLowerCase().replace(/_/g, ' ')}` +
      (allowed.length ? `; possible: ${allowed.join(', ')}` : '; it is closed'),
    { status: from, action },
  );
}
