/** Active sessions (browsers signed in) with the one in use marked; end any other. */
import { useState } from 'react';
import { securityApi } from '../../api/security';
import { ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { errorOf } from '../../components/load-error';
import { formatDateTime } from '../../format/numbers';

export function Sessions() {
  const [version, setVersion] = useState(0);
  const sessions = useLoad(() => securityApi.sessions(), [version]);
  const [error, setError] = useState<unknown>(null);
  const end = async (id: string) => {
    setError(null);
    try {
      await securityApi.endSession(id);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Where you are signed in</h2>
      {sessions.status === 'loading' && sessions.data === null && <Loading label="Loading your sessions…" />}
      {(errorOf(sessions) ?? error) ? <ErrorMessage error={errorOf(sessions) ?? error} /> : null}
      {sessions.data && (
        <ul className="plain-list">
          {sessions.data.map((s) => (
            <li key={s.id} className="row">
              <span className="grow">
                {s.userAgent ?? 'Unknown browser'}
                {s.current && <span className="badge">this browser</span>}
                <br />
                <span className="muted">
                  {s.ip ?? 'unknown address'} · signed in {formatDateTime(s.createdAt)} · active{' '}
                  {formatDateTime(s.lastSeenAt)}
                </span>
              </span>
              {!s.current && (
                <button type="button" className="button" onClick={() => void end(s.id)}>
                  Sign out<span className="visually-hidden"> session from {formatDateTime(s.createdAt)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
