/**
 * The frame around every signed-in page: a header with the product name,
 * the navigation (a row on wide screens, a menu button on a phone), the
 * person's menu and a skip link; the page goes in <main>.
 */
import { useState, type ReactNode } from 'react';
import { Link, useLocation } from '../router';
import { NAV } from '../routes';
import { useSession } from '../session';

export function Layout({ children }: { readonly children: ReactNode }) {
  const { path } = useLocation();
  const { state, logout } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const signedIn = state.status === 'signed-in';

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand" aria-label="Sundial, dashboard">
          <span className="brand-mark" aria-hidden="true" />
          Sundial
        </Link>
        {signedIn && (
          <>
            <button
              type="button"
              className="button nav-toggle"
              aria-expanded={menuOpen}
              aria-controls="main-nav"
              onClick={() => setMenuOpen((open) => !open)}
            >
              Menu
            </button>
            <nav id="main-nav" aria-label="Main" className={menuOpen ? 'main-nav open' : 'main-nav'}>
              <ul>
                {NAV.map((route) => (
                  <li key={route.path}>
                    <Link
                      to={route.path}
                      aria-current={route.path === path ? 'page' : undefined}
                      onClick={() => setMenuOpen(false)}
                    >
                      {route.nav.label}
                    </Link>
                  </li>
                ))}
              </ul>
              <div className="account">
                <span className="muted small account-email">{state.me.displayName ?? state.me.email}</span>
                <button type="button" className="button" onClick={() => void logout()}>
                  Log out
                </button>
              </div>
            </nav>
          </>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
