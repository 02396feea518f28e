import { publishedMeasures } from '@measure-graph/db';
import { describe, expect, it } from 'vitest';
import { normRecordsOf } from '../src/demo/catalogue/records.ts';

describe('normRecordsOf', () => {
  it('maps the published VOP norms to stable ids and upper-case enums', () => {
    const vop = publishedMeasures().find((m) => m.code === 'VOP')!;
    const norms = normRecordsOf(vop);
    expect(norms).toHaveLength(5);
    expect(norms[0]).toEqual({
      id: 'VOP-1',
      measureCode: 'VOP',
      position: 1,
      label: '100% aanvragen binnen 7 dagen ontvankelijk',
      stage: 'ADMISSIBILITY',
      kind: 'LEGAL',
      targetShare: 1,
      thresholdDays: 7,
      thresholdRule: null,
      channel: null,
      overviewRowId: 'OV01',
    });
    expect(norms.map((n) => n.channel)).toContain('ONLINE');
  });

  it('covers the 73 published norms, 69 of them in the overview table', () => {
    const all = publishedMeasures().flatMap(normRecordsOf);
    expect(all).toHaveLength(73);
    expect(all.filter((n) => n.overviewRowId !== null)).toHaveLength(69);
    expect(new Set(all.map((n) => n.id)).size).toBe(73);
  });
});
