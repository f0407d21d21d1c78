// Footprint of the desktop agent (benchmark, not a test): the built `sundial
// agent` (X11 watcher, queue, local API, sync to a local `sundial serve`)
// under Xvfb + openbox with two xterms, focus switched (and the pointer
// moved) every 10 s. Prints the average resident memory and the CPU share of
// one core, read from /proc/<pid>/status and /proc/<pid>/stat, and the same
// memory figure for a bare Node process on this machine.
//
//   npm run build && node scripts/agent-footprint.mjs [--seconds 600] [--warmup 30]
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, clearTimeout, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';

const { fetch } = globalThis;

const MAIN = fileURLToPath(new URL('../packages/cli/dist/main.js', import.meta.url));
const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const SECONDS = option('--seconds', 600);
const WARMUP = option('--warmup', 30);
const SWITCH_EVERY_MS = 10_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const children = [];
const root = mkdtempSync(join(tmpdir(), 'sundial-footprint-'));

function start(command, args, env, stdio = 'ignore') {
  const child = spawn(command, args, { env, stdio });
  children.push(child);
  return child;
}

function startXvfb() {
  return new Promise((resolve, reject) => {
    const server = start('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], process.env, [
      'ignore',
      'ignore',
      'ignore',
      'pipe',
    ]);
    let text = '';
    server.stdio[3].on('data', (chunk) => {
      text += chunk.toString();
      const match = /^(\d+)\n/.exec(text);
      if (match) resolve(`:${match[1]}`);
    });
    server.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
}

function untilLine(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} not ready: ${seen}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.stderr?.on('data', (chunk) => (seen += chunk.toString()));
  });
}

async function post(url, body, cookie) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie: `sundial_session=${cookie}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) };
}

/** utime + stime in clock ticks, and resident memory in kB. */
function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { ticks, rss };
}

function childCount(pid) {
  return readdirSync(`/proc/${pid}/task`)
    .map((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim())
    .filter(Boolean).length;
}

async function bareNodeRss() {
  const node = start(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  await sleep(3000);
  const { rss } = usage(node.pid);
  node.kill('SIGTERM');
  return rss;
}

async function main() {
  const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
  const display = await startXvfb();
  const xenv = { ...process.env, DISPLAY: display };
  start('openbox', ['--sm-disable'], xenv);
  await sleep(1500);
  const windows = [];
  for (const title of ['Footprint editor', 'Footprint terminal']) {
    const xterm = start('xterm', ['-T', title, '-e', 'sleep', '100000'], xenv);
    const id = execFileSync('xdotool', ['search', '--sync', '--pid', String(xterm.pid)], { env: xenv })
      .toString()
      .trim()
      .split('\n')[0];
    windows.push(id);
  }

  const serverEnv = {
    PATH: process.env.PATH,
    HOME: join(root, 'server-home'),
    SUNDIAL_DATA_DIR: join(root, 'server-data'),
    SUNDIAL_MASTER_KEY: randomBytes(32).toString('base64'),
  };
  mkdirSync(serverEnv.HOME, { recursive: true });
  const server = start(process.execPath, [MAIN, 'serve', '--port', '0'], serverEnv, ['ignore', 'pipe', 'pipe']);
  const url = (await untilLine(server, /Sundial is running at (\S+)/, 'server'))[1];
  const email = `footprint-${randomBytes(4).toString('hex')}@example.org`;
  const password = `quiet amber lantern ${randomBytes(6).toString('hex')}`;
  await post(`${url}/api/v1/auth/signup`, { email, password });
  const login = await post(`${url}/api/v1/auth/login`, { email, password });
  const cookie = /sundial_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  await fetch(`${url}/api/v1/settings/privacy`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie: `sundial_session=${cookie}` },
    body: JSON.stringify({ detail: 'full', ignore: [], paused: false, retentionDays: null }),
  });
  const newToken = async (name, scopes) =>
    (await post(`${url}/api/v1/tokens`, { name, scopes, password }, cookie)).body.token;
  const token = await newToken('footprint', ['ingest']);
  const reader = await newToken('footprint-check', ['read']);

  const agentHome = join(root, 'agent-home');
  mkdirSync(agentHome, { recursive: true });
  const agent = start(
    process.execPath,
    [MAIN, 'agent', '--server', url, '--token', token, '--port', '0', '--data-dir', join(root, 'agent-data')],
    { PATH: process.env.PATH, HOME: agentHome, DISPLAY: display },
    ['ignore', 'pipe', 'pipe'],
  );
  await untilLine(agent, /local API on http/, 'agent');

  let switches = 0;
  const switcher = setInterval(() => {
    switches += 1;
    // xdotool may complain while the window manager updates the property; the switch still happens.
    const quiet = { env: xenv, stdio: 'ignore' };
    execFileSync('xdotool', ['windowactivate', '--sync', windows[(switches - 1) % 2]], quiet);
    execFileSync('xdotool', ['mousemove', String(100 + (switches % 2) * 50), '100'], quiet);
  }, SWITCH_EVERY_MS);

  await sleep(WARMUP * 1000);
  const first = usage(agent.pid);
  const startedAt = performance.now();
  const rssSamples = [];
  let maxChildren = 0;
  while (performance.now() - startedAt < SECONDS * 1000) {
    await sleep(5000);
    rssSamples.push(usage(agent.pid).rss);
    maxChildren = Math.max(maxChildren, childCount(agent.pid));
  }
  const last = usage(agent.pid);
  const wall = (performance.now() - startedAt) / 1000;
  clearInterval(switcher);
  // The agent really tracked the switches: window events on the server, one per focus change.
  await sleep(12_000);
  const events = await fetch(`${url}/api/v1/events?limit=10000&kind=window`, {
    headers: { authorization: `Bearer ${reader}` },
  }).then((res) => res.json());

  const result = {
    seconds: Math.round(wall),
    windowSwitches: switches,
    averageRssMB: +(rssSamples.reduce((a, b) => a + b, 0) / rssSamples.length / 1024).toFixed(1),
    maxRssMB: +(Math.max(...rssSamples) / 1024).toFixed(1),
    cpuPercentOfOneCore: +((((last.ticks - first.ticks) / clockTicks) * 100) / wall).toFixed(3),
    childProcesses: maxChildren,
    windowEventsOnServer: events.events.length,
    bareNodeRssMB: +((await bareNodeRss()) / 1024).toFixed(1),
    node: process.version,
  };
  console.log(JSON.stringify(result, null, 2));
}

try {
  await main();
} finally {
  for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  await sleep(1000);
  rmSync(root, { recursive: true, force: true });
}
