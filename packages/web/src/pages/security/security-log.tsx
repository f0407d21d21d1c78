/** The person's security log: sign-ins, sessions, tokens, devices, password and 2FA changes. */
import { useState } from 'react';
import { securityApi, type SecurityLogEntry } from '../../api/security';
import { ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { errorOf } from '../../components/load-error';
import { formatDateTime } from '../../format/numbers';

/** Plain words for the actions the log records; anything newer is shown as recorded. */
const ACTIONS: Record<string, string> = {
  'auth.signup': 'Account created',
  'auth.login.success': 'Signed in',
  'auth.login.failure': 'Failed sign-in',
  'auth.logout': 'Signed out',
  'mfa.enrol': 'Two-factor sign-in turned on',
  'mfa.disable': 'Two-factor sign-in turned off',
  'mfa.recovery_code_used': 'Recovery code used',
  'password.change': 'Password changed',
  'password.reset': 'Password reset',
  'email.change': 'Email changed',
  'token.create': 'Token created',
  'token.revoke': 'Token revoked',
  'session.revoke': 'Session ended',
  'device.pair': 'Device paired',
  'device.revoke': 'Device revoked',
  'data.export': 'Data exported',
  'data.import': 'Data imported',
  'data.erase': 'Activity erased',
  'privacy.change': 'Privacy settings changed',
  'categories.change': 'Categories or rules changed',
  'alerts.change': 'Alerts changed',
  'team.member_view': 'A team manager viewed your data',
  'team.grant_change': 'Team sharing changed',
};

export function SecurityLog() {
  const first = useLoad(() => securityApi.securityLog(), []);
  const [older, setOlder] = useState<SecurityLogEntry[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [end, setEnd] = useState(false);
  const entries = [...(first.data ?? []), ...older];
  const more = async () => {
    const last = entries[entries.length - 1];
    if (last === undefined) return;
    try {
      const page = await securityApi.securityLog(last.seq);
      setOlder([...older, ...page]);
      if (page.length === 0) setEnd(true);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card" aria-labelledby="log-heading">
      <h2 id="log-heading">Security log</h2>
      {first.status === 'loading' && first.data === null && <Loading label="Loading your security log…" />}
      {(errorOf(first) ?? error) ? <ErrorMessage error={errorOf(first) ?? error} /> : null}
      {first.data && entries.length === 0 && <p className="muted empty">Nothing recorded yet.</p>}
      {entries.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Security log table">
          <table className="table">
            <caption className="visually-hidden">Security log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.seq}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{ACTIONS[e.action] ?? e.action}</td>
                  <td>
                    {e.ip ?? '—'}
                    {e.userAgent && <span className="muted"> · {e.userAgent}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {first.data && first.data.length >= 50 && !end && (
        <button type="button" className="button" onClick={() => void more()}>
          Older entries
        </button>
      )}
    </section>
  );
}
