/** Approving a pairing code an agent shows (POST /api/v1/devices/approve). */
import { useState, type FormEvent } from 'react';
import { devicesApi, type ApprovedDevice } from '../../api/devices';
import { FormError } from '../../components/field';
import { ApiError, wordsFor } from '../../api/client';

/** The code as the agent shows it: 8 letters and digits, a dash optional. */
const CODE = /^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$/;

export function ApproveForm(props: { readonly initialCode: string; readonly onApproved?: () => void }) {
  const [code, setCode] = useState(props.initialCode);
  const [error, setError] = useState<unknown>(null);
  const [approved, setApproved] = useState<ApprovedDevice['device'] | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setApproved(null);
    const trimmed = code.trim();
    if (!CODE.test(trimmed)) {
      setError(new Error('A pairing code has 8 letters and digits, like ABCD-2345.'));
      return;
    }
    setBusy(true);
    try {
      setApproved((await devicesApi.approve(trimmed)).device);
      setCode('');
      props.onApproved?.();
    } catch (e) {
      // One answer for an unknown and an expired code, as the server gives.
      const unknown = e instanceof ApiError && e.status === 404;
      setError(unknown ? new Error('No device is waiting with that code. Codes expire after 10 minutes.') : e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="approve-heading">
      <h2 id="approve-heading">Pair a device</h2>
      <p className="hint">
        Approve only a code you see on your own computer right now: the device will be able to send activity to your
        account.
      </p>
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="pairing-code">Pairing code</label>
        <input
          id="pairing-code"
          autoComplete="off"
          spellCheck={false}
          placeholder="ABCD-2345"
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
        />
        <button className="button button-primary" type="submit" disabled={busy}>
          Approve
        </button>
      </form>
      <FormError message={error ? wordsFor(error) : null} />
      {approved && (
        <p role="status" className="success">
          “{approved.name}” ({approved.platform}) is paired. It starts sending in a few seconds.
        </p>
      )}
    </section>
  );
}
