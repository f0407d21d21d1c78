/**
 * The route table: every page, its path, who may see it and whether it
 * appears in the navigation. Adding a page is one entry here (see
 * packages/web/README.md). Pages load as their own chunks (page-loader.tsx),
 * so each one costs the first screen nothing.
 */
import { page, type LazyPage } from './page-loader';

export interface RouteEntry {
  readonly path: string;
  /** The document title and the page's <h1>. */
  readonly title: string;
  /** `session`: signed in; `anonymous`: only when signed out (log-in pages); `public`: anyone. */
  readonly access: 'session' | 'anonymous' | 'public';
  /** Shown in the navigation, in this order (lower first). */
  readonly nav?: { readonly label: string; readonly order: number };
  readonly page: LazyPage;
}

export const ROUTES: readonly RouteEntry[] = [
  {
    path: '/',
    title: 'Dashboard',
    access: 'session',
    nav: { label: 'Dashboard', order: 0 },
    page: page(() => import('./pages/dashboard/dashboard-page')),
  },
  { path: '/login', title: 'Log in', access: 'anonymous', page: page(() => import('./pages/start/login-page')) },
  { path: '/signup', title: 'Sign up', access: 'anonymous', page: page(() => import('./pages/start/signup-page')) },
  {
    path: '/welcome',
    title: 'Welcome to Sundial',
    access: 'anonymous',
    page: page(() => import('./pages/start/first-run-page')),
  },
  {
    path: '/reset-password',
    title: 'Reset your password',
    access: 'public',
    page: page(() => import('./pages/start/reset-password-page')),
  },
  {
    path: '/categories',
    title: 'Categories & rules',
    access: 'session',
    nav: { label: 'Categories', order: 20 },
    page: page(() => import('./pages/categories/categories-page')),
  },
  {
    path: '/alerts',
    title: 'Alerts & goals',
    access: 'session',
    nav: { label: 'Alerts', order: 30 },
    page: page(() => import('./pages/alerts/alerts-page')),
  },
  {
    path: '/devices',
    title: 'Devices',
    access: 'session',
    nav: { label: 'Devices', order: 40 },
    page: page(() => import('./pages/devices/devices-page')),
  },
  {
    path: '/devices/pair',
    title: 'Pair a device',
    access: 'session',
    page: page(() => import('./pages/devices/pair-device-page')),
  },
  {
    path: '/settings/privacy',
    title: 'Privacy',
    access: 'session',
    nav: { label: 'Privacy', order: 50 },
    page: page(() => import('./pages/privacy/privacy-page')),
  },
  {
    path: '/security',
    title: 'Security',
    access: 'session',
    nav: { label: 'Security', order: 60 },
    page: page(() => import('./pages/security/security-page')),
  },
  {
    path: '/data',
    title: 'Your data',
    access: 'session',
    nav: { label: 'Your data', order: 70 },
    page: page(() => import('./pages/data/data-page')),
  },
];

export function findRoute(path: string): RouteEntry | null {
  return ROUTES.find((r) => r.path === path) ?? null;
}

export const NAV = ROUTES.filter((r): r is RouteEntry & { nav: NonNullable<RouteEntry['nav']> } => !!r.nav).sort(
  (a, b) => a.nav.order - b.nav.order,
);
