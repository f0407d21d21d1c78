/** How long activity is kept: forever, or a number of days after which it is deleted nightly. */
import { useState } from 'react';

interface Props {
  readonly value: number | null;
  readonly onSave: (days: number | null) => Promise<void>;
}

export function Retention({ value, onSave }: Props) {
  const [keepForever, setKeepForever] = useState(value === null);
  const [days, setDays] = useState(String(value ?? 365));
  const parsed = Number(days);
  const valid = keepForever || (Number.isInteger(parsed) && parsed >= 1 && parsed <= 36_500);
  return (
    <fieldset className="card">
      <legend>
        <h2>Retention</h2>
      </legend>
      <label className="checkbox">
        <input type="radio" name="retention" checked={keepForever} onChange={() => setKeepForever(true)} /> Keep my
        activity until I erase it
      </label>
      <label className="checkbox">
        <input type="radio" name="retention" checked={!keepForever} onChange={() => setKeepForever(false)} /> Delete
        activity older than a number of days
      </label>
      {!keepForever && (
        <div>
          <label htmlFor="retention-days">Days to keep</label>
          <input
            id="retention-days"
            type="number"
            min={1}
            max={36500}
            value={days}
            aria-describedby="retention-explained"
            onChange={(e) => setDays(e.target.value)}
          />
          <p id="retention-explained" className="hint">
            Older activity is deleted every night, for good.
          </p>
        </div>
      )}
      <button
        type="button"
        className="button"
        disabled={!valid}
        onClick={() => void onSave(keepForever ? null : parsed)}
      >
        Save retention
      </button>
    </fieldset>
  );
}
