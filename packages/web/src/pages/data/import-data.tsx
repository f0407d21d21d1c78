/**
 * Importing a file: a Sundial export (into an empty account; POST
 * /api/v1/import) or an ActivityWatch export (merged into your buckets;
 * POST /api/0/import, which a session may write to as an agent's token does).
 */
import { useState, type FormEvent } from 'react';
import { dataApi, type ActivityWatchImportSummary, type SundialImportSummary } from '../../api/data';
import { formatNumber } from '../../format/numbers';
import { FormError } from '../../components/field';
import { useBusy } from '../../components/use-busy';
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

const n = (count: number) => formatNumber(count);

function sundialSummary(a: SundialImportSummary): string {
  return `Imported ${n(a.events)} events, ${n(a.devices)} devices, ${n(a.rules)} rules and ${n(a.categories)} categories.`;
}

function activityWatchSummary(a: ActivityWatchImportSummary): string {
  return (
    `Imported ${n(a.events)} events into ${n(a.buckets)} new and ${n(a.merged)} existing buckets` +
    ` (${n(a.skipped)} already there, ${n(a.dropped)} left out by your privacy settings).`
  );
}

export function ImportData() {
  const [file, setFile] = useState<File | null>(null);
  const { busy, error, run } = useBusy();
  const [done, setDone] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (file === null) return;
    setDone(null);
    await run(async () => {
      let document: unknown;
      try {
        document = JSON.parse(await file.text());
      } catch {
        throw new Error('That file is not JSON: choose a Sundial or ActivityWatch export.');
      }
      const kind = kindOf(document);
      if (kind === null) throw new Error('That file is neither a Sundial export nor an ActivityWatch export.');
      setDone(
        kind === 'sundial'
          ? sundialSummary(await dataApi.importSundial(document))
          : activityWatchSummary(await dataApi.importActivityWatch(document)),
      );
    });
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
