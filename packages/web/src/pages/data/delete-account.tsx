/** Deleting the account: password (and code) first, then a last confirmation that says it is final. */
import { useState, type FormEvent } from 'react';
import { dataApi } from '../../api/data';
import { authApi } from '../../api/auth';
import { ConfirmAction } from '../../components/confirm-action';
import { useLoad } from '../../components/use-load';
import { FormError } from '../../components/field';
import { wordsFor } from '../../api/client';

export function DeleteAccount() {
  const me = useLoad(() => authApi.me(), []);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const needsCode = me.data?.mfa.totp === true;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setConfirming(true);
  };
  return (
    <section className="card danger-zone" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete your account</h2>
      <p>
        Deleting your account erases all your activity, settings, categories, rules, alerts, devices, tokens and
        passkeys, and destroys the key your data was encrypted with, so not even a backup can bring it back. Export
        first if you want a copy.
      </p>
      <form className="form-grid" onSubmit={submit}>
        <div>
          <label htmlFor="delete-password">Your password</label>
          <input
            id="delete-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {needsCode && (
          <div>
            <label htmlFor="delete-code">Code from your authenticator app, or a recovery code</label>
            <input
              id="delete-code"
              autoComplete="one-time-code"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </div>
        )}
        <div>
          <button type="submit" className="button button-danger">
            Delete my account…
          </button>
        </div>
      </form>
      <FormError message={error ? wordsFor(error) : null} />
      {confirming && (
        <ConfirmAction
          open
          title="Delete your account for good?"
          confirmLabel="Delete my account"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            try {
              await dataApi.deleteAccount({ password, ...(needsCode ? { code: code.trim() } : {}) });
              window.location.assign('/');
            } catch (e) {
              setError(e);
              setConfirming(false);
            }
          }}
        >
          <p>
            Everything goes at once and for good: your activity, reports, settings, devices and the account itself. Your
            devices stop sending. This cannot be undone, and nobody — not even the server’s operator — can restore it.
          </p>
        </ConfirmAction>
      )}
    </section>
  );
}
