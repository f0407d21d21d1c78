/** Devices (/devices): each paired device with when it was last seen and its agent's queue; revoke. */
import '../../styles/settings.css';
import { useState } from 'react';
import { devicesApi, type Device } from '../../api/devices';
import { ConfirmAction } from '../../components/confirm-action';
import { ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { errorOf } from '../../components/load-error';
import { formatDateTime, formatNumber } from '../../format/numbers';
import { ApproveForm } from './approve-form';

function QueueStatus({ device }: { readonly device: Device }) {
  const status = device.status;
  if (status === undefined) return <span className="muted">—</span>;
  if (status === null) return <span className="muted">No report from the agent yet</span>;
  const waiting =
    status.queueLength === 0
      ? 'Nothing waiting to be sent'
      : `${formatNumber(status.queueLength)} waiting${
          status.oldestQueuedAt ? ` (oldest from ${formatDateTime(status.oldestQueuedAt)})` : ''
        }`;
  return (
    <span>
      {waiting}
      <br />
      <span className="muted">
        Last sync {status.lastSyncAt ? formatDateTime(status.lastSyncAt) : 'never'} · agent {status.version}
        {status.watchers ? ` · ${status.watchers}` : ''}
      </span>
    </span>
  );
}

export default function DevicesPage() {
  const [version, setVersion] = useState(0);
  const devices = useLoad((signal) => devicesApi.list(signal), [version]);
  const [revoking, setRevoking] = useState<Device | null>(null);
  const [error, setError] = useState<unknown>(null);
  const active = (devices.data ?? []).filter((d) => d.connected);
  const revoked = (devices.data ?? []).filter((d) => !d.connected);
  return (
    <section className="page settings-page">
      <div className="page-header">
        <h1>Devices</h1>
      </div>
      <ApproveForm initialCode="" onApproved={() => setVersion((v) => v + 1)} />
      <section className="card" aria-labelledby="devices-heading">
        <h2 id="devices-heading">Your devices</h2>
        {devices.status === 'loading' && devices.data === null && <Loading label="Loading your devices…" />}
        {(errorOf(devices) ?? error) ? <ErrorMessage error={errorOf(devices) ?? error} /> : null}
        {devices.data && active.length === 0 && (
          <p className="muted empty">
            No devices yet. Install the Sundial agent on a computer and start pairing there: it shows a code to approve
            here.
          </p>
        )}
        {active.length > 0 && (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Devices table">
            <table className="table">
              <caption className="visually-hidden">Paired devices</caption>
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Queue</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {active.map((d) => (
                  <tr key={d.id}>
                    <td>
                      {d.name}
                      <br />
                      <span className="muted">
                        {d.platform} · paired {formatDateTime(d.createdAt)}
                      </span>
                    </td>
                    <td>{d.lastSeenAt ? formatDateTime(d.lastSeenAt) : 'never'}</td>
                    <td>
                      <QueueStatus device={d} />
                    </td>
                    <td>
                      <button type="button" className="button button-danger" onClick={() => setRevoking(d)}>
                        Revoke<span className="visually-hidden"> {d.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {revoked.length > 0 && (
          <>
            <h3>Not connected</h3>
            <p className="hint">
              These cannot send anything now (revoked, or recorded through an import); what they recorded stays until
              you erase it.
            </p>
            <ul className="plain-list" data-testid="revoked-devices">
              {revoked.map((d) => (
                <li key={d.id}>
                  {d.name}{' '}
                  <span className="muted">
                    {d.revokedAt ? `revoked ${formatDateTime(d.revokedAt)}` : 'no live token'}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {revoking && (
        <ConfirmAction
          open
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke device"
          danger
          onCancel={() => setRevoking(null)}
          onConfirm={async () => {
            setError(null);
            try {
              await devicesApi.revoke(revoking.id);
              setVersion((v) => v + 1);
            } catch (e) {
              setError(e);
            }
            setRevoking(null);
          }}
        >
          The device can no longer send or read anything; activity it recorded stays (erase it on the Privacy page). To
          use it again, pair it anew.
        </ConfirmAction>
      )}
    </section>
  );
}
