/**
 * The agent's log: one JSON line per message on stderr. Messages are fixed
 * text plus counts and codes; window titles, URLs, app names and tokens are
 * never logged.
 */
export interface AgentLog {
  info(message: string, fields?: Record<string, string | number | boolean | null>): void;
  warn(message: string, fields?: Record<string, string | number | boolean | null>): void;
  error(message: string, fields?: Record<string, string | number | boolean | null>): void;
}

export function jsonLog(write: (line: string) => void = (line) => void process.stderr.write(line)): AgentLog {
  const emit =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`);
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLog: AgentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
