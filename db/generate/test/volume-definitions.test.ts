import { publishedMeasures } from '@measure-graph/db';
import { describe, expect, it } from 'vitest';
import { volumeDefinitionsOf } from '../src/demo/catalogue/volume-definitions.ts';

const measure = (code: string) => publishedMeasures().find((m) => m.code === code)!;
const byLabel = (code: string) => new Map(volumeDefinitionsOf(measure(code)).map((d) => [d.label, d]));

describe('volumeDefinitionsOf', () => {
  it('gives every row of every card a stable id in card order', () => {
    for (const m of publishedMeasures()) {
      const defs = volumeDefinitionsOf(m);
      expect(defs.map((d) => d.id)).toEqual(m.volumes.map((_, i) => `${m.code}-V${i + 1}`));
    }
  });

  it('reads the common wordings as computed metrics', () => {
    const vop = byLabel('VOP');
    expect(vop.get('Aantal ontvangen dossiers')).toMatchObject({ metric: 'DOSSIERS_RECEIVED', kinds: null });
    expect(vop.get('% online')).toMatchObject({ metric: 'ONLINE_SHARE', unit: 'SHARE' });
    expect(vop.get('Aantal afgehandelde dossiers')).toMatchObject({
      metric: 'DOSSIERS_HANDLED',
      eventTypes: ['GRANTED', 'REFUSED'],
      kinds: ['APPLICATION', 'EXTENSION', 'INCREASE'],
    });
    // "tem 3de kwartaal": payments up to the end of September.
    expect(vop.get('Aantal betaalde dossiers (tem 3de kwartaal)')).toMatchObject({
      metric: 'PAYMENTS',
      throughMonth: 9,
    });
    // Whitespace and a trailing colon in the source do not matter.
    expect(byLabel('MENTORKORTING').get('Aantal afgehandelde dossiers :')).toMatchObject({
      metric: 'DOSSIERS_HANDLED',
    });
    expect(byLabel('LDE').get("Aantal goedgekeurde saldo's")).toMatchObject({
      metric: 'PAYMENTS',
      paymentKinds: ['BALANCE'],
    });
  });

  it('maps card-specific rows to events and kinds', () => {
    expect(byLabel('UITZEND_ERKENNING').get('Aantal schrappingen')).toMatchObject({
      metric: 'EVENTS',
      eventTypes: ['STRUCK_OFF'],
    });
    expect(byLabel('DIENSTENCHEQUES').get('Aantal aanvragen erkenningen')).toMatchObject({
      metric: 'DOSSIERS_RECEIVED',
      kinds: ['FIRST_APPLICATION'],
    });
    expect(byLabel('BKT').get('Aantal afgehandelde dossiers')!.eventTypes).toEqual(['GRANTED', 'REFUSED', 'CANCELLED']);
  });

  it('keeps figures from other systems as registered: stocks per year, flows per month', () => {
    const dc = byLabel('DIENSTENCHEQUES').get('Aantal uitgegeven dienstencheques')!;
    expect(dc).toMatchObject({ metric: 'REGISTERED', registeredPer: 'MONTH' });
    const heads = byLabel('LDE').get('Aantal tewerkgestelde personen (unieke koppen)')!;
    expect(heads).toMatchObject({ metric: 'REGISTERED', registeredPer: 'YEAR' });
    const share = byLabel('OPLEIDINGSDATABANK').get('bevestiging weigering %')!;
    expect(share).toMatchObject({ metric: 'REGISTERED', unit: 'SHARE', registeredPer: 'YEAR' });
  });
});
