/** Security (/security): two-factor sign-in, passkeys, sessions, API tokens, password and email, the log. */
import '../../styles/settings.css';
import { useState } from 'react';
import { authApi } from '../../api/auth';
import { ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { errorOf } from '../../components/load-error';
import { AccountDetails } from './account-details';
import { ApiTokens } from './api-tokens';
import { Passkeys } from './passkeys';
import { SecurityLog } from './security-log';
import { Sessions } from './sessions';
import { TwoFactor } from './two-factor';

export default function SecurityPage() {
  const [version, setVersion] = useState(0);
  const me = useLoad(() => authApi.me(), [version]);
  const changed = () => setVersion((v) => v + 1);
  return (
    <section className="page settings-page">
      <div className="page-header">
        <h1>Security</h1>
      </div>
      {me.status === 'loading' && me.data === null && <Loading label="Loading your account…" />}
      {errorOf(me) ? <ErrorMessage error={errorOf(me)} /> : null}
      {me.data && (
        <>
          <TwoFactor enabled={me.data.mfa.totp} onChanged={changed} />
          <Passkeys />
          <Sessions />
          <ApiTokens />
          <AccountDetails me={me.data} onChanged={changed} />
          <SecurityLog />
        </>
      )}
    </section>
  );
}
