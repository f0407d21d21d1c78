/**
 * Pages load as separate chunks, but without React.lazy and <Suspense>:
 * React 19 holds a suspended boundary's content back for at least 300 ms
 * (its fallback throttle), which a page that is already cached — or was
 * preloaded at start, in parallel with the session check — should not pay.
 * A page's module is fetched once; later visits render it at once.
 */
import { useEffect, useState, type ComponentType } from 'react';

export interface LazyPage {
  /** Starts (or joins) loading the page's chunk. */
  readonly load: () => Promise<ComponentType>;
  /** The page's component if its chunk has arrived, else null. */
  readonly loaded: () => ComponentType | null;
}

export function page(load: () => Promise<{ default: ComponentType }>): LazyPage {
  let component: ComponentType | null = null;
  let pending: Promise<ComponentType> | null = null;
  return {
    load: () =>
      (pending ??= load().then(
        (module) => (component = module.default),
        (error: unknown) => {
          pending = null; // a later visit may try again (e.g. after a flaky network)
          throw error;
        },
      )),
    loaded: () => component,
  };
}

export type PageState =
  | { readonly status: 'ready'; readonly Page: ComponentType }
  | { readonly status: 'loading' }
  | { readonly status: 'error' };

/** The page's component, loading its chunk if need be. */
export function usePage(lazyPage: LazyPage | null): PageState {
  const [, setLoaded] = useState(0);
  const [failed, setFailed] = useState<LazyPage | null>(null);
  const Page = lazyPage?.loaded() ?? null;
  useEffect(() => {
    if (!lazyPage || lazyPage.loaded()) return;
    let current = true;
    lazyPage.load().then(
      () => current && setLoaded((n) => n + 1),
      () => current && setFailed(lazyPage),
    );
    return () => {
      current = false;
    };
  }, [lazyPage]);
  if (Page) return { status: 'ready', Page };
  return failed === lazyPage && lazyPage ? { status: 'error' } : { status: 'loading' };
}
