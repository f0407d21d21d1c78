/**
 * The first screen of a new instance: nobody has an account yet, and the
 * first one becomes the administrator. Once an account exists this page
 * sends visitors to the log-in page instead.
 */
import { useEffect } from 'react';
import { authApi } from '../../api/auth';
import { navigate } from '../../router';
import { SignupForm } from './signup-form';

export default function FirstRunPage() {
  useEffect(() => {
    const controller = new AbortController();
    authApi.instance().then(
      (status) => {
        if (!controller.signal.aborted && status.hasAccounts) navigate('/login', { replace: true });
      },
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  return (
    <section className="card auth-card">
      <h1>Welcome to Sundial</h1>
      <p>
        This Sundial has no account yet. The account you create now is its <strong>administrator</strong>: it looks
        after the instance, but it cannot read anyone else’s activity.
      </p>
      <p className="muted small">
        Next, pair a computer with the Sundial agent (Devices) and your time starts to appear on the dashboard.
      </p>
      <SignupForm submitLabel="Create the administrator account" />
    </section>
  );
}
