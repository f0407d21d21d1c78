/**
 * Web browsers by the app names watchers report (macOS application names,
 * X11 window classes, Windows executables). Time in a browser window is
 * classified by the site it shows when a web watcher reports one (rollup.ts).
 */

const BROWSERS = new Set([
  'arc',
  'brave',
  'brave browser',
  'brave-browser',
  'chrome',
  'chromium',
  'chromium-browser',
  'epiphany',
  'org.gnome.epiphany',
  'falkon',
  'firefox',
  'firefox-esr',
  'firefox developer edition',
  'firefox nightly',
  'floorp',
  'google chrome',
  'google-chrome',
  'konqueror',
  'librewolf',
  'microsoft edge',
  'microsoft-edge',
  'msedge',
  'navigator',
  'opera',
  'qutebrowser',
  'safari',
  'safari technology preview',
  'tor browser',
  'vivaldi',
  'vivaldi-stable',
  'waterfox',
  'yandex',
  'zen',
  'zen browser',
]);

/** Whether an app name (any case, with or without a path or ".exe") is a web browser. */
export function isBrowserApp(app: string): boolean {
  const base = app.split(/[\\/]/).pop() ?? app;
  return BROWSERS.has(
    base
      .toLowerCase()
      .replace(/\.(exe|app)$/, '')
      .trim(),
  );
}
