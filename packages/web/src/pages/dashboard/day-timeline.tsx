/**
 * The day hour by hour: a band of activity coloured by category (runs of
 * back-to-back blocks of one category, timeline-runs.ts), a
 * band of away periods (hatched), and under them the active time of each
 * hour stacked by productivity level. Hours come from the server, so a
 * daylight-saving day has its 23 or 25 hours. Hover shows a run's category,
 * time and apps; clicking one opens the drill-down of its main app.
 */
import type { Timeline } from '../../api/types';
import { formatDuration } from '../../format/duration';
import { formatTime } from '../../format/numbers';
import { LEVELS } from './levels';
import { timelineRuns } from './timeline-runs';

const W = 1000;
const BLOCK_Y = 18;
const BLOCK_H = 34;
const AWAY_Y = BLOCK_Y + BLOCK_H + 6;
const AWAY_H = 12;
const HOURS_Y = AWAY_Y + AWAY_H + 14;
const HOURS_H = 90;
const LABEL_Y = HOURS_Y + HOURS_H + 16;
const H = LABEL_Y + 6;

export function DayTimeline(props: {
  readonly timeline: Timeline;
  readonly colourOf: (id: string | null) => string;
  readonly onSelectApp: (app: string) => void;
}) {
  const { timeline } = props;
  const first = timeline.hours[0];
  if (!first) return null;
  const dayStart = Date.parse(first.start);
  const dayLength = timeline.hours.length * 3_600_000;
  const x = (iso: string) => ((Date.parse(iso) - dayStart) / dayLength) * W;
  const width = (from: string, to: string) => Math.max(0.6, x(to) - x(from));
  const column = W / timeline.hours.length;
  const runs = timelineRuns(timeline.blocks);
  const active = timeline.hours.reduce((sum, h) => sum + h.activeSeconds, 0);
  const firstBlock = timeline.blocks[0];
  const lastBlock = timeline.blocks[timeline.blocks.length - 1];
  const span =
    firstBlock && lastBlock
      ? `, from ${formatTime(firstBlock.start, timeline.tz)} to ${formatTime(lastBlock.end, timeline.tz)}`
      : '';

  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="timeline"
      role="img"
      aria-label={`Timeline of the day: ${formatDuration(active)} active${span}, ${timeline.away.length === 1 ? '1 away period' : `${timeline.away.length} away periods`}`}
    >
      <defs>
        <pattern id="away-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" className="away-back" />
          <line x1="0" y1="0" x2="0" y2="6" className="away-line" strokeWidth="3" />
        </pattern>
      </defs>
      <text x="0" y="12" className="chart-label">
        Activity
      </text>
      <rect x="0" y={BLOCK_Y} width={W} height={BLOCK_H} className="timeline-lane" />
      {runs.map((run, i) => (
        <rect
          key={i}
          x={x(run.start)}
          y={BLOCK_Y}
          width={width(run.start, run.end)}
          height={BLOCK_H}
          fill={props.colourOf(run.category?.id ?? null)}
          className="timeline-block"
          onClick={() => props.onSelectApp(run.apps[0]?.name ?? '')}
        >
          <title>
            {`${run.category?.name ?? 'Uncategorised'}: ${formatTime(run.start, timeline.tz)}–${formatTime(run.end, timeline.tz)}, ${formatDuration(run.seconds)} (${run.apps
              .slice(0, 3)
              .map((a) => a.name)
              .join(', ')}${run.apps.length > 3 ? ', …' : ''})`}
          </title>
        </rect>
      ))}
      <rect x="0" y={AWAY_Y} width={W} height={AWAY_H} className="timeline-lane" />
      {timeline.away.map((away, i) => (
        <rect
          key={i}
          x={x(away.start)}
          y={AWAY_Y}
          width={width(away.start, away.end)}
          height={AWAY_H}
          fill="url(#away-hatch)"
          className="timeline-away"
        >
          <title>{`Away ${formatTime(away.start, timeline.tz)}–${formatTime(away.end, timeline.tz)}, ${formatDuration(away.seconds)}`}</title>
        </rect>
      ))}
      {timeline.hours.map((hour, i) => {
        let y = HOURS_Y + HOURS_H;
        return (
          <g key={hour.start}>
            <rect x={i * column + 1} y={HOURS_Y} width={column - 2} height={HOURS_H} className="hour-slot" />
            {LEVELS.map((level) => {
              const h = (hour.byProductivity[level.key] / 3600) * HOURS_H;
              if (h <= 0) return null;
              y -= h;
              return (
                <rect
                  key={level.key}
                  x={i * column + 2}
                  y={y}
                  width={column - 4}
                  height={h}
                  className={level.className}
                >
                  <title>{`${hour.label}: ${level.label} ${formatDuration(hour.byProductivity[level.key])}`}</title>
                </rect>
              );
            })}
            {i % 3 === 0 && (
              <text x={i * column + column / 2} y={LABEL_Y} textAnchor="middle" className="chart-label">
                {hour.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
