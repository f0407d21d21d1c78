/** The agent's settings: defaults per platform, every problem at once, no http over the network, loopback only. */
import { describe, expect, it } from 'vitest';
import { AgentConfigError, loadAgentConfig } from '../src/config.js';
import { parseDuration } from '../src/pause.js';

const linux = { platform: 'linux' as const, home: '/home/ada', vars: {} };

function problemsOf(env: Record<string, string>, need: 'run' | 'control' = 'control'): string[] {
  try {
    loadAgentConfig({ env, platform: linux, need });
  } catch (error) {
    if (error instanceof AgentConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('agent settings', () => {
  it('has the documented defaults, per platform', () => {
    const config = loadAgentConfig({ env: {}, platform: linux });
    expect(config).toMatchObject({
      port: 5600,
      host: '127.0.0.1',
      awayAfterSeconds: 180,
      syncIntervalSeconds: 10,
      queueMaxBytes: 500 * 1024 * 1024,
      dataDir: '/home/ada/.local/share/sundial-agent',
      configDir: '/home/ada/.config/sundial-agent',
      server: null,
      watcher: 'platform',
    });
    const mac = loadAgentConfig({ env: {}, platform: { platform: 'darwin', home: '/Users/ada', vars: {} } });
    expect(mac.dataDir).toBe('/Users/ada/Library/Application Support/sundial-agent');
    const xdg = loadAgentConfig({
      env: {},
      platform: { ...linux, vars: { XDG_CONFIG_HOME: '/cfg', XDG_DATA_HOME: '/data' } },
    });
    expect([xdg.configDir, xdg.dataDir]).toEqual(['/cfg/sundial-agent', '/data/sundial-agent']);
  });

  it('reports every problem at once, naming each setting', () => {
    const problems = problemsOf({
      SUNDIAL_AGENT_SERVER: 'http://sundial.example.org',
      SUNDIAL_AGENT_HOST: '0.0.0.0',
      SUNDIAL_AGENT_PORT: '70000',
      SUNDIAL_AGENT_AWAY_AFTER: 'soon',
      SUNDIAL_AGENT_DATA_DIR: 'relative/dir',
    });
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^SUNDIAL_AGENT_SERVER \(--server\): refusing http:\/\/ to sundial\.example\.org/);
    expect(problems.join('\n')).toMatch(/SUNDIAL_AGENT_HOST.*loopback/);
    expect(problems.join('\n')).toMatch(/SUNDIAL_AGENT_PORT.*70000/);
    expect(problems.join('\n')).toMatch(/SUNDIAL_AGENT_AWAY_AFTER.*soon/);
    expect(problems.join('\n')).toMatch(/SUNDIAL_AGENT_DATA_DIR.*absolute/);
  });

  it('allows http only to this computer, and needs a server and token to run', () => {
    expect(
      problemsOf({ SUNDIAL_AGENT_SERVER: 'http://127.0.0.1:3000', SUNDIAL_AGENT_TOKEN: 'tok-123456' }, 'run'),
    ).toEqual([]);
    expect(
      problemsOf({ SUNDIAL_AGENT_SERVER: 'http://localhost:3000/', SUNDIAL_AGENT_TOKEN: 'tok-123456' }, 'run'),
    ).toEqual([]);
    expect(
      problemsOf({ SUNDIAL_AGENT_SERVER: 'https://sundial.example.org', SUNDIAL_AGENT_TOKEN: 'tok-123456' }, 'run'),
    ).toEqual([]);
    expect(problemsOf({}, 'run')).toHaveLength(2);
    expect(problemsOf({ SUNDIAL_AGENT_SERVER: 'ftp://x' })[0]).toMatch(/https/);
  });

  it('a flag wins over the environment; a stored token is not sent to another server', () => {
    const config = loadAgentConfig({
      env: { SUNDIAL_AGENT_PORT: '5601' },
      flags: { port: '0', server: 'https://other.example' },
      stored: { server: 'https://mine.example', token: 'stored-token-1' },
      platform: linux,
    });
    expect(config.port).toBe(0);
    expect(config.token).toBeNull();
    const same = loadAgentConfig({
      env: {},
      stored: { server: 'https://mine.example', token: 'stored-token-1' },
      platform: linux,
    });
    expect([same.server, same.token]).toEqual(['https://mine.example', 'stored-token-1']);
  });

  it('reads pause durations', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('45')).toBe(2_700_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('soon')).toBeNull();
    expect(parseDuration('0m')).toBeNull();
  });
});
