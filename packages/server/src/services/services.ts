/**
 * The services of one server process, wired from the store and the keyring
 * with plain factories: each takes exactly what it uses.
 */
import type { Store } from '@sundial/store';
import type { Keyring } from '../keys/keyring.js';
import { namesDictionary, type NamesDictionary } from './names-dictionary.js';
import { people, type People } from './people.js';

export interface Services {
  readonly keyring: Keyring;
  readonly names: NamesDictionary;
  readonly people: People;
}

export function createServices(store: Store, keyring: Keyring, now: () => number = Date.now): Services {
  const names = namesDictionary({ names: store.names, keyring, now });
  return { keyring, names, people: people({ users: store.users, keyring, names, now }) };
}
