import { describe, expect, it } from 'vitest';
import { readDomainUrls } from '../src/domain-caller.ts';
import { DOMAINS, subgraphUrlVariable } from '../src/domains.ts';
import {
  checkDossierKeyFilter,
  compareDossierPositions,
  dossierPosition,
  type DossierKey,
} from '../src/dossier-keys.ts';

describe('the order of the cross-domain dossier list', () => {
  const sorted = (keys: DossierKey[]) =>
    [...keys].sort((a, b) => compareDossierPositions(dossierPosition(a)!, dossierPosition(b)!)).map((k) => k.id);

  it('is newest received first, then the greater number, then the greater prefix: a total order', () => {
    const at = '2020-05-04T10:00:00';
    expect(
      sorted([
        { id: 'ACT-9', receivedAt: at },
        { id: 'SE-10', receivedAt: '2020-05-04T09:59:59' },
        { id: 'ACT-10', receivedAt: at },
        { id: 'SE-9', receivedAt: at },
        { id: 'COM-1', receivedAt: '2020-05-04T10:00:01' },
      ]),
      // Numbers compare as numbers (10 after 9), not as text; the prefix breaks a tie of both.
    ).toEqual(['COM-1', 'ACT-10', 'SE-9', 'ACT-9', 'SE-10']);
  });

  it('refuses what is no dossier key', () => {
    expect(dossierPosition({ id: 'ACT-1', receivedAt: '2020-05-04T10:00:00' })).not.toBeNull();
    for (const key of [
      { id: 'ACT1', receivedAt: '2020-05-04T10:00:00' },
      { id: 'act-1', receivedAt: '2020-05-04T10:00:00' },
      { id: 'ACT-1', receivedAt: '2020-05-04 10:00' },
    ]) {
      expect(dossierPosition(key), JSON.stringify(key)).toBeNull();
    }
  });
});

describe('the filter of the cross-domain dossier list', () => {
  it('takes real days and ranges in order, and refuses others with the field', () => {
    expect(() =>
      checkDossierKeyFilter({ receivedFrom: '2020-02-29', receivedTo: '2020-02-29', decidedTo: '2021-01-31' }),
    ).not.toThrow();
    for (const [filter, field] of [
      [{ receivedFrom: '2021-02-29' }, 'filter.receivedFrom'],
      [{ decidedTo: '2020-1-5' }, 'filter.decidedTo'],
      [{ decidedFrom: '2020-03-02', decidedTo: '2020-03-01' }, 'filter.decidedFrom'],
      [{ year: 1999 }, 'filter.year'],
    ] as const) {
      let error: unknown;
      try {
        checkDossierKeyFilter(filter);
      } catch (err) {
        error = err;
      }
      expect((error as { extensions?: unknown })?.extensions, JSON.stringify(filter)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
  });
});

describe('the domain URLs of a subgraph that calls the domains (the registry)', () => {
  it('default to the development ports outside production', () => {
    expect(readDomainUrls({}, [])).toEqual({
      domainUrls: Object.fromEntries(DOMAINS.map((d) => [d.name, `http://localhost:${d.defaultPort}/graphql`])),
    });
  });

  it('are required in production, each named, and must be http(s) URLs', () => {
    const problems: string[] = [];
    expect(readDomainUrls({ NODE_ENV: 'production' }, problems)).toEqual({});
    expect(problems).toHaveLength(DOMAINS.length);
    for (const d of DOMAINS) expect(problems.join('\n')).toContain(subgraphUrlVariable(d.name));
    const bad: string[] = [];
    const env = Object.fromEntries(DOMAINS.map((d) => [subgraphUrlVariable(d.name), 'http://10.0.3.12:4002/graphql']));
    readDomainUrls({ ...env, NODE_ENV: 'production', ACTIVATION_URL: 'ftp://x' }, bad);
    expect(bad).toEqual(['ACTIVATION_URL must be an http:// or https:// URL']);
  });
});
