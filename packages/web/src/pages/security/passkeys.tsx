/** Passkeys: register one with the browser's WebAuthn API, list them, remove one. */
import { useState, type FormEvent } from 'react';
import { securityApi, type Passkey } from '../../api/security';
import { ConfirmAction } from '../../components/confirm-action';
import { ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { errorOf } from '../../components/load-error';
import { formatDateTime } from '../../format/numbers';
import { creationOptionsFromJson, credentialToJson, passkeysSupported } from '../../api/webauthn';

export function Passkeys() {
  const [version, setVersion] = useState(0);
  const passkeys = useLoad(() => securityApi.passkeys(), [version]);
  const [name, setName] = useState('');
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const supported = passkeysSupported();

  const register = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { challengeId, options } = await securityApi.passkeyOptions();
      const credential = await navigator.credentials.create({ publicKey: creationOptionsFromJson(options) });
      if (!(credential instanceof PublicKeyCredential)) throw new Error('No passkey was created.');
      await securityApi.registerPasskey({ challengeId, name: name.trim(), response: credentialToJson(credential) });
      setName('');
      setVersion((v) => v + 1);
    } catch (e) {
      setError(
        e instanceof DOMException && e.name === 'NotAllowedError'
          ? new Error('The passkey was not created (cancelled, or the time ran out).')
          : e,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys</h2>
      <p className="hint">Sign in with your fingerprint, face or device PIN instead of a password and code.</p>
      {passkeys.status === 'loading' && passkeys.data === null && <Loading label="Loading your passkeys…" />}
      {passkeys.data && passkeys.data.length === 0 && <p className="muted empty">No passkeys yet.</p>}
      {passkeys.data && passkeys.data.length > 0 && (
        <ul className="plain-list">
          {passkeys.data.map((p) => (
            <li key={p.id} className="row">
              <span className="grow">
                {p.name}{' '}
                <span className="muted">
                  added {formatDateTime(p.createdAt)} · last used{' '}
                  {p.lastUsedAt ? formatDateTime(p.lastUsedAt) : 'never'}
                </span>
              </span>
              <button type="button" className="button" onClick={() => setRemoving(p)}>
                Remove<span className="visually-hidden"> passkey {p.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {supported ? (
        <form className="inline-form" onSubmit={(e) => void register(e)}>
          <label htmlFor="passkey-name">Name for the new passkey</label>
          <input
            id="passkey-name"
            required
            maxLength={100}
            placeholder="Laptop fingerprint"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button className="button button-primary" type="submit" disabled={busy}>
            Add a passkey
          </button>
        </form>
      ) : (
        <p className="muted">This browser cannot create passkeys.</p>
      )}
      {(errorOf(passkeys) ?? error) ? <ErrorMessage error={errorOf(passkeys) ?? error} /> : null}
      {removing && (
        <ConfirmAction
          open
          title={`Remove the passkey “${removing.name}”?`}
          confirmLabel="Remove passkey"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={async () => {
            try {
              await securityApi.removePasskey(removing.id);
              setVersion((v) => v + 1);
            } catch (e) {
              setError(e);
            }
            setRemoving(null);
          }}
        >
          You will no longer be able to sign in with it. Remove it from the device too.
        </ConfirmAction>
      )}
    </section>
  );
}
