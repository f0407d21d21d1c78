/** `sundial agent status|pause|resume`: ask the running agent over its local API. */
import { controlRequest, parseDuration } from '@sundial/agent';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { Output } from '../output.js';
import { agentConfig, type AgentFlags } from './agent-flags.js';

interface Status {
  server: string | null;
  paused: false | { until: string | null };
  serverPaused: boolean;
  detail: string;
  queue: { length: number; bytes: number; oldestQueuedAt: string | null };
  lastSyncAt: string | null;
  lastError: string | null;
  away: boolean;
  watchers: { platform: string; ok: boolean; detail: string };
  version: string;
}

function describe(status: Status): string[] {
  const paused =
    status.paused === false
      ? 'no'
      : status.paused.until === null
        ? 'yes, until resumed'
        : `yes, until ${status.paused.until}`;
  return [
    `Server:     ${status.server ?? '(not paired)'}`,
    `Queue:      ${status.queue.length} events waiting${status.queue.oldestQueuedAt ? ` (oldest from ${status.queue.oldestQueuedAt})` : ''}`,
    `Last sync:  ${status.lastSyncAt ?? 'never'}${status.lastError ? ` — last attempt failed: ${status.lastError}` : ''}`,
    `Watcher:    ${status.watchers.platform} ${status.watchers.ok ? 'ok' : 'NOT OK'} — ${status.watchers.detail}`,
    `Paused:     ${paused}${status.serverPaused ? ' (paused in your privacy settings)' : ''}`,
    `Detail:     ${status.detail}`,
    `Version:    ${status.version}`,
  ];
}

async function call(
  flags: AgentFlags,
  method: 'GET' | 'POST',
  path: string,
  output: Output,
  body?: unknown,
): Promise<number> {
  const config = agentConfig(flags, 'control');
  const reply = await controlRequest(config.host, config.port, method, path, body);
  if (reply.status !== 200) {
    const message = (reply.body as { message?: unknown } | null)?.message;
    output.err(`sundial agent: the agent answered ${reply.status}${typeof message === 'string' ? `: ${message}` : ''}`);
    return EXIT_FAILURE;
  }
  if (flags.switches.has('--json')) output.out(JSON.stringify(reply.body, null, 2));
  else for (const line of describe(reply.body as Status)) output.out(line);
  return EXIT_OK;
}

export function agentStatus(flags: AgentFlags, output: Output): Promise<number> {
  return call(flags, 'GET', '/sundial/status', output);
}

export async function agentPause(flags: AgentFlags, args: readonly string[], output: Output): Promise<number> {
  if (args.length > 1) {
    output.err('sundial agent pause: give at most one duration (e.g. 30m, 2h, 1h30m)');
    return EXIT_USAGE;
  }
  let until: string | null = null;
  if (args[0] !== undefined) {
    const ms = parseDuration(args[0]);
    if (ms === null) {
      output.err(`sundial agent pause: '${args[0]}' is not a duration (e.g. 30m, 2h, 1h30m, 90s)`);
      return EXIT_USAGE;
    }
    until = new Date(Date.now() + ms).toISOString();
  }
  return call(flags, 'POST', '/sundial/pause', output, { until });
}

export function agentResume(flags: AgentFlags, output: Output): Promise<number> {
  return call(flags, 'POST', '/sundial/resume', output, {});
}
