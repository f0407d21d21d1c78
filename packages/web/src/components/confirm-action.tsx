/**
 * A ConfirmDialog whose confirmation runs something asynchronous: the
 * buttons are disabled ("Working…") until it settles, so a second click
 * cannot send the request twice.
 */
import { useState } from 'react';
import { ConfirmDialog, type ConfirmDialogProps } from './confirm-dialog';

type Props = Omit<ConfirmDialogProps, 'onConfirm' | 'busy'> & { readonly onConfirm: () => Promise<void> };

export function ConfirmAction({ onConfirm, ...dialog }: Props) {
  const [busy, setBusy] = useState(false);
  const confirm = () => {
    setBusy(true);
    onConfirm().finally(() => setBusy(false));
  };
  return <ConfirmDialog {...dialog} busy={busy} onConfirm={confirm} />;
}
