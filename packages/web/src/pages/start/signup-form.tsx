/**
 * The account form shared by sign-up and the first-run page. After the
 * server accepts it, it logs straight in with the same credentials; when
 * that fails (the email may already have an account, which the server does
 * not reveal) it says so and points to the log-in page.
 */
import { useState, type FormEvent } from 'react';
import { wordsFor } from '../../api/client';
import { authApi } from '../../api/auth';
import { FormError, InputField } from '../../components/field';
import { NewPasswordFields, useNewPassword } from '../../components/new-password-fields';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';

export function SignupForm({ submitLabel, next = '/' }: { readonly submitLabel: string; readonly next?: string }) {
  const { signedIn } = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const newPassword = useNewPassword();
  const [error, setError] = useState<string | null>(null);
  const [accepted, setAccepted] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!newPassword.check()) return;
    const { password } = newPassword;
    setBusy(true);
    try {
      const answer = await authApi.signup({ email, password, ...(name.trim() ? { name: name.trim() } : {}) });
      try {
        signedIn(await authApi.login({ email, password }));
        navigate(next, { replace: true });
      } catch {
        setAccepted(answer.message);
      }
    } catch (caught) {
      setError(wordsFor(caught));
    } finally {
      setBusy(false);
    }
  };

  if (accepted) {
    return (
      <div className="notice" role="status">
        <p>{accepted}</p>
        <Link to="/login">Go to log in</Link>
      </div>
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <FormError message={error} />
      <InputField label="Name (optional)" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
      <InputField
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <NewPasswordFields
        state={newPassword}
        label="Password"
        minLength={8}
        hint="At least 8 characters, not a common password. A few unrelated words make a strong, memorable password."
      />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Creating your account…' : submitLabel}
      </button>
    </form>
  );
}
