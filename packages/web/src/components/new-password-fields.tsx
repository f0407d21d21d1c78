/**
 * Choosing a password, typed twice (sign-up, first run, password reset).
 * `useNewPassword` holds both entries and checks they match before the form
 * is sent; `NewPasswordFields` shows the two inputs, with the mismatch on
 * the second.
 */
import { useState } from 'react';
import { InputField } from './field';

export interface NewPasswordState {
  readonly password: string;
  readonly confirm: string;
  readonly mismatch: string | null;
  readonly setPassword: (password: string) => void;
  readonly setConfirm: (confirm: string) => void;
  /** True when both entries are the same; otherwise shows the mismatch and returns false. */
  readonly check: () => boolean;
}

export function useNewPassword(): NewPasswordState {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState<string | null>(null);
  return {
    password,
    confirm,
    mismatch,
    setPassword,
    setConfirm,
    check: () => {
      if (password !== confirm) {
        setMismatch('The two passwords are not the same.');
        return false;
      }
      setMismatch(null);
      return true;
    },
  };
}

interface Props {
  readonly state: NewPasswordState;
  /** The first input's label; the second one is this label followed by "again". */
  readonly label: string;
  readonly hint: string;
  readonly minLength?: number;
}

export function NewPasswordFields({ state, label, hint, minLength }: Props) {
  return (
    <>
      <InputField
        label={label}
        type="password"
        autoComplete="new-password"
        required
        minLength={minLength}
        hint={hint}
        value={state.password}
        onChange={(e) => state.setPassword(e.target.value)}
      />
      <InputField
        label={`${label} again`}
        type="password"
        autoComplete="new-password"
        required
        error={state.mismatch}
        value={state.confirm}
        onChange={(e) => state.setConfirm(e.target.value)}
      />
    </>
  );
}
