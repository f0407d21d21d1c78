/**
 * One app's or one category's share of the range: its total and share of
 * active time, its time per period (RescueTime-style analytic data, filtered
 * to it), and on a single day the blocks of the app or the apps of the
 * category. Opened from the top lists, the donut or the timeline; closed
 * with the button or Escape-free back navigation (it lives in the URL).
 */
import { useEffect, useRef } from 'react';
import { reportsApi } from '../../api/reports';
import type { Summary, Timeline } from '../../api/types';
import { ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { formatDuration } from '../../format/duration';
import { formatDay, formatPercent, formatTime } from '../../format/numbers';
import { levelInfo } from './levels';
import { TopList } from './top-list';

export type DrillTarget =
  { readonly kind: 'app'; readonly name: string } | { readonly kind: 'category'; readonly id: string };

interface Props {
  readonly target: DrillTarget;
  readonly range: { readonly from: string; readonly to: string; readonly tz: string };
  readonly bucket: 'day' | 'week' | 'month';
  readonly summary: Summary;
  readonly timeline: Timeline | null;
  readonly onClose: () => void;
  readonly onSelectApp: (name: string) => void;
}

function PeriodBars({ series }: { readonly series: ReadonlyArray<{ label: string; seconds: number }> }) {
  const max = Math.max(1, ...series.map((s) => s.seconds));
  const w = 600 / Math.max(1, series.length);
  return (
    <svg viewBox="0 0 600 80" className="mini-bars" role="img" aria-label="Time per period">
      {series.map((s, i) => {
        const h = (s.seconds / max) * 70;
        return (
          <rect
            key={s.label}
            x={i * w + w * 0.1}
            y={76 - h}
            width={Math.max(1, w * 0.8)}
            height={h}
            className="mini-bar"
          >
            <title>{`${formatDay(s.label.slice(0, 10))}: ${formatDuration(s.seconds)}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

export function DrillDown(props: Props) {
  const { target, range, summary } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  const category = target.kind === 'category' ? summary.byCategory.find((c) => (c.id ?? 'none') === target.id) : null;
  const app = target.kind === 'app' ? summary.byApp.find((a) => a.name === target.name) : null;
  const name = target.kind === 'app' ? target.name : (category?.name ?? 'Category');
  const seconds = app?.seconds ?? category?.seconds ?? 0;
  const level = levelInfo(app?.level ?? category?.level ?? 0);

  useEffect(() => heading.current?.focus(), [name]);

  const series = useLoad(
    async (signal) => {
      const data = await reportsApi.analytic(
        {
          perspective: 'interval',
          resolution_time: props.bucket,
          restrict_begin: range.from,
          restrict_end: range.to,
          restrict_kind: target.kind === 'app' ? 'activity' : 'category',
          tz: range.tz,
        },
        signal,
      );
      return data.rows
        .filter((row) => row[3] === name)
        .map((row) => ({ label: String(row[0]), seconds: Number(row[1]) }));
    },
    [target.kind, name, range.from, range.to, range.tz, props.bucket],
  );

  const blocks = target.kind === 'app' ? (props.timeline?.blocks.filter((b) => b.app === target.name) ?? []) : [];
  const categoryApps =
    target.kind === 'category' ? summary.byApp.filter((a) => (a.category?.id ?? 'none') === target.id) : [];

  return (
    <section className="card drill" aria-labelledby="drill-title">
      <div className="drill-header">
        <div>
          <p className="muted small">{target.kind === 'app' ? 'App' : 'Category'}</p>
          <h2 id="drill-title" ref={heading} tabIndex={-1}>
            {name}
          </h2>
        </div>
        <button type="button" className="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      <dl className="facts">
        <div>
          <dt>Time</dt>
          <dd>{formatDuration(seconds)}</dd>
        </div>
        <div>
          <dt>Share of active time</dt>
          <dd>{summary.activeSeconds > 0 ? formatPercent(seconds / summary.activeSeconds) : '–'}</dd>
        </div>
        <div>
          <dt>Category</dt>
          <dd>{app ? (app.category?.name ?? 'Uncategorised') : (category?.path.join(' › ') ?? '–')}</dd>
        </div>
        <div>
          <dt>Productivity</dt>
          <dd>
            <span className={`swatch ${level.className}`} aria-hidden="true" /> {level.label}
          </dd>
        </div>
      </dl>
      {series.status === 'loading' && <Loading label="Loading its time per period…" />}
      {series.status === 'error' && <ErrorMessage error={series.error} onRetry={series.reload} />}
      {series.status === 'ready' && series.data.length > 1 && <PeriodBars series={series.data} />}
      {blocks.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">When {name} was used</caption>
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Window or site</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {blocks.slice(0, 200).map((b, i) => (
                <tr key={i}>
                  <td>{formatTime(b.start, range.tz)}</td>
                  <td>{formatTime(b.end, range.tz)}</td>
                  <td className="cell-wrap">{b.domain ?? b.title ?? <span className="muted">not stored</span>}</td>
                  <td>{formatDuration(b.seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {categoryApps.length > 0 && (
        <>
          <h3>Apps in this category</h3>
          <TopList rows={categoryApps} label={`Apps in ${name}`} onSelect={(row) => props.onSelectApp(row.name)} />
        </>
      )}
    </section>
  );
}
