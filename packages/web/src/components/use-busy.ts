/**
 * The state around one request a form or button sends: `busy` while it
 * runs (so its button can be disabled and a second click sends nothing),
 * and the error it ended with, cleared when the next one starts.
 */
import { useState } from 'react';

export interface Busy {
  readonly busy: boolean;
  readonly error: unknown;
  /** Runs `work`, keeping `busy` true until it settles and `error` whatever it threw. */
  readonly run: (work: () => Promise<void>) => Promise<void>;
}

export function useBusy(): Busy {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
