/** The detail level, with what each level stores and what it never stores, in plain words. */
import { useState } from 'react';
import type { PrivacySettings } from '../../api/privacy';

type Detail = PrivacySettings['detail'];

const LEVELS: ReadonlyArray<{ value: Detail; name: string; stored: string; notStored: string }> = [
  {
    value: 'app',
    name: 'Apps only (locked down)',
    stored: 'Which app was in front, when and for how long, and when you were away.',
    notStored: 'No window titles, no web sites, no addresses. A browser counts as the browser, nothing more.',
  },
  {
    value: 'domain',
    name: 'Apps and web sites',
    stored: 'The app, and for web pages the site’s name (such as github.com), with times and durations.',
    notStored: 'No window titles, no page addresses or paths, no page titles.',
  },
  {
    value: 'full',
    name: 'Everything',
    stored: 'The app, the window title, and the full address and title of web pages, with times and durations.',
    notStored: 'Never screenshots, keystrokes, clipboard or the content of documents and pages — at any level.',
  },
];

interface Props {
  readonly value: Detail;
  readonly onSave: (detail: Detail) => Promise<void>;
}

export function DetailLevel({ value, onSave }: Props) {
  const [choice, setChoice] = useState<Detail>(value);
  const [busy, setBusy] = useState(false);
  return (
    <fieldset className="card">
      <legend>
        <h2>Detail level</h2>
      </legend>
      <p className="hint">
        This applies as activity arrives: what a level leaves out is never stored. Lowering it does not change what is
        already stored — erase that below if you want it gone.
      </p>
      {LEVELS.map((level) => (
        <div key={level.value} className="radio-option">
          <input
            type="radio"
            id={`detail-${level.value}`}
            name="detail"
            value={level.value}
            checked={choice === level.value}
            onChange={() => setChoice(level.value)}
            aria-describedby={`detail-${level.value}-explained`}
          />
          <label htmlFor={`detail-${level.value}`}>{level.name}</label>
          <div id={`detail-${level.value}-explained`} className="explained">
            <p>
              <strong>Stored:</strong> {level.stored}
            </p>
            <p>
              <strong>Not stored:</strong> {level.notStored}
            </p>
          </div>
        </div>
      ))}
      <button
        type="button"
        className="button"
        disabled={busy || choice === value}
        onClick={() => {
          setBusy(true);
          onSave(choice).finally(() => setBusy(false));
        }}
      >
        Save detail level
      </button>
    </fieldset>
  );
}
