/** Changing the password (other sessions end) and the email (password, and code with 2FA on). */
import { useState, type FormEvent } from 'react';
import { securityApi } from '../../api/security';
import type { Me } from '../../api/types';
import { FormError } from '../../components/field';
import { ReauthFields, useReauth } from '../../components/reauth-fields';
import { wordsFor } from '../../api/client';

export function AccountDetails({ me, onChanged }: { readonly me: Me; readonly onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [email, setEmail] = useState('');
  const reauth = useReauth(me.mfa.totp);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const run = async (work: () => Promise<void>, done: string) => {
    setError(null);
    setMessage(null);
    try {
      await work();
      setMessage(done);
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const changePassword = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await securityApi.changePassword(current, next);
      setCurrent('');
      setNext('');
    }, 'Password changed. Your other sessions were signed out.');
  };
  const changeEmail = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await securityApi.changeEmail(email.trim(), reauth.proof());
      setEmail('');
      reauth.clear();
    }, 'Email changed.');
  };

  return (
    <section className="card" aria-labelledby="account-heading">
      <h2 id="account-heading">Password and email</h2>
      <p role="status" className="success">
        {message}
      </p>
      <FormError message={error ? wordsFor(error) : null} />
      <div className="two-columns">
        <form onSubmit={changePassword}>
          <h3>Change password</h3>
          <label htmlFor="password-current">Current password</label>
          <input
            id="password-current"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
          <label htmlFor="password-new">New password</label>
          <input
            id="password-new"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            maxLength={128}
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
          <button className="button button-primary" type="submit">
            Change password
          </button>
        </form>
        <form onSubmit={changeEmail}>
          <h3>Change email</h3>
          <p className="muted">Now: {me.email}</p>
          <label htmlFor="email-new">New email</label>
          <input
            id="email-new"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <ReauthFields
            reauth={reauth}
            idPrefix="email"
            passwordLabel="Password"
            codeLabel="Code from your authenticator app"
            layout="flat"
          />
          <button className="button button-primary" type="submit">
            Change email
          </button>
        </form>
      </div>
    </section>
  );
}
