/** A running agent for the suites: real queue file, real local API on a free port, a scripted watcher. */
import { request } from 'node:http';
import { loadAgentConfig } from '../src/config.js';
import { silentLog } from '../src/log.js';
import { startAgent, type RunningAgent } from '../src/runtime.js';
import { scriptWatcher, type ScriptSegment } from '../src/script-watcher.js';
import { tempDir } from './support.js';

export async function runAgent(
  server: { url: string; token: string } | null,
  segments: ScriptSegment[] = [],
  extra: Record<string, string> = {},
): Promise<RunningAgent & { dataDir: string; base: string }> {
  const dataDir = tempDir();
  const config = loadAgentConfig({
    env: {
      SUNDIAL_AGENT_PORT: '0',
      SUNDIAL_AGENT_DATA_DIR: dataDir,
      SUNDIAL_AGENT_CONFIG_DIR: tempDir(),
      ...(server ? { SUNDIAL_AGENT_SERVER: server.url, SUNDIAL_AGENT_TOKEN: server.token } : {}),
      ...extra,
    },
  });
  const agent = await startAgent({ config, watcher: scriptWatcher(segments), log: silentLog });
  return Object.assign(agent, { dataDir, base: `http://127.0.0.1:${agent.port}` });
}

/** A raw request (fetch cannot set Host). */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
