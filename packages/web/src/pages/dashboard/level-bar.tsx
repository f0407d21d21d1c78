/**
 * Time by productivity level as one stacked bar, very distracting (red) on
 * the left to very productive (blue) on the right, with a legend that
 * carries the durations in words (the colours alone are not enough).
 */
import { formatDuration } from '../../format/duration';
import { formatPercent } from '../../format/numbers';
import { LEVELS, levelTotal, type ByProductivity } from './levels';

export function LevelBar({ byProductivity }: { readonly byProductivity: ByProductivity }) {
  const total = levelTotal(byProductivity);
  return (
    <div>
      <div className="level-bar" aria-hidden="true">
        {total > 0 &&
          LEVELS.filter((l) => byProductivity[l.key] > 0).map((l) => (
            <span
              key={l.key}
              className={`level-bar-part ${l.className}`}
              style={{ width: `${(byProductivity[l.key] / total) * 100}%` }}
            />
          ))}
      </div>
      <ul className="legend level-legend">
        {LEVELS.map((l) => (
          <li key={l.key}>
            <span className={`swatch ${l.className}`} aria-hidden="true" />
            <span className="legend-label">{l.label}</span>
            <span className="legend-value">
              {formatDuration(byProductivity[l.key])}
              {total > 0 && <span className="muted"> · {formatPercent(byProductivity[l.key] / total)}</span>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
