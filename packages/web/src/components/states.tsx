/** What a page shows while it waits, when it has nothing, and when something failed (in words). */
import type { ReactNode } from 'react';
import { ApiError, wordsFor } from '../api/client';
import { Link } from '../router';

export function Loading({ label = 'Loading…' }: { readonly label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { readonly title: string; readonly children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}

/** An error as a sentence, with a way forward when the session has ended. */
export function ErrorMessage({ error, onRetry }: { readonly error: unknown; readonly onRetry?: () => void }) {
  const signedOut = error instanceof ApiError && error.status === 401;
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div className="state state-error" role="alert">
      <p>{wordsFor(error)}</p>
      {requestId && <p className="muted small">Reference: {requestId}</p>}
      {signedOut && <Link to="/login">Log in</Link>}
      {onRetry && !signedOut && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
