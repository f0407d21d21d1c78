/**
 * Re-authentication: the password, and the authenticator (or recovery) code
 * when two-factor sign-in is on, that the server asks for before a change
 * that cannot be taken back lightly (deleting the account, turning
 * two-factor off, changing the email, an admin token). `useReauth` holds
 * what was typed; `ReauthFields` shows the inputs.
 */
import { Fragment, useState, type ReactNode } from 'react';
import type { Reauth } from '../api/security';

export interface ReauthState {
  readonly password: string;
  readonly code: string;
  readonly needsCode: boolean;
  readonly setPassword: (password: string) => void;
  readonly setCode: (code: string) => void;
  /** The body the server checks: the code only when two-factor sign-in is on. */
  readonly proof: () => Reauth;
  readonly clear: () => void;
}

export function useReauth(needsCode: boolean): ReauthState {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  return {
    password,
    code,
    needsCode,
    setPassword,
    setCode,
    proof: () => ({ password, ...(needsCode ? { code: code.trim() } : {}) }),
    clear: () => {
      setPassword('');
      setCode('');
    },
  };
}

interface Props {
  readonly reauth: ReauthState;
  /** The inputs' ids are `<idPrefix>-password` and `<idPrefix>-code`. */
  readonly idPrefix: string;
  readonly passwordLabel: string;
  readonly codeLabel?: string;
  /**
   * `cells`: each label and input in its own <div> (a `.form-grid` cell);
   * `flat`: straight in the form, for forms that stack their children.
   */
  readonly layout?: 'cells' | 'flat';
}

export function ReauthFields({
  reauth,
  idPrefix,
  passwordLabel,
  codeLabel = 'Code from your authenticator app, or a recovery code',
  layout = 'cells',
}: Props) {
  const Wrap = layout === 'cells' ? Cell : Fragment;
  return (
    <>
      <Wrap>
        <label htmlFor={`${idPrefix}-password`}>{passwordLabel}</label>
        <input
          id={`${idPrefix}-password`}
          type="password"
          autoComplete="current-password"
          required
          value={reauth.password}
          onChange={(e) => reauth.setPassword(e.target.value)}
        />
      </Wrap>
      {reauth.needsCode && (
        <Wrap>
          <label htmlFor={`${idPrefix}-code`}>{codeLabel}</label>
          <input
            id={`${idPrefix}-code`}
            autoComplete="one-time-code"
            required
            value={reauth.code}
            onChange={(e) => reauth.setCode(e.target.value)}
          />
        </Wrap>
      )}
    </>
  );
}

function Cell({ children }: { readonly children: ReactNode }) {
  return <div>{children}</div>;
}
