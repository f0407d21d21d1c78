/**
 * The Windows watcher: one long-lived `powershell -NoProfile` helper that
 * compiles a few user32 calls with Add-Type (GetForegroundWindow,
 * GetWindowText, GetWindowThreadProcessId, GetLastInputInfo) and prints the
 * foreground window and idle time as a JSON line every second. The script is
 * passed with -EncodedCommand so no quoting rules apply to it.
 * Untested on a real Windows system: see docs/agent-platforms.md.
 */
import { createHelperWatcher, type PlatformHelperOptions } from './helper-watcher.js';
import type { Watcher } from './types.js';

export const WINDOWS_HELPER_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  "Add-Type -TypeDefinition @'",
  'using System;',
  'using System.Runtime.InteropServices;',
  'using System.Text;',
  'public static class SundialUser32 {',
  '  [DllImport("user32.dll")] public static extern IntPtr GetForegroundWindow();',
  '  [DllImport("user32.dll", CharSet = CharSet.Unicode)] public static extern int GetWindowText(IntPtr hWnd, StringBuilder text, int count);',
  '  [DllImport("user32.dll")] public static extern int GetWindowTextLength(IntPtr hWnd);',
  '  [DllImport("user32.dll")] public static extern uint GetWindowThreadProcessId(IntPtr hWnd, out uint processId);',
  '  [StructLayout(LayoutKind.Sequential)] public struct LastInputInfo { public uint cbSize; public uint dwTime; }',
  '  [DllImport("user32.dll")] public static extern bool GetLastInputInfo(ref LastInputInfo info);',
  '  public static double IdleSeconds() {',
  '    var info = new LastInputInfo();',
  '    info.cbSize = (uint)Marshal.SizeOf(info);',
  '    if (!GetLastInputInfo(ref info)) return -1;',
  '    return unchecked((uint)Environment.TickCount - info.dwTime) / 1000.0;',
  '  }',
  '  public static string Title(IntPtr hWnd) {',
  '    var text = new StringBuilder(Math.Min(GetWindowTextLength(hWnd), 4096) + 1);',
  '    GetWindowText(hWnd, text, text.Capacity);',
  '    return text.ToString();',
  '  }',
  '}',
  "'@",
  "$ErrorActionPreference = 'Continue'",
  '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false',
  '$names = @{}',
  'while ($true) {',
  '  $reading = @{ idle = [SundialUser32]::IdleSeconds() }',
  '  $window = [SundialUser32]::GetForegroundWindow()',
  '  if ($window -ne [IntPtr]::Zero) {',
  '    $processId = [uint32]0',
  '    [void][SundialUser32]::GetWindowThreadProcessId($window, [ref]$processId)',
  '    $reading.title = [SundialUser32]::Title($window)',
  '    $reading.pid = [int]$processId',
  // Process name and path change only with the pid: looked up once per pid.
  '    if (-not $names.ContainsKey($processId)) {',
  '      try { $p = Get-Process -Id $processId -ErrorAction Stop; $names[$processId] = @($p.ProcessName, $p.Path) }',
  '      catch { $names[$processId] = @($null, $null) }',
  '      if ($names.Count -gt 256) { $names.Clear() }',
  '    }',
  "    $reading.app = if ($names[$processId][0]) { $names[$processId][0] } else { 'unknown' }",
  '    $reading.executable = $names[$processId][1]',
  '  }',
  '  [Console]::Out.WriteLine(($reading | ConvertTo-Json -Compress))',
  '  [Console]::Out.Flush()',
  '  Start-Sleep -Seconds 1',
  '}',
].join('\n');

/** PowerShell's -EncodedCommand takes the script as base64 of UTF-16LE. */
export function encodePowerShell(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export type WindowsWatcherOptions = PlatformHelperOptions;

export function createWindowsWatcher(options: WindowsWatcherOptions): Watcher {
  return createHelperWatcher({
    platform: 'windows',
    command: 'powershell.exe',
    args: [
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
      encodePowerShell(WINDOWS_HELPER_SCRIPT),
    ],
    ...options,
  });
}
