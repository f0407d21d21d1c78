/** Deleting the account: password (and code) first, then a last confirmation that says it is final. */
import { useState, type FormEvent } from 'react';
import { dataApi } from '../../api/data';
import { authApi } from '../../api/auth';
import { ConfirmAction } from '../../components/confirm-action';
import { useLoad } from '../../components/use-load';
import { FormError } from '../../components/field';
import { ReauthFields, useReauth } from '../../components/reauth-fields';
import { wordsFor } from '../../api/client';

export function DeleteAccount() {
  const me = useLoad(() => authApi.me(), []);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reauth = useReauth(me.data?.mfa.totp === true);
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
        <ReauthFields reauth={reauth} idPrefix="delete" passwordLabel="Your password" />
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
              await dataApi.deleteAccount(reauth.proof());
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
