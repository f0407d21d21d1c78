/** Create an account on an instance whose sign-up is open. */
import { Link } from '../../router';
import { SignupForm } from './signup-form';

export default function SignupPage() {
  return (
    <section className="card auth-card">
      <h1>Create your account</h1>
      <p className="muted">Sundial keeps your activity encrypted on this server, under a key only it holds.</p>
      <SignupForm submitLabel="Create account" />
      <div className="auth-links">
        <Link to="/login">Already have an account? Log in</Link>
      </div>
    </section>
  );
}
