/**
 * Two-factor sign-in with an authenticator app: enrol (QR code from the
 * server, as SVG, shown as an image), confirm with a code, see the recovery
 * codes once; turn off with password and code.
 */
import { useState, type FormEvent } from 'react';
import { securityApi, type TotpEnrolment } from '../../api/security';
import { FormError } from '../../components/field';
import { useBusy } from '../../components/use-busy';
import { ReauthFields, useReauth } from '../../components/reauth-fields';
import { wordsFor } from '../../api/client';

interface Props {
  readonly enabled: boolean;
  readonly onChanged: () => void;
}

/** An <img> never runs what an SVG holds, and the CSP allows data: images. */
const svgImage = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

export function TwoFactor({ enabled, onChanged }: Props) {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const reauth = useReauth(true);
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const { busy, error, run } = useBusy();

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      setRecovery((await securityApi.confirmTotp(code.trim())).recoveryCodes);
      setEnrolment(null);
      setCode('');
      onChanged();
    });
  };
  const disable = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await securityApi.disableTotp(reauth.proof());
      reauth.clear();
      onChanged();
    });
  };

  return (
    <section className="card" aria-labelledby="totp-heading">
      <h2 id="totp-heading">Two-factor sign-in</h2>
      {recovery && (
        <div className="callout" role="status">
          <p>
            <strong>Two-factor sign-in is on.</strong> Keep these recovery codes somewhere safe: each signs you in once
            if you lose your phone. They are shown only now.
          </p>
          <ul className="codes" data-testid="recovery-codes">
            {recovery.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <button type="button" className="button" onClick={() => setRecovery(null)}>
            I have stored them
          </button>
        </div>
      )}
      {!enabled && enrolment === null && recovery === null && (
        <>
          <p>Sign in with a code from an authenticator app (Google Authenticator, Aegis, 1Password…) as well.</p>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void run(async () => setEnrolment(await securityApi.startTotp()))}
          >
            Set up two-factor sign-in
          </button>
        </>
      )}
      {enrolment && (
        <form className="stack" onSubmit={confirm}>
          <p>Scan this code with your authenticator app, then type the 6-digit code it shows.</p>
          <img
            className="qr"
            src={svgImage(enrolment.qrSvg)}
            alt="QR code for your authenticator app"
            width={200}
            height={200}
          />
          <p>
            Or type this key: <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <div className="inline-form">
            <label htmlFor="totp-code">Code from the app</label>
            <input
              id="totp-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <button className="button button-primary" type="submit" disabled={busy}>
              Turn on
            </button>
            <button type="button" className="button" onClick={() => setEnrolment(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {enabled && recovery === null && (
        <>
          <p>Two-factor sign-in is on. To turn it off, confirm it is you.</p>
          <form className="form-grid" onSubmit={disable}>
            <ReauthFields
              reauth={reauth}
              idPrefix="totp-off"
              passwordLabel="Password"
              codeLabel="Code from the app, or a recovery code"
            />
            <div>
              <button type="submit" className="button button-danger" disabled={busy}>
                Turn off two-factor sign-in
              </button>
            </div>
          </form>
        </>
      )}
      <FormError message={error ? wordsFor(error) : null} />
    </section>
  );
}
