import { DomainError } from '@measure-graph/errors';

/** Where a dossier is in its lifecycle. */
export type DossierStatus = 'RECEIVED' | 'ADMISSIBLE' | 'INADMISSIBLE' | 'GRANTED' | 'REFUSED' | 'CANCELLED' | 'CLOSED';

/** What can happen to a dossier; each is recorded as a timestamped event. */
export type DossierAction = 'DECLARE_ADMISSIBLE' | 'DECLARE_INADMISSIBLE' | 'GRANT' | 'REFUSE' | 'PAY';

/**
 * The allowed transitions. A dossier is received, declared admissible or not, then granted or
 * refused; only a granted dossier is paid (as often as its measure pays: advances, balances,
 * instalments). A decision on a dossier still RECEIVED decides its admissibility with it: most
 * premiums and subsidies have no separate admissibility decision, the grant or refusal is the
 * first decision their file records. Inadmissible and refused dossiers are closed to these
 * commands; what still happens to a dossier after its decision (appeals, withdrawals, ...) is a
 * follow-up event (FOLLOW_UP_EVENTS).
 */
const TRANSITIONS: Record<DossierStatus, Partial<Record<DossierAction, DossierStatus>>> = {
  RECEIVED: {
    DECLARE_ADMISSIBLE: 'ADMISSIBLE',
    DECLARE_INADMISSIBLE: 'INADMISSIBLE',
    GRANT: 'GRANTED',
    REFUSE: 'REFUSED',
  },
  ADMISSIBLE: { GRANT: 'GRANTED', REFUSE: 'REFUSED' },
  INADMISSIBLE: {},
  GRANTED: { PAY: 'GRANTED' },
  REFUSED: {},
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

const OPEN: DossierStatus[] = ['RECEIVED', 'ADMISSIBLE'];
const DECIDED: DossierStatus[] = ['INADMISSIBLE', 'GRANTED', 'REFUSED'];

/** A follow-up event: on which statuses it can happen, the status it leads to (default: unchanged). */
export interface FollowUp {
  on: readonly DossierStatus[];
  to?: DossierStatus;
  /** The event needs an earlier one of this type that no event of its own type answered yet. */
  answers?: string;
  meaning: string;
}

/**
 * Events a dossier's file records besides admissibility, decision and payment: steps of the
 * handling that decide nothing, the end of a file without decision, and what happens after a
 * decision. The report counts them (withdrawals, appeals, infringement files, assessed reports,
 * ...). They keep the dossier's status unless `to` says otherwise: a recognition withdrawn later
 * was still granted, and the appeal against a refusal leaves the refusal recorded.
 */
export const FOLLOW_UP_EVENTS: Readonly<Record<string, FollowUp>> = {
  // Steps of the handling of an open file (no decision).
  ADVISED: { on: OPEN, meaning: 'an advice on the file was given' },
  ASSESSED: { on: OPEN, meaning: 'the file (a financial report) was assessed' },
  REPORT_ASSESSED: { on: OPEN, meaning: 'a report of the file was assessed' },
  REGISTERED: { on: OPEN, meaning: 'the filing was registered' },
  EFFECTIVE: { on: OPEN, meaning: 'the requested change took effect' },
  CALL_CLOSED: { on: OPEN, meaning: 'the call the file opened was closed for submissions' },
  // Files that end without a decision.
  CANCELLED: { on: [...OPEN, 'GRANTED'], to: 'CANCELLED', meaning: 'the application or trajectory was stopped' },
  CLOSED: { on: OPEN, to: 'CLOSED', meaning: 'the file was closed without a decision (its handling ends there)' },
  CLOSED_WITHOUT_FOLLOW_UP: { on: OPEN, to: 'CLOSED', meaning: 'the file was closed without follow-up' },
  // After a grant (a recognition, a permit, a sanction imposed).
  WITHDRAWN: { on: ['GRANTED'], meaning: 'the recognition was withdrawn at the holder’s request' },
  REVOKED: { on: ['GRANTED'], meaning: 'the recognition was withdrawn ex officio' },
  STRUCK_OFF: { on: ['GRANTED'], meaning: 'the holder was struck off' },
  TRANSFERRED: { on: ['GRANTED'], meaning: 'the recognition was transferred' },
  INFRINGEMENT_OPENED: { on: ['GRANTED'], meaning: 'an infringement file was opened on the holder' },
  // Appeals against a decision.
  APPEALED: { on: DECIDED, meaning: 'an appeal against the decision was lodged' },
  APPEAL_DECIDED: { on: DECIDED, answers: 'APPEALED', meaning: 'the appeal was decided' },
};

/** Where a dossier is, with what its follow-up events need to know of its history. */
export interface LifecycleState {
  status: DossierStatus;
  /** Appeals lodged and not decided yet. */
  openAppeals: number;
}

/**
 * The state after the follow-up event `type`, or a CONFLICT error (BAD_USER_INPUT for a type that
 * is no follow-up event).
 */
export function followUp(state: LifecycleState, type: string): LifecycleState {
  const rule = FOLLOW_UP_EVENTS[type];
  if (!rule) throw new DomainError('BAD_USER_INPUT', `${type} is not a follow-up event`, { type });
  if (!rule.on.includes(state.status)) {
    throw new DomainError(
      'CONFLICT',
      `A dossier that is ${state.status} cannot have ${type}; only a dossier that is ${rule.on.join(' or ')}`,
      { status: state.status, type },
    );
  }
  let openAppeals = state.openAppeals;
  if (type === 'APPEALED') openAppeals++;
  if (rule.answers === 'APPEALED') {
    if (openAppeals === 0) {
      throw new DomainError('CONFLICT', `${type} needs an earlier APPEALED that was not decided yet`, {
        status: state.status,
        type,
      });
    }
    openAppeals--;
  }
  return { status: rule.to ?? state.status, openAppeals };
}
