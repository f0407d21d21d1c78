/**
 * Requests to the Sundial server: JSON with the device token, a timeout on
 * every request, and for https the pinned public key checked on each new
 * connection (node:https rather than fetch, which cannot see the
 * certificate). Network failures, timeouts and refused keys are thrown;
 * any HTTP answer is returned for the caller to judge.
 */
import http from 'node:http';
import https from 'node:https';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { PinnedKeyChangedError, spkiSha256, type PinStore } from './pins.js';

export interface ServerReply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface ClientOptions {
  readonly server: string;
  readonly token: string | null;
  readonly timeoutMs?: number;
  readonly pins?: PinStore;
  readonly trustNewKey?: boolean;
  /** Extra trusted CA certificates (PEM), for servers with a private CA. */
  readonly ca?: string | Buffer;
  readonly userAgent?: string;
}

export class OfflineError extends Error {}

/** Answers larger than this are not read (the server's answers are small). */
const MAX_REPLY_BYTES = 32 * 1024 * 1024;

export class ServerClient {
  readonly origin: string;
  private readonly base: URL;
  private readonly agent: http.Agent;

  constructor(private readonly options: ClientOptions) {
    this.base = new URL(options.server.endsWith('/') ? options.server : `${options.server}/`);
    this.origin = this.base.origin;
    if (this.base.protocol === 'https:') {
      const { pins, trustNewKey = false } = options;
      this.agent = new https.Agent({
        keepAlive: true,
        maxSockets: 2,
        ...(options.ca ? { ca: options.ca } : {}),
        checkServerIdentity: (host: string, cert: PeerCertificate) => {
          const problem = checkServerIdentity(host, cert);
          if (problem) return problem;
          try {
            pins?.check(this.origin, spkiSha256(cert.raw), trustNewKey);
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
          return undefined;
        },
      });
    } else {
      this.agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    }
  }

  request(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = this.options.timeoutMs ?? 15_000,
  ): Promise<ServerReply> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'sundial-agent',
    };
    if (this.options.token !== null) headers.authorization = `Bearer ${this.options.token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<ServerReply>((resolve, reject) => {
      const req = transport.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_REPLY_BYTES) {
            req.destroy(new OfflineError('the server sent an oversized answer'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) => reject(new OfflineError(error.message)));
      });
      req.setTimeout(timeoutMs, () =>
        req.destroy(new OfflineError(`no answer within ${Math.round(timeoutMs / 1000)} s`)),
      );
      req.on('error', (error) => {
        const pinned = pinError(error);
        reject(pinned ?? (error instanceof OfflineError ? error : new OfflineError(error.message)));
      });
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function pinError(error: unknown): PinnedKeyChangedError | null {
  if (error instanceof PinnedKeyChangedError) return error;
  const cause = (error as { reason?: unknown; cause?: unknown } | null)?.cause;
  return cause instanceof PinnedKeyChangedError ? cause : null;
}

/** The body as JSON, or undefined when it is not JSON. */
export function jsonOf(reply: ServerReply): unknown {
  try {
    return JSON.parse(reply.body);
  } catch {
    return undefined;
  }
}
