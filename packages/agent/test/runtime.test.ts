/** The running agent: it stops recording and tells its caller when the queue file becomes unreadable. */
import { describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../src/config.js';
import { silentLog } from '../src/log.js';
import { startAgent } from '../src/runtime.js';
import { scriptWatcher } from '../src/script-watcher.js';
import { tempDir } from './support.js';

describe('agent runtime', () => {
  it('reports an unreadable queue file once, so the supervisor restarts it', async () => {
    const config = loadAgentConfig({
      env: { SUNDIAL_AGENT_PORT: '0', SUNDIAL_AGENT_DATA_DIR: tempDir(), SUNDIAL_AGENT_CONFIG_DIR: tempDir() },
    });
    const inner = scriptWatcher([{ from: 0, app: 'Editor', title: 't' }]);
    let broken = false;
    // SQLite's error, as better-sqlite3 raises it from a write of the tick.
    const watcher = {
      ...inner,
      idleSeconds: () => {
        if (broken) throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
        return inner.idleSeconds();
      },
    };
    const reasons: string[] = [];
    const agent = await startAgent({ config, watcher, log: silentLog, onFatal: (reason) => reasons.push(reason) });
    try {
      broken = true;
      // The next ticks (one a second) meet the error; one report however many ticks fail.
      for (let i = 0; i < 100 && reasons.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(reasons).toEqual([expect.stringContaining('queue file became unreadable')]);
    } finally {
      broken = false;
      await agent.stop();
    }
  });
});
