/**
 * The agent's local HTTP API on loopback: ActivityWatch's /api/0 for
 * unchanged watchers and the browser extension, and /sundial/… for the
 * `sundial agent` commands. Every request passes the Host-header check
 * first (a foreign Host is a DNS-rebinding page: 400).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentLog } from '../log.js';
import { handleAw, type AwDeps } from './aw-routes.js';
import { handleControl, type ControlDeps } from './control.js';
import { applyCors, hostAllowed, HttpError, sendError } from './http.js';

export interface LocalApi {
  readonly port: number;
  close(): Promise<void>;
}

export async function startLocalApi(options: {
  host: string;
  port: number;
  aw: AwDeps;
  control: ControlDeps;
  log: AgentLog;
}): Promise<LocalApi> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        if (!hostAllowed(req.headers.host)) {
          throw new HttpError(400, 'Host header must be localhost or 127.0.0.1 (this API serves only this computer)');
        }
        const cors = applyCors(req, res);
        if (req.method === 'OPTIONS') {
          res.writeHead(cors ? 204 : 403).end();
          return;
        }
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (url.pathname.startsWith('/api/0/') || url.pathname === '/api/0') {
          await handleAw(options.aw, req, res, url.pathname.slice('/api/0'.length), url.searchParams);
        } else if (url.pathname.startsWith('/sundial/')) {
          await handleControl(options.control, req, res, url.pathname);
        } else {
          throw new HttpError(404, `No route for ${req.method ?? 'GET'} ${url.pathname}`);
        }
      } catch (error) {
        if (error instanceof HttpError) {
          if (!res.headersSent) sendError(res, error.status, error.message);
          else res.end();
          return;
        }
        options.log.error('local API request failed', { error: error instanceof Error ? error.name : 'unknown' });
        if (!res.headersSent) sendError(res, 500, 'internal error in the agent');
        else res.end();
      }
    })();
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
