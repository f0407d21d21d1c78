/**
 * The agent half of `sundial up`: the server and an agent for this computer
 * in one process. On the first run the agent pairs with the local server
 * and `up` prints the approval link, which on a new instance is also where
 * the first account is created (the dashboard sends a signed-out visitor to
 * sign up and back); once approved, recording starts. Later runs find the
 * stored credentials and start recording at once.
 *
 * The agent is an extra: when this computer cannot be watched (no X display,
 * a Wayland session) or its local API port is taken, `up` says so and the
 * server keeps running.
 */
import { hostname } from 'node:os';
import {
  AgentConfigError,
  createPlatformWatcher,
  jsonLog,
  loadAgentConfig,
  pairDevice,
  PairingError,
  platformName,
  readCredentials,
  scriptWatcherFromFile,
  sessionEnv,
  startAgent,
  type AgentConfig,
  type AgentLog,
  type RunningAgent,
  type Watcher,
} from '@sundial/agent';
import type { Output } from '../output.js';

export interface LocalAgent {
  /** Stops pairing or recording; safe to call at any time. */
  stop(): Promise<void>;
}

class Stopped extends Error {}

function watcherFor(config: AgentConfig, log: AgentLog): Watcher {
  if (config.watcher.startsWith('script:')) return scriptWatcherFromFile(config.watcher.slice('script:'.length));
  return createPlatformWatcher(sessionEnv(), process.platform, { log });
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** Starts pairing (when needed) and recording in the background; never throws. */
export function startLocalAgent(serverUrl: string, output: Output): LocalAgent {
  const log = jsonLog();
  let stopping = false;
  let agent: RunningAgent | null = null;
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (stopping) return reject(new Stopped());
      const wake = () => {
        clearTimeout(timer);
        reject(new Stopped());
      };
      const timer = setTimeout(() => {
        wakers.delete(wake);
        resolve();
      }, ms);
      wakers.add(wake);
    });

  const say = (line: string) => output.out(`agent: ${line}`);

  const run = async (): Promise<void> => {
    const first = loadAgentConfig({ need: 'control' });
    const stored = readCredentials(first.configDir);
    if (stored !== null && !sameOrigin(stored.server, serverUrl)) {
      say(`this computer is paired with ${stored.server}, not this server: not recording here.`);
      return;
    }
    if (stored === null) {
      say('pair this computer to start recording it.');
      // A code lives ten minutes: while nobody approves, offer a fresh one.
      for (;;) {
        try {
          await pairDevice({
            server: serverUrl,
            configDir: first.configDir,
            name: hostname().slice(0, 100) || 'this computer',
            platform: platformName(process.platform),
            trustNewKey: false,
            say: (line) =>
              say(line.startsWith('Approve') ? `${line} (on a new Sundial, this link creates your account)` : line),
            sleep,
          });
          break;
        } catch (error) {
          if (!(error instanceof PairingError)) throw error;
          say(`${error.message}: here is a new code.`);
        }
      }
      say('paired.');
    }
    const config = loadAgentConfig({ need: 'run', stored: readCredentials(first.configDir) });
    let watcher: Watcher;
    try {
      watcher = watcherFor(config, log);
    } catch (error) {
      say(`not recording this computer: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (stopping) return;
    agent = await startAgent({ config, watcher, log });
    say(`recording; ActivityWatch API on http://${config.host}:${agent.port}`);
  };

  const running = run().catch((error: unknown) => {
    if (error instanceof Stopped) return;
    const message = error instanceof AgentConfigError || error instanceof Error ? error.message : String(error);
    say(`not recording this computer: ${message}`);
  });

  return {
    async stop() {
      stopping = true;
      for (const wake of wakers) wake();
      await running;
      const current = agent;
      agent = null;
      if (current) await current.stop();
    },
  };
}
