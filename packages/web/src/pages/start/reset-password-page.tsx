/**
 * Password reset. Without a token: ask for a link by email (the answer is
 * the same whether or not the email has an account). With the link's token
 * (in the URL fragment, so it never reaches a server log or a Referer):
 * choose a new password, which ends every session.
 */
import { useState, type FormEvent } from 'react';
import { wordsFor } from '../../api/client';
import { authApi } from '../../api/auth';
import { FormError, InputField } from '../../components/field';
import { NewPasswordFields, useNewPassword } from '../../components/new-password-fields';
import { useBusy } from '../../components/use-busy';
import { Link } from '../../router';

function tokenFromHash(): string | null {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  return params.get('token');
}

function RequestLink() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, run } = useBusy();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      setSent((await authApi.requestReset(email)).message);
    });
  };

  if (sent) {
    return (
      <p className="notice" role="status">
        {sent}
      </p>
    );
  }
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <p className="muted">Enter your account’s email and we will send you a link to choose a new password.</p>
      <FormError message={error ? wordsFor(error) : null} />
      <InputField
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send the reset link'}
      </button>
    </form>
  );
}

function ChooseNewPassword({ token }: { readonly token: string }) {
  const newPassword = useNewPassword();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!newPassword.check()) return;
    setBusy(true);
    try {
      await authApi.confirmReset(token, newPassword.password);
      setDone(true);
      window.history.replaceState(null, '', '/reset-password');
    } catch (caught) {
      setError(wordsFor(caught));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div className="notice" role="status">
        <p>Your password is changed, and every session of your account has ended.</p>
        <Link to="/login">Log in with the new password</Link>
      </div>
    );
  }
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <FormError message={error} />
      <NewPasswordFields
        state={newPassword}
        label="New password"
        hint="At least 8 characters, not a common password."
      />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Saving…' : 'Set the new password'}
      </button>
    </form>
  );
}

export default function ResetPasswordPage() {
  const [token] = useState(tokenFromHash);
  return (
    <section className="card auth-card">
      <h1>Reset your password</h1>
      {token ? <ChooseNewPassword token={token} /> : <RequestLink />}
      <div className="auth-links">
        <Link to="/login">Back to log in</Link>
      </div>
    </section>
  );
}
