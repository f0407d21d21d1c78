/** The queue file: committed events survive, grow by id, trim oldest first, and a corrupt file is set aside. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectLog, openLocal, tempDir } from './support.js';

const AGENT_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

const event = (id: string, start: number, data: Record<string, unknown> = { app: 'Editor' }) => ({
  id,
  kind: 'window' as const,
  bucket: null,
  start,
  duration: 1000,
  data,
});

describe('event queue', () => {
  it('keeps committed events across a reopen and updates a growing event by id', () => {
    const dir = tempDir();
    const first = openLocal({ dir });
    first.queue.put(event('0190a000-0000-7000-8000-000000000001', 1000));
    first.queue.put({ ...event('0190a000-0000-7000-8000-000000000001', 1000), duration: 5000 });
    first.db.close();

    const again = openLocal({ dir });
    const pending = again.queue.pending(10);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ duration: 5000, version: 2 });
    again.db.close();
  });

  it('keeps an event that grew while it was being sent', () => {
    const { queue, db } = openLocal();
    queue.put(event('0190a000-0000-7000-8000-000000000002', 1000));
    const [sending] = queue.pending(10);
    if (!sending) throw new Error('nothing pending');
    queue.put({ ...event(sending.id, 1000), duration: 9000 });
    queue.markSent([sending]);
    expect(queue.pending(10).map((e) => e.duration)).toEqual([9000]);
    queue.markSent(queue.pending(10));
    expect(queue.stats().length).toBe(0);
    db.close();
  });

  it('drops the oldest events past its bound, with a warning', () => {
    const log = collectLog();
    const { queue, db } = openLocal({ maxBytes: 20_000, log });
    for (let i = 0; i < 200; i += 1) {
      queue.put(event(`0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`, i * 1000, { app: 'x'.repeat(100) }));
    }
    const { bytes, length } = queue.stats();
    expect(bytes).toBeLessThanOrEqual(20_000);
    expect(length).toBeLessThan(200);
    const kept = queue.pending(1000).map((e) => e.start);
    // The newest survive, the oldest went.
    expect(kept.at(-1)).toBe(199_000);
    expect(kept[0]).toBeGreaterThan(0);
    expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('dropped the oldest'))).toBe(true);
    db.close();
  });

  it('moves a corrupt file aside, says so, and starts a new queue', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'queue.sqlite'), Buffer.alloc(8192, 0x5a));
    const log = collectLog();
    const local = openLocal({ dir, log });
    local.queue.put(event('0190a000-0000-7000-8000-000000000003', 1000));
    expect(local.queue.stats().length).toBe(1);
    const aside = readdirSync(dir).filter((f) => f.startsWith('queue.sqlite.corrupt-'));
    expect(aside).toHaveLength(1);
    const line = log.lines.find((l) => l.level === 'error');
    expect(line?.message).toMatch(/corrupt: moved aside/);
    expect(line?.fields.movedTo).toBe(join(dir, aside[0] ?? ''));
    local.db.close();
  });

  it('survives kill -9: every event reported as recorded is in the file', async () => {
    if (!existsSync(join(AGENT_DIST, 'queue', 'queue.js'))) throw new Error('build the agent first (npm run build)');
    const dir = tempDir();
    const file = join(dir, 'queue.sqlite');
    const script = `
      const { openQueueDb } = await import(${JSON.stringify(join(AGENT_DIST, 'queue', 'open.js'))});
      const { EventQueue } = await import(${JSON.stringify(join(AGENT_DIST, 'queue', 'queue.js'))});
      const log = { info() {}, warn() {}, error() {} };
      const queue = new EventQueue(openQueueDb(${JSON.stringify(file)}, log), 1e9, log);
      for (let i = 0; ; i += 1) {
        const id = '0190a000-0000-7000-8000-' + String(i).padStart(12, '0');
        queue.put({ id, kind: 'window', bucket: null, start: i, duration: 1, data: { app: 'a' } });
        process.stdout.write(id + '\\n');
        if (i % 50 === 49) await new Promise((r) => setTimeout(r, 1));
      }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.split('\n').length > 300 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    await new Promise((r) => child.once('exit', r).once('close', r));
    const reported = out.split('\n').filter((l) => l.length === 36);
    const local = openLocal({ dir });
    const stored = new Set(local.queue.pending(1_000_000).map((e) => e.id));
    expect(reported.length).toBeGreaterThan(250);
    for (const id of reported) expect(stored.has(id)).toBe(true);
    local.db.close();
  });
});
