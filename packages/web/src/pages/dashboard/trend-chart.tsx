/**
 * Active time per period (day, week or month) stacked by productivity level,
 * with the pulse of each period as a line on its own 0–100 scale. Labels
 * thin out so a year of days stays readable.
 */
import type { Trend } from '../../api/types';
import { formatDuration, formatHours } from '../../format/duration';
import { formatDay } from '../../format/numbers';
import { LEVELS } from './levels';

const W = 1000;
const TOP = 10;
const PLOT_H = 180;
const LEFT = 44;
const RIGHT = 30;
const H = TOP + PLOT_H + 28;

function periodLabel(period: string, bucket: string): string {
  if (bucket === 'month')
    return formatDay(`${period}-01`, undefined, {
      weekday: undefined,
      day: undefined,
      month: 'short',
      year: 'numeric',
    });
  return formatDay(period, undefined, bucket === 'week' ? { weekday: undefined } : undefined);
}

export function TrendChart({ trend }: { readonly trend: Trend }) {
  const series = trend.series;
  // The scale tops out at whole hours (even ones, or tens past 20 h), so the axis reads "2 h", not "2.1 h".
  const peakHours = Math.max(1, ...series.map((p) => p.activeSeconds / 3600));
  const max = (peakHours > 20 ? Math.ceil(peakHours / 10) * 10 : Math.ceil(peakHours / 2) * 2) * 3600;
  const plotW = W - LEFT - RIGHT;
  const step = plotW / Math.max(1, series.length);
  const barW = Math.min(48, Math.max(1, step * 0.75));
  const y = (seconds: number) => TOP + PLOT_H - (seconds / max) * PLOT_H;
  const labelEvery = Math.max(1, Math.ceil(series.length / 10));
  const pulsePoints = series.flatMap((p, i) =>
    p.pulse === null ? [] : [{ x: LEFT + i * step + step / 2, y: TOP + PLOT_H - (p.pulse / 100) * PLOT_H }],
  );
  const total = series.reduce((sum, p) => sum + p.activeSeconds, 0);

  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="trend"
      role="img"
      aria-label={`Active time per ${trend.bucket} over ${series.length} periods, ${formatDuration(total)} in all`}
    >
      {[0, 0.5, 1].map((share) => (
        <g key={share}>
          <line x1={LEFT} x2={W - RIGHT} y1={y(max * share)} y2={y(max * share)} className="grid-line" />
          <text x={LEFT - 6} y={y(max * share) + 4} textAnchor="end" className="chart-label">
            {formatHours(max * share)}
          </text>
        </g>
      ))}
      <text x={W - RIGHT + 4} y={TOP + 8} className="chart-label">
        100
      </text>
      {series.map((p, i) => {
        let top = TOP + PLOT_H;
        const x = LEFT + i * step + (step - barW) / 2;
        return (
          <g key={p.period}>
            {LEVELS.map((level) => {
              const h = (p.byProductivity[level.key] / max) * PLOT_H;
              if (h <= 0) return null;
              top -= h;
              return <rect key={level.key} x={x} y={top} width={barW} height={h} className={level.className} />;
            })}
            <rect x={LEFT + i * step} y={TOP} width={step} height={PLOT_H} className="hit-area">
              <title>{`${periodLabel(p.period, trend.bucket)}: ${formatDuration(p.activeSeconds)}${p.pulse === null ? '' : `, pulse ${p.pulse}`}`}</title>
            </rect>
            {i % labelEvery === 0 && (
              <text x={LEFT + i * step + step / 2} y={TOP + PLOT_H + 18} textAnchor="middle" className="chart-label">
                {periodLabel(p.period, trend.bucket)}
              </text>
            )}
          </g>
        );
      })}
      {pulsePoints.length > 1 && (
        <polyline points={pulsePoints.map((p) => `${p.x},${p.y}`).join(' ')} className="pulse-line" fill="none" />
      )}
      {series.length <= 14 &&
        pulsePoints.map((p) => <circle key={`${p.x}`} cx={p.x} cy={p.y} r={3.5} className="pulse-dot" />)}
    </svg>
  );
}
