/**
 * The first screen of a new instance: nobody has an account yet, and the
 * first one becomes the administrator. Once an account exists this page
 * sends visitors to the log-in page instead.
 */
import { useEffect } from 'react';
import { authApi } from '../../api/auth';
import { navigate, useLocation } from '../../router';
import { safeNext, withNext } from './next-path';
import { SignupForm } from './signup-form';

export default function FirstRunPage() {
  const next = safeNext(useLocation().query.get('next'));
  useEffect(() => {
    const controller = new AbortController();
    authApi.instance().then(
      (status) => {
        if (!controller.signal.aborted && status.hasAccounts) navigate(withNext('/login', next), { replace: true });
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [next]);

  return (
    <section className="card auth-card">
      <h1>Welcome to Sundial</h1>
      <p>
        This Sundial has no account yet. The account you create now is its <strong>administrator</strong>: it looks
        after the instance, but it cannot read anyone else’s activity.
      </p>
      <p className="muted small">
        {next.startsWith('/devices/pair')
          ? 'Next, approve the computer that showed you this link, and your time starts to appear on the dashboard.'
          : 'Next, pair a computer with the Sundial agent (Devices) and your time starts to appear on the dashboard.'}
      </p>
      <SignupForm submitLabel="Create the administrator account" next={next} />
    </section>
  );
}
