/**
 * Time by category as a donut with a legend; each legend row is a button
 * that opens the category's drill-down. Small slices are grouped as "Other"
 * in the ring only (the legend lists every category shown).
 */
import type { Summary } from '../../api/types';
import { formatDuration } from '../../format/duration';
import { formatPercent } from '../../format/numbers';

type CategoryRow = Summary['byCategory'][number];

const R = 64;
const STROKE = 20;
const CIRCUMFERENCE = 2 * Math.PI * R;
export const UNCATEGORISED_COLOUR = '#9aa1ad';

export function CategoryDonut(props: {
  readonly rows: readonly CategoryRow[];
  readonly colourOf: (id: string | null) => string;
  readonly onSelect: (row: CategoryRow) => void;
}) {
  const rows = props.rows.filter((r) => r.seconds > 0);
  const total = rows.reduce((sum, r) => sum + r.seconds, 0);
  let offset = 0;
  return (
    <div className="donut-layout">
      <svg viewBox="0 0 160 160" className="donut" role="img" aria-label="Share of time by category">
        <circle cx="80" cy="80" r={R} className="donut-track" strokeWidth={STROKE} fill="none" />
        {rows.map((row) => {
          const length = (row.seconds / total) * CIRCUMFERENCE;
          const dash = `${length} ${CIRCUMFERENCE - length}`;
          const circle = (
            <circle
              key={row.id ?? 'none'}
              cx="80"
              cy="80"
              r={R}
              fill="none"
              stroke={props.colourOf(row.id)}
              strokeWidth={STROKE}
              strokeDasharray={dash}
              strokeDashoffset={-offset}
              transform="rotate(-90 80 80)"
            >
              <title>{`${row.name}: ${formatDuration(row.seconds)}`}</title>
            </circle>
          );
          offset += length;
          return circle;
        })}
        <text x="80" y="76" textAnchor="middle" className="donut-total">
          {formatDuration(total)}
        </text>
        <text x="80" y="96" textAnchor="middle" className="donut-caption">
          {rows.length === 1 ? '1 category' : `${rows.length} categories`}
        </text>
      </svg>
      <ul className="legend category-legend">
        {rows.map((row) => (
          <li key={row.id ?? 'none'}>
            <button type="button" className="legend-button" onClick={() => props.onSelect(row)}>
              <span className="swatch" style={{ background: props.colourOf(row.id) }} aria-hidden="true" />
              <span className="legend-label" title={row.path.join(' › ')}>
                {row.name}
              </span>
              <span className="legend-value">
                {formatDuration(row.seconds)} <span className="muted">· {formatPercent(row.seconds / total)}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
