/**
 * Public-key pinning on first use: the SHA-256 of the server certificate's
 * SubjectPublicKeyInfo, per origin, in the config folder. A self-hosted
 * server often has a certificate a person cannot easily check; pinning
 * means that after the first connection a different key (a man in the
 * middle, or a re-keyed server) is refused until the person says
 * `--trust-new-key`.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class PinnedKeyChangedError extends Error {
  constructor(readonly origin: string) {
    super(
      `the server ${origin} presents a different public key than the one pinned when this device was paired; ` +
        "if the server's key was changed on purpose, run again with --trust-new-key",
    );
  }
}

/** SHA-256 of the DER SubjectPublicKeyInfo, base64. */
export function spkiSha256(derCertificate: Buffer): string {
  const spki = new X509Certificate(derCertificate).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

export class PinStore {
  private readonly file: string;

  constructor(configDir: string) {
    this.file = join(configDir, 'server-keys.json');
  }

  private all(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  get(origin: string): string | null {
    return this.all()[origin] ?? null;
  }

  set(origin: string, pin: string): void {
    const dir = join(this.file, '..');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const next = { ...this.all(), [origin]: pin };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  /**
   * Checks the key seen on a connection: pins it when none is pinned (or when
   * a new key is trusted), else refuses a different one.
   */
  check(origin: string, seen: string, trustNew: boolean): void {
    const pinned = this.get(origin);
    if (pinned === seen) return;
    if (pinned === null || trustNew) {
      this.set(origin, seen);
      return;
    }
    throw new PinnedKeyChangedError(origin);
  }
}
