/**
 * Log in: email and password, then the authenticator or recovery code when
 * the server answers that two-factor sign-in is on; or a passkey alone. On a
 * new instance without accounts it sends the visitor to the first-run page.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, wordsFor } from '../../api/client';
import { authApi } from '../../api/auth';
import { credentialToJson, passkeysSupported, requestOptionsFromJson } from '../../api/webauthn';
import { FormError, InputField } from '../../components/field';
import { Link, navigate, useLocation } from '../../router';
import { useSession } from '../../session';
import { safeNext, withNext } from './next-path';

export default function LoginPage() {
  const { query } = useLocation();
  const { signedIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [signupOpen, setSignupOpen] = useState(false);
  const next = safeNext(query.get('next'));

  useEffect(() => {
    const controller = new AbortController();
    authApi.instance().then(
      (status) => {
        if (controller.signal.aborted) return;
        if (!status.hasAccounts) navigate(withNext('/welcome', next), { replace: true });
        setSignupOpen(status.signup === 'open');
      },
      () => undefined, // the form works without knowing; the log-in itself will report a dead server
    );
    return () => controller.abort();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await authApi.login({ email, password, ...(needsCode ? { code: code.trim() } : {}) });
      signedIn(me);
      navigate(next, { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'auth.mfa_required') {
        setNeedsCode(true);
        if (needsCode) setError(caught.message);
      } else {
        setError(wordsFor(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  const withPasskey = async () => {
    setBusy(true);
    setError(null);
    try {
      const { challengeId, options } = await authApi.passkeyOptions();
      const credential = await navigator.credentials.get({ publicKey: requestOptionsFromJson(options) });
      if (!(credential instanceof PublicKeyCredential)) throw new Error('No passkey was chosen.');
      const me = await authApi.passkeyLogin({ challengeId, response: credentialToJson(credential) });
      signedIn(me);
      navigate(next, { replace: true });
    } catch (caught) {
      const cancelled = caught instanceof DOMException && caught.name === 'NotAllowedError';
      setError(cancelled ? 'The passkey request was cancelled or timed out.' : wordsFor(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card auth-card">
      <h1>Log in</h1>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <FormError message={error} />
        <InputField
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          readOnly={needsCode}
        />
        <InputField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          readOnly={needsCode}
        />
        {needsCode && (
          <>
            <p className="notice" role="status">
              Two-factor sign-in is on for this account. Enter the 6-digit code from your authenticator app, or one of
              your recovery codes.
            </p>
            <InputField
              label="Authentication code"
              name="code"
              autoComplete="one-time-code"
              inputMode="text"
              autoFocus
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Logging in…' : needsCode ? 'Verify and log in' : 'Log in'}
        </button>
      </form>
      {passkeysSupported() && !needsCode && (
        <>
          <div className="divider">or</div>
          <button type="button" className="button button-wide" onClick={() => void withPasskey()} disabled={busy}>
            Log in with a passkey
          </button>
        </>
      )}
      <div className="auth-links">
        <Link to="/reset-password">Forgot your password?</Link>
        {signupOpen && <Link to={withNext('/signup', next)}>Create an account</Link>}
      </div>
    </section>
  );
}
