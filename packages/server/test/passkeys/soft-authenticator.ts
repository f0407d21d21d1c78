/**
 * A software WebAuthn authenticator for tests: one ES256 (P-256) key pair,
 * attestation `none`, built from node:crypto and a tiny CBOR encoder. It
 * answers the server's options as a browser would hand them back
 * (`RegistrationResponseJSON`, `AuthenticationResponseJSON`), with knobs to
 * misbehave: another origin, no user verification, any signature counter.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

/** What the encoder knows: enough for COSE keys and attestation objects. */
export type Cbor = number | string | Uint8Array | Map<number | string, Cbor>;

function head(major: number, arg: number): Buffer {
  if (arg < 24) return Buffer.from([(major << 5) | arg]);
  if (arg < 0x100) return Buffer.from([(major << 5) | 24, arg]);
  if (arg < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(arg, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(arg, 1);
  return b;
}

/** Canonical-enough CBOR (RFC 8949): integers up to 32 bits, byte and text strings, maps in insertion order. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) > 0xffffffff) throw new Error(`cannot encode ${value}`);
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

function counterBytes(counter: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(counter, 0);
  return b;
}

export interface CeremonyOptions {
  readonly origin: string;
  /** The UV flag (default on). */
  readonly userVerified?: boolean;
}

export class SoftAuthenticator {
  readonly credentialId: Buffer;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** The user handle the last `create` was given (base64url), returned by `get`. */
  private userHandle: string | null;

  /** A fresh key pair; a given credential id (and user handle) lets a second authenticator pose as the first. */
  constructor(credentialId: Buffer = randomBytes(32), userHandle: string | null = null) {
    this.credentialId = credentialId;
    this.userHandle = userHandle;
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** Another key pair claiming this authenticator's credential id and user handle. */
  impostor(): SoftAuthenticator {
    return new SoftAuthenticator(this.credentialId, this.userHandle);
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** The public key as a COSE_Key map: {kty: EC2, alg: ES256, crv: P-256, x, y}. */
  coseKey(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw new Error('not an EC key');
    return cbor(
      new Map<number, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x, 'base64url')],
        [-3, Buffer.from(jwk.y, 'base64url')],
      ]),
    );
  }

  /** navigator.credentials.create(), as JSON. */
  create(options: PublicKeyCredentialCreationOptionsJSON, ceremony: CeremonyOptions): RegistrationResponseJSON {
    const rpId = options.rp.id;
    if (rpId === undefined) throw new Error('the options name no relying party id');
    this.userHandle = options.user.id;
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: 'webauthn.create',
        challenge: options.challenge,
        origin: ceremony.origin,
        crossOrigin: false,
      }),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length, 0);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([UP | (ceremony.userVerified === false ? 0 : UV) | AT]),
      counterBytes(0),
      Buffer.alloc(16),
      idLength,
      this.credentialId,
      this.coseKey(),
    ]);
    const attestationObject = cbor(
      new Map<string, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    };
  }

  /** navigator.credentials.get(), as JSON; `counter` is the signature counter to report (default 0). */
  get(
    options: PublicKeyCredentialRequestOptionsJSON,
    ceremony: CeremonyOptions & { readonly counter?: number },
  ): AuthenticationResponseJSON {
    const rpId = options.rpId;
    if (rpId === undefined) throw new Error('the options name no relying party id');
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: 'webauthn.get',
        challenge: options.challenge,
        origin: ceremony.origin,
        crossOrigin: false,
      }),
    );
    const authenticatorData = Buffer.concat([
      sha256(rpId),
      Buffer.from([UP | (ceremony.userVerified === false ? 0 : UV)]),
      counterBytes(ceremony.counter ?? 0),
    ]);
    // ECDSA over authenticatorData ‖ SHA-256(clientDataJSON); node signs EC keys in DER, as WebAuthn wants.
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        ...(this.userHandle === null ? {} : { userHandle: this.userHandle }),
      },
      clientExtensionResults: {},
    };
  }
}
