/**
 * /devices/pair?code=…: the link an agent shows, with its code filled in.
 * Signed-out visitors are sent to log in and brought back here (app.tsx's `next`).
 */
import '../../styles/settings.css';
import { Link, useLocation } from '../../router';
import { ApproveForm } from './approve-form';

export default function PairDevicePage() {
  const { query } = useLocation();
  return (
    <section className="page settings-page">
      <div className="page-header">
        <h1>Pair a device</h1>
      </div>
      <ApproveForm initialCode={(query.get('code') ?? '').toUpperCase()} />
      <p>
        <Link to="/devices">All your devices</Link>
      </p>
    </section>
  );
}
