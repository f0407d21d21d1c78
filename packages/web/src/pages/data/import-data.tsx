/**
 * Importing a file: a Sundial export (into an empty account; POST
 * /api/v1/import) or an ActivityWatch export (merged into your buckets;
 * POST /api/0/import, which a session may write to as an agent's token does).
 */
import { useState, type FormEvent } from 'react';
import { dataApi } from '../../api/data';
import { FormError } from '../../components/field';
import { wordsFor } from '../../api/client';

type Kind = 'sundial' | 'activitywatch';

/** Which export a parsed file is, by its shape. */
function kindOf(document: unknown): Kind | null {
  if (typeof document !== 'object' || document === null) return null;
  if ('format' in document && document.format === 'sundial-export') return 'sundial';
  if ('buckets' in document && typeof document.buckets === 'object' && !Array.isArray(document.buckets)) {
    return 'activitywatch';
  }
  return null;
}

function summary(kind: Kind, answer: Record<string, unknown>): string {
  const n = (key: string) => (typeof answer[key] === 'number' ? (answer[key] as number).toLocaleString() : '0');
  return kind === 'sundial'
    ? `Imported ${n('events')} events, ${n('devices')} devices, ${n('rules')} rules and ${n('categories')} categories.`
    : `Imported ${n('events')} events into ${n('buckets')} new and ${n('merged')} existing buckets` +
        ` (${n('skipped')} already there, ${n('dropped')} left out by your privacy settings).`;
}

export function ImportData() {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (file === null) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      let document: unknown;
      try {
        document = JSON.parse(await file.text());
      } catch {
        throw new Error('That file is not JSON: choose a Sundial or ActivityWatch export.');
      }
      const kind = kindOf(document);
      if (kind === null) throw new Error('That file is neither a Sundial export nor an ActivityWatch export.');
      const answer =
        kind === 'sundial' ? await dataApi.importSundial(document) : await dataApi.importActivityWatch(document);
      setDone(summary(kind, answer as unknown as Record<string, unknown>));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="import-heading">
      <h2 id="import-heading">Import</h2>
      <p>
        A <strong>Sundial export</strong> (JSON) goes into an account with no activity yet, settings and rules included.
        An <strong>ActivityWatch export</strong> (from its “Export all buckets as JSON”) is added to your activity;
        events already here are skipped.
      </p>
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="import-file">Export file</label>
        <input
          id="import-file"
          type="file"
          accept="application/json,.json"
          required
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <button className="button button-primary" type="submit" disabled={busy || file === null}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </form>
      <FormError message={error ? wordsFor(error) : null} />
      {done && (
        <p role="status" className="success">
          {done}
        </p>
      )}
    </section>
  );
}
