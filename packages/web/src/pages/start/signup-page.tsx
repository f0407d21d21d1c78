/** Create an account on an instance whose sign-up is open. */
import { Link, useLocation } from '../../router';
import { safeNext, withNext } from './next-path';
import { SignupForm } from './signup-form';

export default function SignupPage() {
  const next = safeNext(useLocation().query.get('next'));
  return (
    <section className="card auth-card">
      <h1>Create your account</h1>
      <p className="muted">Sundial keeps your activity encrypted on this server, under a key only it holds.</p>
      <SignupForm submitLabel="Create account" next={next} />
      <div className="auth-links">
        <Link to={withNext('/login', next)}>Already have an account? Log in</Link>
      </div>
    </section>
  );
}
