/** Any path no route claims. */
import { Link } from '../router';

export function NotFoundPage() {
  return (
    <section className="page narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <Link to="/">Go to the dashboard</Link>
    </section>
  );
}
