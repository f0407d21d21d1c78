/**
 * The dashboard: where the time went over the chosen range — active time,
 * the productivity pulse, time by level, categories, top apps and sites,
 * the day's timeline (one day) or the trend (several), and a drill-down
 * into any app or category. Range and drill-down live in the URL.
 */
import { useEffect } from 'react';
import { Empty, ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { formatDuration } from '../../format/duration';
import { formatDay } from '../../format/numbers';
import { browserTimeZone } from '../../format/ranges';
import { Link, navigate, useLocation } from '../../router';
import { CategoryDonut } from './category-donut';
import { bucketFor, colourFinder, loadDashboard } from './dashboard-data';
import { DayTimeline } from './day-timeline';
import { DrillDown, type DrillTarget } from './drill-down';
import { LevelBar } from './level-bar';
import { PulseGauge } from './pulse-gauge';
import { RangePicker, rangeFromQuery } from './range-picker';
import { TopList } from './top-list';
import { TrendChart } from './trend-chart';
import '../../styles/dashboard.css';

function rangeTitle(from: string, to: string): string {
  const year = { year: 'numeric' } as const;
  return from === to
    ? formatDay(from, undefined, year)
    : `${formatDay(from, undefined, year)} – ${formatDay(to, undefined, year)}`;
}

export default function DashboardPage() {
  const { query } = useLocation();
  const tz = browserTimeZone();
  const range = rangeFromQuery(query, new Date(), tz);
  const single = range.from === range.to;
  const drill: DrillTarget | null = query.get('app')
    ? { kind: 'app', name: query.get('app') ?? '' }
    : query.get('category')
      ? { kind: 'category', id: query.get('category') ?? '' }
      : null;

  const data = useLoad(
    (signal) => loadDashboard({ from: range.from, to: range.to, tz }, signal),
    [range.from, range.to, tz],
  );

  useEffect(() => {
    // Read by the performance script (scripts/bench-dashboard.mjs): data on screen, charts drawn.
    if (data.status === 'ready') performance.mark('sundial:dashboard-rendered');
  }, [data.status, data.data]);

  /** Keeps the range, changes the rest of the query. */
  const go = (next: Record<string, string>, keepRange = true) => {
    const params = new URLSearchParams();
    if (keepRange) {
      if (range.preset === 'custom') {
        params.set('from', range.from);
        params.set('to', range.to);
      } else params.set('range', range.preset);
    }
    for (const [key, value] of Object.entries(next)) params.set(key, value);
    navigate(`/?${params.toString()}`);
  };

  const loaded = data.data;
  const colourOf = colourFinder(loaded?.colours ?? new Map());
  const summary = loaded?.summary;

  return (
    <section className="page dashboard">
      <div className="page-header">
        <div>
          <h1>Dashboard</h1>
          <p className="muted range-title">{rangeTitle(range.from, range.to)}</p>
        </div>
        <RangePicker key={`${range.from}/${range.to}`} range={range} onChange={(q) => go(q, false)} />
      </div>

      {data.status === 'error' && <ErrorMessage error={data.error} onRetry={data.reload} />}
      {!loaded && data.status === 'loading' && <Loading label="Loading your time…" />}
      {loaded && summary && (
        <div
          className={data.status === 'loading' ? 'grid is-refreshing' : 'grid'}
          aria-busy={data.status === 'loading'}
        >
          {summary.recategorising && (
            <p className="notice span-12" role="status">
              Your history is being re-categorised after a rules change; categories may lag for a moment.
            </p>
          )}
          {drill && (
            <div className="span-12">
              <DrillDown
                target={drill}
                range={{ from: range.from, to: range.to, tz }}
                bucket={bucketFor(range.from, range.to)}
                summary={summary}
                timeline={loaded.timeline}
                onClose={() => go({})}
                onSelectApp={(app) => go({ app })}
              />
            </div>
          )}
          <section className="card span-3 stat" aria-labelledby="active-title">
            <h2 id="active-title">Active time</h2>
            <p className="stat-value" data-testid="active-time">
              {formatDuration(summary.activeSeconds)}
            </p>
            <p className="muted small">Away {formatDuration(summary.awaySeconds)}</p>
          </section>
          <section className="card span-3" aria-labelledby="pulse-title">
            <h2 id="pulse-title">Productivity pulse</h2>
            <PulseGauge pulse={summary.pulse} />
          </section>
          <section className="card span-6" aria-labelledby="levels-title">
            <h2 id="levels-title">Time by productivity</h2>
            <LevelBar byProductivity={summary.byProductivity} />
          </section>

          {summary.activeSeconds === 0 ? (
            <div className="card span-12">
              <Empty title="No activity in this range">
                <p>
                  Time appears here once a computer sends it: pair one under <Link to="/devices">Devices</Link>, or pick
                  another range.
                </p>
              </Empty>
            </div>
          ) : (
            <>
              {single && loaded.timeline && (
                <section className="card span-12" aria-labelledby="timeline-title">
                  <h2 id="timeline-title">The day, hour by hour</h2>
                  <div
                    className="chart-scroll"
                    tabIndex={0}
                    role="group"
                    aria-label="Timeline, scrolls sideways on small screens"
                  >
                    <DayTimeline timeline={loaded.timeline} colourOf={colourOf} onSelectApp={(app) => go({ app })} />
                  </div>
                  <p className="muted small chart-key">
                    Blocks are coloured by category; the hatched band shows when you were away; bars show each hour’s
                    active time by productivity.
                  </p>
                </section>
              )}
              {!single && loaded.trend && (
                <section className="card span-12" aria-labelledby="trend-title">
                  <h2 id="trend-title">Trend</h2>
                  <div
                    className="chart-scroll"
                    tabIndex={0}
                    role="group"
                    aria-label="Trend, scrolls sideways on small screens"
                  >
                    <TrendChart trend={loaded.trend} />
                  </div>
                  <p className="muted small chart-key">
                    Bars: active time per {loaded.trend.bucket}, by productivity. Line: pulse (0–100, right).
                  </p>
                </section>
              )}
              <section className="card span-4" aria-labelledby="categories-title">
                <h2 id="categories-title">Categories</h2>
                <CategoryDonut
                  rows={summary.byCategory}
                  colourOf={colourOf}
                  onSelect={(row) => go({ category: row.id ?? 'none' })}
                />
              </section>
              <section className="card span-4" aria-labelledby="apps-title">
                <h2 id="apps-title">Top apps</h2>
                <TopList rows={summary.byApp.slice(0, 10)} label="Top apps" onSelect={(row) => go({ app: row.name })} />
              </section>
              <section className="card span-4" aria-labelledby="sites-title">
                <h2 id="sites-title">Top sites</h2>
                {summary.byDomain.length === 0 ? (
                  <Empty title="No sites">
                    <p className="small">Sites appear when a browser extension reports the pages you visit.</p>
                  </Empty>
                ) : (
                  <TopList rows={summary.byDomain.slice(0, 10)} label="Top sites" />
                )}
              </section>
            </>
          )}
        </div>
      )}
    </section>
  );
}
