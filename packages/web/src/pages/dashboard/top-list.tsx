/**
 * A ranked list (top apps, top sites) with a bar per row in the colour of
 * its productivity level; each row is a button that opens its drill-down.
 */
import type { Summary } from '../../api/types';
import { formatDuration } from '../../format/duration';
import { levelInfo } from './levels';

type Named = Summary['byApp'][number];

export function TopList(props: {
  readonly rows: readonly Named[];
  readonly label: string;
  readonly onSelect?: (row: Named) => void;
}) {
  const max = Math.max(1, ...props.rows.map((r) => r.seconds));
  return (
    <ol className="top-list" aria-label={props.label}>
      {props.rows.map((row) => {
        const level = levelInfo(row.level);
        const content = (
          <>
            <span className="top-name" title={row.name}>
              {row.name}
            </span>
            <span className="top-value">{formatDuration(row.seconds)}</span>
            <span className="top-bar-track" aria-hidden="true">
              <span className={`top-bar ${level.className}`} style={{ width: `${(row.seconds / max) * 100}%` }} />
            </span>
            <span className="top-meta muted small">
              {row.category?.name ?? 'Uncategorised'} · {level.label}
            </span>
          </>
        );
        return (
          <li key={row.name}>
            {props.onSelect ? (
              <button type="button" className="top-row" onClick={() => props.onSelect?.(row)}>
                {content}
              </button>
            ) : (
              <div className="top-row">{content}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
