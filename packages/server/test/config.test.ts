import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  defaultDataDir,
  defaultMasterKeyFile,
  describeConfig,
  isLoopbackHost,
  loadConfig,
  type ConfigSources,
} from '../src/config.js';

const HOME = '/home/ada';

function load(env: Record<string, string>, flags: ConfigSources['flags'] = {}) {
  return loadConfig({ env, flags, platform: 'linux', home: HOME });
}

function problems(env: Record<string, string>, flags: ConfigSources['flags'] = {}): readonly string[] {
  try {
    load(env, flags);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to loopback, port 8600 and SQLite in the user data folder', () => {
    const config = load({});
    expect(config).toMatchObject({
      dataDir: '/home/ada/.local/share/sundial',
      database: { kind: 'sqlite', file: '/home/ada/.local/share/sundial/sundial.db' },
      host: '127.0.0.1',
      port: 8600,
      tls: null,
      trustProxy: [],
      logLevel: 'info',
    });
  });

  it('follows XDG_DATA_HOME and the data folder setting', () => {
    expect(load({ XDG_DATA_HOME: '/xdg' }).dataDir).toBe('/xdg/sundial');
    const config = load({ SUNDIAL_DATA_DIR: '/srv/sundial' });
    expect(config.database).toEqual({ kind: 'sqlite', file: '/srv/sundial/sundial.db' });
  });

  it('lets flags win over the environment', () => {
    const config = load({ SUNDIAL_PORT: '9000', SUNDIAL_LOG_LEVEL: 'debug' }, { port: '9100' });
    expect(config.port).toBe(9100);
    expect(config.logLevel).toBe('debug');
  });

  it('selects PostgreSQL by URL and masks its password', () => {
    const config = load({ SUNDIAL_DATABASE_URL: 'postgres://sundial:pa55@db.internal:5432/sundial' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://sundial:pa55@db.internal:5432/sundial' });
    expect(config.databaseLabel).toBe('postgres://sundial:***@db.internal:5432/sundial');
  });

  it('reports every problem at once, each naming its setting', () => {
    const found = problems({
      SUNDIAL_PORT: 'eighty',
      SUNDIAL_DATABASE_URL: 'mysql://root@localhost/x',
      SUNDIAL_LOG_LEVEL: 'loud',
      SUNDIAL_TRUST_PROXY: '10.0.0.0/33',
      SUNDIAL_TLS_CERT: '/etc/cert.pem',
      SUNDIAL_COLOUR: 'blue',
    });
    expect(found).toHaveLength(6);
    expect(found.join('\n')).toMatch(/SUNDIAL_PORT must be a whole number/);
    expect(found.join('\n')).toMatch(/SUNDIAL_DATABASE_URL must start with/);
    expect(found.join('\n')).toMatch(/SUNDIAL_LOG_LEVEL must be one of/);
    expect(found.join('\n')).toMatch(/SUNDIAL_TRUST_PROXY entry "10.0.0.0\/33"/);
    expect(found.join('\n')).toMatch(/SUNDIAL_TLS_CERT and SUNDIAL_TLS_KEY go together/);
    expect(found.join('\n')).toMatch(/SUNDIAL_COLOUR is not a Sundial setting/);
  });

  it('names the flag when the bad value came from a flag', () => {
    expect(problems({}, { port: '70000' })).toEqual([expect.stringMatching(/^--port must be/)]);
  });

  it.each(['-1', '65536', '1.5', '0x50', ' ', '80abc'])('refuses port %j', (port) => {
    expect(problems({ SUNDIAL_PORT: port })[0]).toMatch(/SUNDIAL_PORT/);
  });

  it('accepts port 0 (any free port)', () => {
    expect(load({ SUNDIAL_PORT: '0' }).port).toBe(0);
  });

  it('refuses malformed database URLs', () => {
    expect(problems({ SUNDIAL_DATABASE_URL: 'postgres://' })[0]).toMatch(/SUNDIAL_DATABASE_URL/);
    expect(problems({ SUNDIAL_DATABASE_URL: 'postgres://host-only' })[0]).toMatch(/names no PostgreSQL database/);
    expect(problems({ SUNDIAL_DATABASE_URL: 'just words' })[0]).toMatch(/must start with/);
  });

  it('refuses plain HTTP on a non-loopback address, saying how to fix it', () => {
    const [problem] = problems({ SUNDIAL_HOST: '0.0.0.0' });
    expect(problem).toMatch(/SUNDIAL_HOST=0.0.0.0 is not a loopback address/);
    expect(problem).toMatch(/SUNDIAL_TLS_CERT and SUNDIAL_TLS_KEY/);
    expect(problem).toMatch(/SUNDIAL_TRUST_PROXY/);
  });

  it('allows a non-loopback address behind a trusted proxy', () => {
    const config = load({ SUNDIAL_HOST: '0.0.0.0', SUNDIAL_TRUST_PROXY: '10.1.2.3, 192.168.0.0/16' });
    expect(config.trustProxy).toEqual(['10.1.2.3', '192.168.0.0/16']);
  });

  it('checks that TLS files exist', () => {
    const found = problems({ SUNDIAL_TLS_CERT: '/nonexistent/cert.pem', SUNDIAL_TLS_KEY: '/nonexistent/key.pem' });
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/SUNDIAL_TLS_CERT names a file that does not exist/);
  });

  it('ignores the test suite variables and variables other components own', () => {
    expect(() => load({ SUNDIAL_TEST_DATABASE_URL: 'postgres://x/y' })).not.toThrow();
    expect(() =>
      loadConfig({ env: { SUNDIAL_AGENT_PORT: '5600' }, otherKnownVariables: ['SUNDIAL_AGENT_PORT'] }),
    ).not.toThrow();
  });
});

describe('master key settings', () => {
  it('defaults to a key file in the user config folder, outside the data folder', () => {
    expect(load({}).masterKey).toEqual({ kind: 'file', path: '/home/ada/.config/sundial/master.key' });
    expect(load({ XDG_CONFIG_HOME: '/cfg' }).masterKey).toEqual({ kind: 'file', path: '/cfg/sundial/master.key' });
    expect(defaultMasterKeyFile('darwin', {}, HOME)).toBe('/home/ada/Library/Preferences/Sundial/master.key');
  });

  it('takes the key from the environment or a named file (flag wins over env)', () => {
    expect(load({ SUNDIAL_MASTER_KEY: 'abc=' }).masterKey).toEqual({ kind: 'env', base64: 'abc=' });
    expect(load({ SUNDIAL_MASTER_KEY_FILE: '/etc/a.key' }, { masterKeyFile: '/etc/b.key' }).masterKey).toEqual({
      kind: 'file',
      path: '/etc/b.key',
    });
  });

  it('refuses both at once, and a key file inside the data folder', () => {
    expect(problems({ SUNDIAL_MASTER_KEY: 'abc=', SUNDIAL_MASTER_KEY_FILE: '/etc/a.key' })[0]).toMatch(
      /both name a master key/,
    );
    expect(
      problems({ SUNDIAL_DATA_DIR: '/srv/sundial', SUNDIAL_MASTER_KEY_FILE: '/srv/sundial/keys/master.key' })[0],
    ).toMatch(/inside the data folder/);
  });

  it('never shows the key in the loggable description', () => {
    const config = load({ SUNDIAL_MASTER_KEY: 'c2VjcmV0LWtleS1tYXRlcmlhbC1zaG91bGQtbm90LWxlYWs=' });
    expect(JSON.stringify(describeConfig(config))).not.toContain('c2VjcmV0');
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );
  it.each(['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', 'example.com', 'localhost.evil.com', '128.0.0.1'])(
    '%s is not',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

describe('defaultDataDir', () => {
  it('uses each platform’s user data folder', () => {
    expect(defaultDataDir('linux', {}, HOME)).toBe('/home/ada/.local/share/sundial');
    expect(defaultDataDir('darwin', {}, HOME)).toBe('/home/ada/Library/Application Support/Sundial');
    expect(defaultDataDir('win32', { LOCALAPPDATA: 'C:/Users/ada/AppData/Local' }, HOME)).toMatch(/Sundial[\\/]Data$/);
  });
});
