/** Alerts & goals (/alerts): each alert with what it watches and whether it fired today; add, edit, delete; recent firings. */
import '../../styles/settings.css';
import { useState } from 'react';
import { alertsApi, type Alert } from '../../api/alerts';
import { categoriesApi, type Category } from '../../api/categories';
import { ConfirmAction } from '../../components/confirm-action';
import { ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { errorOf } from '../../components/load-error';
import { formatDateTime, formatTime } from '../../format/numbers';
import { browserTimeZone } from '../../format/ranges';
import { formatDuration } from '../../format/duration';
import { levelLabel } from '../categories/levels';
import { AlertForm, EMPTY_ALERT, alertInput } from './alert-form';

const RECENT_DAYS = 14;

function describe(alert: Alert, categories: readonly Category[]): string {
  const t = alert.target;
  const what =
    t.kind === 'category'
      ? `time in ${categories.find((c) => c.id === t.categoryId)?.path.join(' › ') ?? 'a deleted category'}`
      : t.kind === 'level'
        ? `${levelLabel(t.level)} time ${t.op === '<=' ? 'or worse' : 'or better'}`
        : t.kind === 'app'
          ? `time in ${t.name}`
          : `time on ${t.name}`;
  const comparison = alert.comparison === 'at-least' ? 'reaches' : 'goes over';
  return `When ${what} ${comparison} ${formatDuration(alert.minutes * 60)} a day`;
}

export default function AlertsPage() {
  const [version, setVersion] = useState(0);
  const alerts = useLoad(() => alertsApi.list(), [version]);
  const categories = useLoad(() => categoriesApi.list(), []);
  const firings = useLoad(
    () => alertsApi.firingsSince(new Date(Date.now() - RECENT_DAYS * 24 * 3600 * 1000)),
    [version],
  );
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Alert | null>(null);
  const [error, setError] = useState<unknown>(null);
  const tree = categories.data?.categories ?? [];
  const changed = () => setVersion((v) => v + 1);
  const today = new Date().toDateString();
  const firedToday = (id: string) =>
    (firings.data ?? []).find((f) => f.alertId === id && new Date(f.firedAt).toDateString() === today);

  return (
    <section className="page settings-page">
      <div className="page-header">
        <h1>Alerts &amp; goals</h1>
      </div>
      <p className="hint">
        An alert tells you (on your computer, through the Sundial agent) when today’s time passes a limit or reaches a
        goal. Each fires at most once a day.
      </p>
      <section aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Your alerts</h2>
        {alerts.status === 'loading' && alerts.data === null && <Loading label="Loading your alerts…" />}
        {(errorOf(alerts) ?? errorOf(categories) ?? error) ? (
          <ErrorMessage error={errorOf(alerts) ?? errorOf(categories) ?? error} />
        ) : null}
        {alerts.data && alerts.data.length === 0 && (
          <p className="muted empty">
            No alerts yet. Try “more than 1 h distracting today” or “at least 4 h productive”.
          </p>
        )}
        {alerts.data && alerts.data.length > 0 && (
          <ul className="plain-list">
            {alerts.data.map((alert) => {
              const fired = firedToday(alert.id);
              return (
                <li key={alert.id} className="card">
                  {editing === alert.id ? (
                    <AlertForm
                      idPrefix={`alert-${alert.id}`}
                      initial={alertInput(alert)}
                      categories={tree}
                      submitLabel="Save alert"
                      onCancel={() => setEditing(null)}
                      onSubmit={async (input) => {
                        await alertsApi.update(alert.id, input);
                        setEditing(null);
                        changed();
                      }}
                    />
                  ) : (
                    <div className="row">
                      <span className="grow">
                        <strong>{alert.name}</strong>
                        {!alert.enabled && <span className="badge">off</span>}
                        <br />
                        {describe(alert, tree)} · {alert.days.length === 7 ? 'every day' : alert.days.join(', ')}
                        <br />
                        <span className="muted">
                          {fired ? `Fired today at ${formatTime(fired.firedAt, browserTimeZone())}` : 'Not fired today'}
                        </span>
                      </span>
                      <button type="button" className="button" onClick={() => setEditing(alert.id)}>
                        Edit<span className="visually-hidden"> {alert.name}</span>
                      </button>
                      <button type="button" className="button" onClick={() => setDeleting(alert)}>
                        Delete<span className="visually-hidden"> {alert.name}</span>
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="new-alert-heading">
        <h2 id="new-alert-heading">Add an alert or goal</h2>
        <AlertForm
          idPrefix="new-alert"
          initial={EMPTY_ALERT}
          categories={tree}
          submitLabel="Add alert"
          onSubmit={async (input) => {
            await alertsApi.create(input);
            changed();
          }}
        />
      </section>
      <section className="card" aria-labelledby="firings-heading">
        <h2 id="firings-heading">Recent firings</h2>
        {firings.status === 'loading' && firings.data === null && <Loading label="Loading recent firings…" />}
        {errorOf(firings) ? <ErrorMessage error={errorOf(firings)} /> : null}
        {firings.data && firings.data.length === 0 && (
          <p className="muted empty">No alert fired in the last {RECENT_DAYS} days.</p>
        )}
        {firings.data && firings.data.length > 0 && (
          <ul className="plain-list">
            {[...firings.data].reverse().map((f) => (
              <li key={`${f.alertId}:${f.day}`}>
                <strong>{f.name}</strong> · {formatDateTime(f.firedAt)}{' '}
                <span className="muted">({formatDuration(f.seconds)} at the time)</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {deleting && (
        <ConfirmAction
          open
          title={`Delete the alert “${deleting.name}”?`}
          confirmLabel="Delete alert"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            try {
              await alertsApi.remove(deleting.id);
              changed();
            } catch (e) {
              setError(e);
            }
            setDeleting(null);
          }}
        >
          The alert and its past firings are deleted.
        </ConfirmAction>
      )}
    </section>
  );
}
