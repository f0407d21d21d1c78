/**
 * Loads data for a page: re-runs when `deps` change, aborts the previous
 * request, and exposes loading / error / data plus `reload()` for after a
 * change. Pages render <Loading>, <ErrorMessage> or their content from it.
 */
import { useCallback, useEffect, useState, type DependencyList } from 'react';

export type Load<T> =
  | { readonly status: 'loading'; readonly data: T | null }
  | { readonly status: 'error'; readonly error: unknown; readonly data: T | null }
  | { readonly status: 'ready'; readonly data: T };

export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): Load<T> & { readonly reload: () => void } {
  const [state, setState] = useState<Load<T>>({ status: 'loading', data: null });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ status: 'loading', data: previous.data }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((previous) => ({ status: 'error', error, data: previous.data }));
      },
    );
    return () => controller.abort();
    // The caller's deps decide when to load again; `load` is a fresh closure every render.
  }, [...deps, generation]);

  return { ...state, reload };
}
