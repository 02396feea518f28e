import { describe, expect, it } from 'vitest';
import { Prng } from '../src/demo/prng.ts';
import { at } from '../src/demo/dossiers/item-placement.ts';
import { assignChannels, reconcileReceived, type StageItem } from '../src/demo/dossiers/received-reconciliation.ts';

const DAY = 86_400_000;
const item = (type: string, received: number, days: number, extra: Partial<StageItem> = {}): StageItem => ({
  kind: 'APPLICATION',
  channel: 'ONLINE',
  channelFixed: false,
  received,
  completed: null,
  referenceDate: '2020-01-01',
  events: [[type, received + days * DAY]],
  status: type,
  canShift: () => true,
  ...extra,
});
const receivedIn = (items: StageItem[], year: number) =>
  items.filter((i) => new Date(i.received).getUTCFullYear() === year).length;
const endsIn = (items: StageItem[], type: string, year: number) =>
  items.flatMap((i) => i.events).filter(([t, time]) => t === type && new Date(time).getUTCFullYear() === year).length;
const pending = (year: number): StageItem => ({ ...item('X', at(`${year}-06-01`), 0), events: [], status: 'RECEIVED' });

describe('reconcileReceived', () => {
  it('merges admissibility into decisions, keeping each delay and every count of stage events', () => {
    const items = [
      ...Array.from({ length: 10 }, (_, i) => item('ADMISSIBLE', at('2020-03-01') + i * DAY, 5)),
      ...Array.from({ length: 10 }, (_, i) => item('GRANTED', at('2020-05-01') + i * DAY, 20)),
    ];
    reconcileReceived(items, new Map([[2020, 12]]), null, pending, new Prng(1));
    expect(receivedIn(items, 2020)).toBe(12);
    expect(endsIn(items, 'ADMISSIBLE', 2020)).toBe(10);
    expect(endsIn(items, 'GRANTED', 2020)).toBe(10);
    for (const merged of items.filter((i) => i.events.length === 2)) {
      expect(merged.events[0]![1] - merged.received).toBe(5 * DAY);
      expect(merged.events[0]![1]).toBeLessThan(merged.events[1]![1]);
    }
  });

  it('moves decisions to a receipt in the year before, durations and decision year kept', () => {
    const items = Array.from({ length: 10 }, (_, i) => item('GRANTED', at('2020-04-01') + i * DAY, 30));
    reconcileReceived(items, new Map([[2020, 6]]), null, pending, new Prng(2));
    expect(receivedIn(items, 2020)).toBe(6);
    expect(receivedIn(items, 2019)).toBe(4);
    expect(endsIn(items, 'GRANTED', 2020)).toBe(10);
    for (const i of items) expect(i.events[0]![1] - i.received).toBe(30 * DAY);
  });

  it('handles the newest year first, so the year before absorbs what moved into it', () => {
    const items = [
      ...Array.from({ length: 8 }, (_, i) => item('GRANTED', at('2019-04-01') + i * DAY, 30)),
      ...Array.from({ length: 8 }, (_, i) => item('GRANTED', at('2020-04-01') + i * DAY, 30)),
    ];
    reconcileReceived(
      items,
      new Map([
        [2019, 9],
        [2020, 5],
      ]),
      null,
      pending,
      new Prng(3),
    );
    expect([receivedIn(items, 2019), receivedIn(items, 2020)]).toEqual([9, 5]);
    expect([endsIn(items, 'GRANTED', 2019), endsIn(items, 'GRANTED', 2020)]).toEqual([8, 8]);
  });

  it('adds dossiers in treatment for a shortfall and never moves what may not move', () => {
    const fixed = Array.from({ length: 3 }, (_, i) =>
      item('GRANTED', at('2020-02-01') + i * DAY, 9, { canShift: null }),
    );
    const items = [...fixed];
    reconcileReceived(items, new Map([[2020, 7]]), null, pending, new Prng(4));
    expect(items).toHaveLength(7);
    expect(items.filter((i) => i.status === 'RECEIVED' && i.events.length === 0)).toHaveLength(4);
    expect(() => reconcileReceived(fixed, new Map([[2020, 1]]), null, pending, new Prng(4))).toThrow(/cannot bring/);
  });

  it('counts only the kinds of a kind-specific row', () => {
    const items = [
      ...Array.from({ length: 4 }, (_, i) => item('GRANTED', at('2020-04-01') + i * DAY, 10, { kind: 'NEW' })),
      ...Array.from({ length: 4 }, (_, i) => item('GRANTED', at('2020-04-01') + i * DAY, 10)),
    ];
    reconcileReceived(items, new Map([[2020, 2]]), ['NEW'], (y) => ({ ...pending(y), kind: 'NEW' }), new Prng(5));
    expect(items.filter((i) => i.kind === 'NEW' && new Date(i.received).getUTCFullYear() === 2020)).toHaveLength(2);
    expect(
      items.filter((i) => i.kind === 'APPLICATION' && new Date(i.received).getUTCFullYear() === 2020),
    ).toHaveLength(4);
  });
});

describe('assignChannels', () => {
  it('chooses free channels so the online share prints as published, fixed channels kept', () => {
    const items = [
      ...Array.from({ length: 40 }, (_, i) =>
        item('GRANTED', at('2020-03-01') + i * DAY, 3, { channel: 'PAPER', channelFixed: true }),
      ),
      ...Array.from({ length: 960 }, (_, i) => item('GRANTED', at('2020-03-01') + (i % 200) * DAY, 3)),
    ];
    assignChannels(items, new Map([[2020, { value: 0.73, precision: 2 }]]), new Prng(6));
    expect(items.filter((i) => i.channel === 'ONLINE')).toHaveLength(730);
    expect(items.slice(0, 40).every((i) => i.channel === 'PAPER')).toBe(true);
    expect(() =>
      assignChannels(items.slice(0, 40), new Map([[2020, { value: 0.5, precision: 2 }]]), new Prng(6)),
    ).toThrow(/no channel split/);
  });
});
