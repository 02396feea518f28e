import { formatNumber, formatShare } from '../format.ts';

export interface TrendPoint {
  year: number;
  /** Null: not registered for the year (drawn as a gap, not as zero). */
  value: number | null;
}

const WIDTH = 420;
const HEIGHT = 180;
const PAD = { top: 16, right: 16, bottom: 28, left: 64 };

/**
 * A line over the years, in plain SVG: a handful of points needs no chart library. The values are
 * also in the table beside it, which is what assistive technology reads; the SVG carries a summary.
 */
export function TrendChart({ title, unit, points }: { title: string; unit: 'COUNT' | 'SHARE'; points: TrendPoint[] }) {
  const show = (v: number | null) => (unit === 'SHARE' ? formatShare(v) : formatNumber(v));
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  // Shares on a 0-100 % axis, counts from zero up to the largest (at least 1, so all-zero draws flat).
  const max = Math.max(1, ...values);
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  // One path segment per run of registered values, so a missing year is a gap.
  const segments: string[] = [];
  let current = '';
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const summary = `${title}: ${points.map((p) => `${p.year} ${show(p.value)}`).join(', ')}`;
  return (
    <svg
      className="trend"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={summary}
      data-testid="trend-chart"
    >
      <title>{summary}</title>
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line className="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * f)} y2={y(max * f)} />
          <text className="axis" x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end">
            {show(max * f)}
          </text>
        </g>
      ))}
      {segments.map((d, i) => (
        <path key={i} className="line" d={d} />
      ))}
      {points.map((p, i) => (
        <g key={p.year}>
          {p.value !== null ? <circle className="point" cx={x(i)} cy={y(p.value)} r={4} /> : null}
          <text className="axis" x={x(i)} y={HEIGHT - 8} textAnchor="middle">
            {p.year}
          </text>
        </g>
      ))}
    </svg>
  );
}
