/** API tokens: create one with scopes (its value shown once), list, revoke. */
import { useState, type FormEvent } from 'react';
import { securityApi, type CreatedToken, type Token, type TokenInput } from '../../api/security';
import { ConfirmAction } from '../../components/confirm-action';
import { ReauthFields, useReauth } from '../../components/reauth-fields';
import { ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { errorOf } from '../../components/load-error';
import { formatDateTime } from '../../format/numbers';

type Scope = TokenInput['scopes'][number];

const SCOPES: ReadonlyArray<{ value: Scope; label: string }> = [
  { value: 'ingest', label: 'Send activity (an agent or watcher)' },
  { value: 'read', label: 'Read reports and activity' },
  { value: 'admin', label: 'Administer the server (admins only; needs your password)' },
];

export function ApiTokens() {
  const [version, setVersion] = useState(0);
  const tokens = useLoad(() => securityApi.tokens(), [version]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [days, setDays] = useState('');
  // An admin token asks for the password alone: the token body has no field for a code.
  const reauth = useReauth(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const [error, setError] = useState<unknown>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const body: TokenInput = {
        name: name.trim(),
        scopes,
        ...(days === '' ? {} : { expiresInDays: Number(days) }),
        ...(scopes.includes('admin') ? { password: reauth.password } : {}),
      };
      setCreated(await securityApi.createToken(body));
      setName('');
      reauth.clear();
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="card" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="hint">
        A token lets a program act for you with the scopes you choose. Each token is also a device.
      </p>
      {created && (
        <div className="callout" role="status">
          <p>
            <strong>Copy the token “{created.name}” now:</strong> it is shown only once.
          </p>
          <code className="secret" data-testid="new-token">
            {created.token}
          </code>
          <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(created.token)}>
            Copy
          </button>
          <button type="button" className="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      {tokens.status === 'loading' && tokens.data === null && <Loading label="Loading your tokens…" />}
      {tokens.data && tokens.data.length === 0 && <p className="muted empty">No tokens.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <ul className="plain-list">
          {tokens.data.map((t) => (
            <li key={t.id} className="row">
              <span className="grow">
                {t.name} <span className="badge">{t.scopes.join(', ')}</span>
                <br />
                <span className="muted">
                  created {formatDateTime(t.createdAt)} · last used{' '}
                  {t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'never'}
                  {t.expiresAt ? ` · expires ${formatDateTime(t.expiresAt)}` : ''}
                </span>
              </span>
              <button type="button" className="button" onClick={() => setRevoking(t)}>
                Revoke<span className="visually-hidden"> token {t.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="form-grid" onSubmit={(e) => void create(e)}>
        <div>
          <label htmlFor="token-name">Token name</label>
          <input id="token-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s.value} className="checkbox">
              <input
                type="checkbox"
                checked={scopes.includes(s.value)}
                onChange={(e) =>
                  setScopes(e.target.checked ? [...scopes, s.value] : scopes.filter((x) => x !== s.value))
                }
              />{' '}
              {s.label}
            </label>
          ))}
        </fieldset>
        <div>
          <label htmlFor="token-days">Expires after (days, empty: never)</label>
          <input
            id="token-days"
            type="number"
            min={1}
            max={3650}
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
        </div>
        {scopes.includes('admin') && <ReauthFields reauth={reauth} idPrefix="token" passwordLabel="Your password" />}
        <div>
          <button className="button button-primary" type="submit" disabled={scopes.length === 0}>
            Create token
          </button>
        </div>
      </form>
      {(errorOf(tokens) ?? error) ? <ErrorMessage error={errorOf(tokens) ?? error} /> : null}
      {revoking && (
        <ConfirmAction
          open
          title={`Revoke the token “${revoking.name}”?`}
          confirmLabel="Revoke token"
          danger
          onCancel={() => setRevoking(null)}
          onConfirm={async () => {
            try {
              await securityApi.revokeToken(revoking.id);
              setVersion((v) => v + 1);
            } catch (e) {
              setError(e);
            }
            setRevoking(null);
          }}
        >
          Programs and devices using it stop working at once.
        </ConfirmAction>
      )}
    </section>
  );
}
