/**
 * The application: session, router and layout. Decides which page a path
 * shows, sends signed-out people to log in (or to the first-run page on an
 * instance without accounts) and signed-in people away from the log-in pages.
 */
import { useEffect } from 'react';
import { Layout } from './components/layout';
import { ErrorMessage, Loading } from './components/states';
import { navigate, useLocation } from './router';
import { usePage } from './page-loader';
import { findRoute } from './routes';
import { SessionProvider, useSession } from './session';
import { NotFoundPage } from './pages/not-found-page';

function CurrentPage() {
  const { path } = useLocation();
  const { state, refresh } = useSession();
  const route = findRoute(path);
  const page = usePage(route?.page ?? null);

  const redirect =
    route?.access === 'session' && state.status === 'anonymous'
      ? `/login?next=${encodeURIComponent(path + window.location.search)}`
      : route?.access === 'anonymous' && state.status === 'signed-in'
        ? '/'
        : null;

  useEffect(() => {
    document.title = route ? `${route.title} · Sundial` : 'Not found · Sundial';
  }, [route]);
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorMessage error={new Error(state.message)} onRetry={() => void refresh()} />;
  if (!route) return <NotFoundPage />;
  if (redirect) return <Loading />;
  if (page.status === 'error') {
    return <ErrorMessage error={new Error('This page could not be loaded. Reload to try again.')} />;
  }
  if (page.status === 'loading') return <Loading />;
  return <page.Page />;
}

export function App() {
  return (
    <SessionProvider>
      <Layout>
        <CurrentPage />
      </Layout>
    </SessionProvider>
  );
}
