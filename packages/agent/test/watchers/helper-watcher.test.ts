// The macOS and Windows watchers with a fake helper process: line parsing, crashes, restarts, silence.
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import { parseHelperLine } from '../../src/watchers/helper-line.js';
import { createMacosWatcher, MACOS_HELPER_SCRIPT } from '../../src/watchers/macos.js';
import { createWindowsWatcher, encodePowerShell, WINDOWS_HELPER_SCRIPT } from '../../src/watchers/windows.js';
import { fakeSpawner, until } from './fake-helper.js';

describe('helper line parsing', () => {
  it('reads app, title, pid, executable and idle', () => {
    expect(
      parseHelperLine(
        '{"app":"Safari","title":"Sundial — docs","pid":412,"executable":"/Applications/Safari.app/Contents/MacOS/Safari","idle":3.5}',
      ),
    ).toEqual({
      window: {
        app: 'Safari',
        title: 'Sundial — docs',
        pid: 412,
        executable: '/Applications/Safari.app/Contents/MacOS/Safari',
      },
      idleSeconds: 3.5,
    });
  });

  it('a line without an app is no window; a negative idle is unknown', () => {
    expect(parseHelperLine('{"idle":12}')).toEqual({ window: null, idleSeconds: 12 });
    expect(parseHelperLine('{"app":"explorer","title":"","idle":-1}')).toEqual({
      window: { app: 'explorer', title: '' },
      idleSeconds: null,
    });
  });

  it('drops fields of the wrong type and rejects what is not an object', () => {
    expect(parseHelperLine('{"app":"Code","title":42,"pid":"7","executable":null,"idle":"x"}')).toEqual({
      window: { app: 'Code', title: '' },
      idleSeconds: null,
    });
    expect(parseHelperLine('{"app":"Code","pid":-3}')?.window).toEqual({ app: 'Code', title: '' });
    for (const garbage of ['', 'not json', '[1,2]', 'null', '"text"', '{"app":', `{"app":"${'x'.repeat(70_000)}"}`]) {
      expect(parseHelperLine(garbage)).toBeNull();
    }
  });
});

describe('helper watchers with a fake helper process', () => {
  it('macOS: starts osascript with the JXA script as one argument and follows its lines', async () => {
    const { spawn, started } = fakeSpawner();
    let clock = 1000;
    const watcher = createMacosWatcher({ log: silentLog, spawn, now: () => clock });
    const starting = watcher.start();
    const helper = started[0];
    if (!helper) throw new Error('no helper started');
    expect(helper.command).toBe('/usr/bin/osascript');
    expect(helper.args).toEqual(['-l', 'JavaScript', '-e', MACOS_HELPER_SCRIPT]);
    helper.print('{"app":"Terminal","title":"~ — zsh","pid":99,"idle":0.5}');
    await starting;
    expect(watcher.currentWindow()).toEqual({ app: 'Terminal', title: '~ — zsh', pid: 99 });
    clock += 500;
    expect(watcher.idleSeconds()).toBeCloseTo(1.0);
    expect(watcher.status()).toMatchObject({ platform: 'macos', ok: true });

    // Lines may arrive split across chunks.
    helper.stdout.write('{"app":"Mail","ti');
    helper.stdout.write('tle":"Inbox","idle":2}\n');
    await until(() => watcher.currentWindow()?.app === 'Mail');
    expect(watcher.currentWindow()).toEqual({ app: 'Mail', title: 'Inbox' });
    await watcher.stop();
    expect(helper.killedWith).toBe('SIGTERM');
  });

  it('Windows: runs powershell -NoProfile with the script encoded as UTF-16LE base64', async () => {
    const { spawn, started } = fakeSpawner();
    const watcher = createWindowsWatcher({ log: silentLog, spawn });
    const starting = watcher.start();
    const helper = started[0];
    if (!helper) throw new Error('no helper started');
    expect(helper.command).toBe('powershell.exe');
    expect(helper.args.slice(0, 5)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
    ]);
    const encoded = helper.args[5] ?? '';
    expect(encoded).toBe(encodePowerShell(WINDOWS_HELPER_SCRIPT));
    expect(Buffer.from(encoded, 'base64').toString('utf16le')).toContain('GetLastInputInfo');
    helper.print(
      '{"idle":1.25,"title":"Untitled - Notepad","pid":5120,"app":"notepad","executable":"C:\\\\Windows\\\\notepad.exe"}',
    );
    await starting;
    expect(watcher.currentWindow()).toEqual({
      app: 'notepad',
      title: 'Untitled - Notepad',
      pid: 5120,
      executable: 'C:\\Windows\\notepad.exe',
    });
    await watcher.stop();
  });

  it('ignores garbage lines, counting them in the status', async () => {
    const { spawn, started } = fakeSpawner();
    const watcher = createWindowsWatcher({ log: silentLog, spawn });
    const starting = watcher.start();
    const helper = started[0];
    if (!helper) throw new Error('no helper started');
    helper.print('WARNING: something PowerShell says');
    helper.print('{"app":"code","title":"a.ts","idle":0}');
    await starting;
    helper.print('{{{');
    helper.print('{"app":"code","title":"b.ts","idle":0}');
    await until(() => watcher.currentWindow()?.title === 'b.ts');
    expect(watcher.status().detail).toContain('2 unreadable lines ignored');
    await watcher.stop();
  });

  it('start() rejects with the helper error when it dies before its first line', async () => {
    const { spawn, started } = fakeSpawner();
    const watcher = createMacosWatcher({ log: silentLog, spawn });
    const starting = watcher.start();
    started[0]?.crash(1, 'execution error: Not authorised to send Apple events to System Events. (-1743)\n');
    await expect(starting).rejects.toThrow(/osascript.*exited with code 1.*Not authorised/);
    await watcher.stop();
  });

  it('a helper that crashes is reported, reads nothing, and is restarted', async () => {
    const { spawn, started } = fakeSpawner();
    const watcher = createWindowsWatcher({ log: silentLog, spawn, restartDelaysMs: [20] });
    const starting = watcher.start();
    started[0]?.print('{"app":"code","title":"x","idle":0}');
    await starting;
    started[0]?.crash(3, 'Add-Type : compilation failed\n');
    await until(() => !watcher.status().ok);
    expect(watcher.status().detail).toMatch(/exited with code 3: Add-Type : compilation failed; restarting/);
    expect(watcher.currentWindow()).toBeNull();
    expect(watcher.idleSeconds()).toBeNull();

    await until(() => started.length === 2);
    started[1]?.print('{"app":"code","title":"back","idle":4}');
    await until(() => watcher.currentWindow()?.title === 'back');
    expect(watcher.status().ok).toBe(true);
    await watcher.stop();
    // Stopping ends the helper and no restart follows.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(started).toHaveLength(2);
  });

  it('a helper that stays silent stops counting as a reading', async () => {
    const { spawn, started } = fakeSpawner();
    let clock = 0;
    const watcher = createMacosWatcher({ log: silentLog, spawn, now: () => clock });
    const starting = watcher.start();
    started[0]?.print('{"app":"Finder","title":"","idle":0}');
    await starting;
    clock += 6000;
    expect(watcher.currentWindow()).toBeNull();
    expect(watcher.idleSeconds()).toBeNull();
    expect(watcher.status()).toMatchObject({ ok: false });
    await watcher.stop();
  });

  it('stop() before the first line ends start() and the helper', async () => {
    const { spawn, started } = fakeSpawner();
    const watcher = createMacosWatcher({ log: silentLog, spawn });
    const starting = watcher.start();
    await watcher.stop();
    await expect(starting).rejects.toThrow(/stopped before its helper printed anything/);
    expect(started[0]?.killedWith).toBe('SIGTERM');
  });

  it('a helper program that cannot be run fails start() with its name', async () => {
    const watcher = createWindowsWatcher({
      log: silentLog,
      spawn: () => {
        const { spawn, started } = fakeSpawner();
        const helper = spawn('powershell.exe', []);
        setImmediate(() => started[0]?.emit('error', new Error('spawn powershell.exe ENOENT')));
        return helper;
      },
    });
    await expect(watcher.start()).rejects.toThrow(/powershell\.exe.*could not run: spawn powershell\.exe ENOENT/);
    await watcher.stop();
  });
});
