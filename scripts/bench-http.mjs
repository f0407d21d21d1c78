// HTTP helpers shared by the benchmarks: one keep-alive connection, JSON in, text out.
import http from 'node:http';
import { join } from 'node:path';
import { loadConfig, startServer } from '@sundial/server';

export const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One request on the shared connection; answers status, headers and the body as text. */
export function request(port, method, path, body, headers = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Signs a bench person up and answers their session cookie and a bearer header for a new token. */
export async function benchPerson(port, scopes) {
  const email = 'bench@example.com';
  const password = 'tidal ochre lantern bench';
  await request(port, 'POST', '/api/v1/auth/signup', { email, password });
  const login = await request(port, 'POST', '/api/v1/auth/login', { email, password });
  const cookie = String(login.headers['set-cookie']).split(';')[0];
  const created = await request(port, 'POST', '/api/v1/tokens', { name: 'bench', scopes }, { cookie });
  return { cookie, auth: { authorization: `Bearer ${JSON.parse(created.body).token}` } };
}

/** A Sundial server on a free loopback port with its data and keys under `dir`. */
export async function startBenchServer(dir) {
  const config = loadConfig({
    env: {
      SUNDIAL_DATA_DIR: join(dir, 'data'),
      SUNDIAL_MASTER_KEY_FILE: join(dir, 'keys', 'master.key'),
      SUNDIAL_PORT: '0',
      SUNDIAL_LOG_LEVEL: 'warn',
    },
  });
  const server = await startServer(config);
  return { server, port: new URL(server.url).port };
}
