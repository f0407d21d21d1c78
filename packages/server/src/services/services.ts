/**
 * The services of one server process, wired from the store and the keyring
 * with plain factories: each takes exactly what it uses.
 */
import type { Store } from '@sundial/store';
import { auditLog, type AuditLog } from '../audit/index.js';
import { databaseLimiter, type Limiter } from '../auth/throttle.js';
import type { ServerConfig } from '../config.js';
import type { Keyring } from '../keys/keyring.js';
import { smtpMailer } from '../mail/mailer.js';
import { accounts, type Accounts } from './accounts.js';
import { namesDictionary, type NamesDictionary } from './names-dictionary.js';
import { passkeys, type Passkeys } from './passkeys.js';
import { people, type People } from './people.js';
import { activityServices, type Activity } from './activity/index.js';
import { categoriesService, type CategoriesService } from './categories.js';
import { reportsService, type Reports } from './reports/index.js';
import { alertsService, type AlertsService } from './alerts.js';
import { devicesService, pairingService, type Devices, type Pairing } from './devices/index.js';

export interface Services {
  readonly keyring: Keyring;
  readonly names: NamesDictionary;
  readonly people: People;
  readonly audit: AuditLog;
  readonly limiter: Limiter;
  readonly accounts: Accounts;
  readonly passkeys: Passkeys;
  readonly activity: Activity;
  readonly categories: CategoriesService;
  readonly reports: Reports;
  readonly alerts: AlertsService;
  readonly devices: Devices;
  readonly pairing: Pairing;
}

export type AccountSettings = Pick<ServerConfig, 'signup' | 'sessionIdleMs' | 'sessionMaxMs' | 'smtp' | 'publicUrl'>;

export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  signup: 'open',
  sessionIdleMs: 7 * 86_400_000,
  sessionMaxMs: 30 * 86_400_000,
  smtp: null,
  publicUrl: 'http://127.0.0.1:8600',
};

export interface ServiceOptions {
  readonly now?: () => number;
  /** Where background failures are reported (the server's logger). */
  readonly warn?: (message: string, error: unknown) => void;
}

export function createServices(
  store: Store,
  keyring: Keyring,
  settings: AccountSettings = DEFAULT_ACCOUNT_SETTINGS,
  options: ServiceOptions = {},
): Services {
  const now = options.now ?? Date.now;
  const warn = options.warn ?? (() => undefined);
  const names = namesDictionary({ names: store.names, keyring, now });
  const peopleService = people({ users: store.users, keyring, names, now });
  const audit = auditLog({ repo: store.audit, keyring, now });
  const limiter = databaseLimiter(store.throttle, keyring, now);
  const passkeyService = passkeys({
    store,
    people: peopleService,
    keyring,
    audit: (event) => audit.record(event),
    publicUrl: settings.publicUrl,
    now,
  });
  // Every change of a person's rules re-categorises their history.
  const categories = categoriesService({
    store,
    keyring,
    now,
    onChange: (userId) => activity.recategoriser.schedule(userId),
  });
  const alerts = alertsService({ store, keyring, names, now, warn });
  const activity = activityServices({
    store,
    keyring,
    names,
    categories,
    now,
    warn,
    // Alerts evaluate each committed change; their failures go to `warn`, never to ingest.
    onApplied: (userId, delta) => alerts.observe(userId, delta),
  });
  return {
    activity,
    devices: devicesService({ store, keyring, sources: activity.sources, audit, now }),
    pairing: pairingService({ store, keyring, limiter, audit, publicUrl: settings.publicUrl, now }),
    categories,
    reports: reportsService({ store, names, categories, recategoriser: activity.recategoriser }),
    alerts,
    passkeys: passkeyService,
    keyring,
    names,
    people: peopleService,
    audit,
    limiter,
    accounts: accounts({
      store,
      people: peopleService,
      keyring,
      limiter,
      audit: (event) => audit.record(event),
      signup: settings.signup,
      sessionIdleMs: settings.sessionIdleMs,
      sessionMaxMs: settings.sessionMaxMs,
      mailer: settings.smtp ? smtpMailer(settings.smtp) : null,
      publicUrl: settings.publicUrl,
      passkeys: passkeyService,
      warn,
      now,
    }),
  };
}
