/**
 * Erasing activity: all of it, one app, one site, or a time range. The
 * confirmation names exactly what goes (and, for an app or a site, how much
 * recorded time that is) before DELETE /api/v1/activity runs.
 */
import { useState, type FormEvent } from 'react';
import { ALL_DAYS, activityTotals } from '../../api/activity-totals';
import { privacyApi, type EraseSelector } from '../../api/privacy';
import { ConfirmAction } from '../../components/confirm-action';
import { useLoad } from '../../components/use-load';
import { formatDuration } from '../../format/duration';
import { formatNumber } from '../../format/numbers';
import { FormError } from '../../components/field';
import { wordsFor } from '../../api/client';

type Kind = 'app' | 'domain' | 'range' | 'all';

interface Pending {
  readonly selector: EraseSelector;
  readonly title: string;
  readonly what: string;
}

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });

export function EraseData(props: { readonly version: number; readonly onErased: () => void }) {
  const totals = useLoad((signal) => activityTotals(ALL_DAYS, signal), [props.version]);
  const [kind, setKind] = useState<Kind>('app');
  const [name, setName] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const recorded = (field: 'app' | 'domain', value: string) => {
    const found = totals.data?.items.find((i) => i.field === field && i.name.toLowerCase() === value.toLowerCase());
    return found ? `${formatDuration(found.seconds)} of recorded time` : 'all its recorded time';
  };

  const prepare = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    setError(null);
    const value = name.trim();
    switch (kind) {
      case 'app':
        setPending({
          selector: { app: value },
          title: `Erase the app “${value}”?`,
          what: `Every moment recorded in “${value}” — ${recorded('app', value)}, with its window titles, on all your devices and over your whole history — and its share of your reports. Nothing else changes.`,
        });
        return;
      case 'domain':
        setPending({
          selector: { domain: value },
          title: `Erase the site “${value}”?`,
          what: `Every visit recorded to ${value} and its subdomains — ${recorded('domain', value)}, with page titles and addresses, on all your devices and over your whole history — and its share of your reports.`,
        });
        return;
      case 'range': {
        const start = new Date(from);
        const end = new Date(to);
        if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) {
          setError(new Error('Choose a start and an end, the end after the start.'));
          return;
        }
        setPending({
          selector: { from: start.toISOString(), to: end.toISOString() },
          title: 'Erase this time range?',
          what: `Everything recorded from ${when(start.toISOString())} to ${when(end.toISOString())}, on all your devices: apps, titles, sites and away time. Activity that runs across either edge is cut at the edge.`,
        });
        return;
      }
      case 'all': {
        const total = totals.data ? ` — ${formatDuration(totals.data.activeSeconds)} of active time` : '';
        setPending({
          selector: { all: true },
          title: 'Erase all your activity?',
          what: `All your recorded activity${total}, on every device, and every report built from it. Your account, settings, categories, rules, alerts and devices stay.`,
        });
        return;
      }
    }
  };

  return (
    <section className="card danger-zone" aria-labelledby="erase-heading">
      <h2 id="erase-heading">Erase activity</h2>
      <p className="hint">Erased activity is deleted from the database at once and cannot be brought back.</p>
      <form onSubmit={prepare} className="form-grid">
        <fieldset>
          <legend>What to erase</legend>
          {(
            [
              ['app', 'One app'],
              ['domain', 'One site'],
              ['range', 'A time range'],
              ['all', 'All activity'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="checkbox">
              <input
                type="radio"
                name="erase-kind"
                value={value}
                checked={kind === value}
                onChange={() => setKind(value)}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        {(kind === 'app' || kind === 'domain') && (
          <div>
            <label htmlFor="erase-name">{kind === 'app' ? 'App name' : 'Site (such as example.com)'}</label>
            <input
              id="erase-name"
              required
              maxLength={2048}
              list="erase-names"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <datalist id="erase-names">
              {(totals.data?.items ?? [])
                .filter((i) => i.field === kind)
                .map((i) => (
                  <option key={i.name} value={i.name} />
                ))}
            </datalist>
          </div>
        )}
        {kind === 'range' && (
          <>
            <div>
              <label htmlFor="erase-from">From</label>
              <input
                id="erase-from"
                type="datetime-local"
                required
                value={from}
                onChange={(e) => setFrom(e.target.value)}
              />
            </div>
            <div>
              <label htmlFor="erase-to">Until</label>
              <input id="erase-to" type="datetime-local" required value={to} onChange={(e) => setTo(e.target.value)} />
            </div>
          </>
        )}
        <div>
          <button type="submit" className="button button-danger">
            Erase…
          </button>
        </div>
      </form>
      <FormError message={error ? wordsFor(error) : null} />
      {done && (
        <p role="status" className="success">
          {done}
        </p>
      )}
      {pending && (
        <ConfirmAction
          open
          title={pending.title}
          confirmLabel="Erase for good"
          danger
          onCancel={() => setPending(null)}
          onConfirm={async () => {
            try {
              const { erased } = await privacyApi.erase(pending.selector);
              setDone(`Erased (${formatNumber(erased)} ${erased === 1 ? 'event' : 'events'}).`);
              setName('');
              props.onErased();
            } catch (e) {
              setError(e);
            }
            setPending(null);
          }}
        >
          <p>This will erase: {pending.what}</p>
          <p>It cannot be undone.</p>
        </ConfirmAction>
      )}
    </section>
  );
}
