/** `sundial agent status|pause|resume`: talks to the running agent's /sundial endpoints on loopback. */
import { request } from 'node:http';

export class AgentNotRunningError extends Error {
  constructor(host: string, port: number) {
    super(
      `no agent answers on ${host}:${port} (is it running? start it with 'sundial agent', or set SUNDIAL_AGENT_PORT)`,
    );
  }
}

export function controlRequest(
  host: string,
  port: number,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        method,
        path,
        headers: {
          host: `localhost:${port}`,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new AgentNotRunningError(host, port)));
    req.on('error', (error) =>
      reject(error instanceof AgentNotRunningError ? error : new AgentNotRunningError(host, port)),
    );
    req.end(payload);
  });
}
