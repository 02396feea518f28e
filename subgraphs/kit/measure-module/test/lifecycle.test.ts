import { describe, expect, it } from 'vitest';
import { DomainError } from '@measure-graph/errors';
import {
  FOLLOW_UP_EVENTS,
  followUp,
  transition,
  type DossierAction,
  type DossierStatus,
  type LifecycleState,
} from '../src/lifecycle.ts';

const ACTIONS: DossierAction[] = ['DECLARE_ADMISSIBLE', 'DECLARE_INADMISSIBLE', 'GRANT', 'REFUSE', 'PAY'];

describe('dossier lifecycle', () => {
  it('follows received -> admissible -> granted -> paid', () => {
    let status: DossierStatus = 'RECEIVED';
    status = transition(status, 'DECLARE_ADMISSIBLE');
    expect(status).toBe('ADMISSIBLE');
    status = transition(status, 'GRANT');
    expect(status).toBe('GRANTED');
    expect(transition(status, 'PAY')).toBe('GRANTED');
    expect(transition('ADMISSIBLE', 'REFUSE')).toBe('REFUSED');
    expect(transition('RECEIVED', 'DECLARE_INADMISSIBLE')).toBe('INADMISSIBLE');
  });

  it('decides a received dossier directly: the decision includes its admissibility', () => {
    expect(transition('RECEIVED', 'GRANT')).toBe('GRANTED');
    expect(transition('RECEIVED', 'REFUSE')).toBe('REFUSED');
  });

  it.each([
    ['RECEIVED', 'PAY'],
    ['INADMISSIBLE', 'GRANT'],
    ['ADMISSIBLE', 'DECLARE_ADMISSIBLE'],
    ['ADMISSIBLE', 'PAY'],
    ['GRANTED', 'REFUSE'],
    ['REFUSED', 'PAY'],
  ] as Array<[DossierStatus, DossierAction]>)('rejects %s -> %s with CONFLICT', (from, action) => {
    expect(() => transition(from, action)).toThrow(DomainError);
    try {
      transition(from, action);
    } catch (err) {
      expect((err as DomainError).extensions).toMatchObject({ code: 'CONFLICT', status: from, action });
    }
  });

  it('closes inadmissible and refused dossiers for every action', () => {
    for (const closed of ['INADMISSIBLE', 'REFUSED'] as DossierStatus[]) {
      for (const action of ACTIONS) expect(() => transition(closed, action), `${closed} ${action}`).toThrow(/closed/);
    }
  });

  describe('follow-up events', () => {
    const replay = (status: DossierStatus, ...types: string[]): LifecycleState =>
      types.reduce((state, type) => followUp(state, type), { status, openAppeals: 0 });
    const conflict = (status: DossierStatus, ...types: string[]) => {
      try {
        replay(status, ...types);
      } catch (err) {
        return (err as DomainError).extensions;
      }
      throw new Error(`${status} ${types.join(' ')} was accepted`);
    };

    it('records withdrawals, revocations and infringements of a granted dossier, which stays granted', () => {
      for (const type of ['WITHDRAWN', 'REVOKED', 'STRUCK_OFF', 'TRANSFERRED', 'INFRINGEMENT_OPENED'])
        expect(replay('GRANTED', type)).toEqual({ status: 'GRANTED', openAppeals: 0 });
    });

    it('refuses them on a dossier that was never granted', () => {
      for (const status of ['RECEIVED', 'ADMISSIBLE', 'REFUSED', 'INADMISSIBLE'] as DossierStatus[])
        expect(conflict(status, 'WITHDRAWN')).toMatchObject({ code: 'CONFLICT', status, type: 'WITHDRAWN' });
    });

    it('lets a decided dossier be appealed, and an appeal be decided once per appeal', () => {
      expect(replay('REFUSED', 'APPEALED', 'APPEAL_DECIDED')).toEqual({ status: 'REFUSED', openAppeals: 0 });
      expect(replay('GRANTED', 'APPEALED', 'APPEALED', 'APPEAL_DECIDED')).toEqual({
        status: 'GRANTED',
        openAppeals: 1,
      });
      expect(replay('INADMISSIBLE', 'APPEALED').openAppeals).toBe(1);
      expect(conflict('REFUSED', 'APPEAL_DECIDED')).toMatchObject({ code: 'CONFLICT', type: 'APPEAL_DECIDED' });
      expect(conflict('REFUSED', 'APPEALED', 'APPEAL_DECIDED', 'APPEAL_DECIDED')).toMatchObject({ code: 'CONFLICT' });
      expect(conflict('RECEIVED', 'APPEALED')).toMatchObject({ code: 'CONFLICT', status: 'RECEIVED' });
    });

    it('records steps of an open file without deciding it', () => {
      for (const type of ['ADVISED', 'ASSESSED', 'REPORT_ASSESSED', 'REGISTERED', 'EFFECTIVE', 'CALL_CLOSED']) {
        expect(replay('RECEIVED', type).status).toBe('RECEIVED');
        expect(replay('ADMISSIBLE', type).status).toBe('ADMISSIBLE');
        expect(conflict('REFUSED', type)).toMatchObject({ code: 'CONFLICT' });
      }
    });

    it('cancels and closes files, which are then closed to every command', () => {
      expect(replay('RECEIVED', 'CLOSED_WITHOUT_FOLLOW_UP').status).toBe('CLOSED');
      expect(replay('ADMISSIBLE', 'CLOSED').status).toBe('CLOSED');
      expect(replay('GRANTED', 'CANCELLED').status).toBe('CANCELLED');
      expect(conflict('REFUSED', 'CANCELLED')).toMatchObject({ code: 'CONFLICT' });
      expect(conflict('GRANTED', 'CLOSED_WITHOUT_FOLLOW_UP')).toMatchObject({ code: 'CONFLICT' });
      for (const closed of ['CANCELLED', 'CLOSED'] as DossierStatus[]) {
        for (const action of ACTIONS) expect(() => transition(closed, action)).toThrow(/closed/);
        expect(conflict(closed, 'APPEALED')).toMatchObject({ code: 'CONFLICT' });
      }
    });

    it('knows no other event type', () => {
      expect(conflict('GRANTED', 'PAID')).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(Object.keys(FOLLOW_UP_EVENTS)).not.toContain('GRANTED');
    });
  });
});
