/** Working-hours-only tracking: outside these hours nothing is recorded. */
import { useState } from 'react';
import type { WorkingHours as Hours } from '../../api/privacy';

/** ISO weekday numbers, as the server keeps them. */
const DAYS = [
  [1, 'Mon'],
  [2, 'Tue'],
  [3, 'Wed'],
  [4, 'Thu'],
  [5, 'Fri'],
  [6, 'Sat'],
  [7, 'Sun'],
] as const;

const DEFAULT_HOURS: Hours = {
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
};

interface Props {
  readonly value: Hours | null;
  readonly onSave: (hours: Hours | null) => Promise<void>;
}

export function WorkingHours({ value, onSave }: Props) {
  const [on, setOn] = useState(value !== null);
  const [hours, setHours] = useState<Hours>(value ?? DEFAULT_HOURS);
  const toggleDay = (day: number, checked: boolean) =>
    setHours({
      ...hours,
      days: checked ? [...hours.days, day].sort((a, b) => a - b) : hours.days.filter((d) => d !== day),
    });
  return (
    <fieldset className="card">
      <legend>
        <h2>Working hours</h2>
      </legend>
      <label className="checkbox">
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> Record only during working
        hours
      </label>
      {on && (
        <div className="form-grid">
          <fieldset>
            <legend>Days</legend>
            {DAYS.map(([day, label]) => (
              <label key={day} className="checkbox">
                <input
                  type="checkbox"
                  checked={hours.days.includes(day)}
                  onChange={(e) => toggleDay(day, e.target.checked)}
                />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          <div>
            <label htmlFor="hours-start">From</label>
            <input
              id="hours-start"
              type="time"
              value={hours.start}
              onChange={(e) => setHours({ ...hours, start: e.target.value })}
            />
          </div>
          <div>
            <label htmlFor="hours-end">Until</label>
            <input
              id="hours-end"
              type="time"
              value={hours.end}
              onChange={(e) => setHours({ ...hours, end: e.target.value })}
            />
          </div>
          <div>
            <label htmlFor="hours-zone">Time zone</label>
            <input
              id="hours-zone"
              value={hours.timeZone}
              maxLength={64}
              onChange={(e) => setHours({ ...hours, timeZone: e.target.value })}
            />
          </div>
        </div>
      )}
      <button type="button" className="button" onClick={() => void onSave(on ? hours : null)}>
        Save working hours
      </button>
    </fieldset>
  );
}
