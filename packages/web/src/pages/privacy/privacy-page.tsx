/**
 * Privacy (/settings/privacy): detail level, ignore rules, pause, working
 * hours, retention, and erasing activity. Each section saves the whole
 * settings document (PUT answers what was stored); `workingHours` is sent
 * only when the server's own answer has it, so older servers never see it.
 */
import '../../styles/settings.css';
import { useState } from 'react';
import { privacyApi, type PrivacySettings } from '../../api/privacy';
import { ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { errorOf } from '../../components/load-error';
import { DetailLevel } from './detail-level';
import { EraseData } from './erase-data';
import { IgnoreRules } from './ignore-rules';
import { Retention } from './retention';
import { WorkingHours } from './working-hours';

export default function PrivacyPage() {
  const [version, setVersion] = useState(0);
  const loaded = useLoad(() => privacyApi.get(), []);
  const [settings, setSettings] = useState<PrivacySettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const current = settings ?? loaded.data ?? null;

  const save = async (patch: Partial<PrivacySettings>, message: string) => {
    if (current === null) return;
    setError(null);
    setSaved(null);
    const next: PrivacySettings = { ...current, ...patch };
    const body: PrivacySettings = {
      detail: next.detail,
      ignore: next.ignore,
      paused: next.paused,
      retentionDays: next.retentionDays,
      ...('workingHours' in current ? { workingHours: next.workingHours ?? null } : {}),
    };
    try {
      setSettings(await privacyApi.put(body));
      setSaved(message);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="page settings-page">
      <div className="page-header">
        <h1>Privacy</h1>
      </div>
      {loaded.status === 'loading' && current === null && <Loading label="Loading your privacy settings…" />}
      {(errorOf(loaded) ?? error) ? <ErrorMessage error={errorOf(loaded) ?? error} /> : null}
      <p role="status" className="success" aria-live="polite">
        {saved}
      </p>
      {current && (
        <>
          <section className="card" aria-labelledby="pause-heading">
            <h2 id="pause-heading">Pause</h2>
            <p>
              {current.paused
                ? 'Tracking is paused: nothing your devices send is stored.'
                : 'Tracking is on. While paused, nothing your devices send is stored.'}
            </p>
            <button
              type="button"
              className="button"
              onClick={() =>
                void save({ paused: !current.paused }, current.paused ? 'Tracking resumed.' : 'Tracking paused.')
              }
            >
              {current.paused ? 'Resume tracking' : 'Pause tracking'}
            </button>
          </section>
          <DetailLevel value={current.detail} onSave={(detail) => save({ detail }, 'Detail level saved.')} />
          <IgnoreRules rules={current.ignore} onSave={(ignore) => save({ ignore }, 'Ignore rules saved.')} />
          {'workingHours' in current && (
            <WorkingHours
              value={current.workingHours ?? null}
              onSave={(workingHours) => save({ workingHours }, 'Working hours saved.')}
            />
          )}
          <Retention
            value={current.retentionDays}
            onSave={(retentionDays) => save({ retentionDays }, 'Retention saved.')}
          />
          <EraseData version={version} onErased={() => setVersion((v) => v + 1)} />
        </>
      )}
    </section>
  );
}
