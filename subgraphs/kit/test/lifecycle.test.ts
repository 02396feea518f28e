import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/errors.ts';
import { transition, type DossierAction, type DossierStatus } from '../src/measure-module/lifecycle.ts';

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

  it.each([
    ['RECEIVED', 'GRANT'],
    ['RECEIVED', 'PAY'],
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
});
