/**
 * Passkeys with the browser's WebAuthn API directly: the server sends its
 * options as JSON (binary fields base64url), the browser wants ArrayBuffers
 * and answers a credential whose binary fields go back as base64url.
 * Used by log-in (get) and by the Security page (create).
 */

function fromBase64Url(text: string): ArrayBuffer {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function toBase64Url(buffer: ArrayBuffer | ArrayBufferView): string {
  const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

type Json = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function descriptors(list: unknown): PublicKeyCredentialDescriptor[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.map((item: Json) => ({
    type: 'public-key' as const,
    id: fromBase64Url(str(item['id'])),
    transports: Array.isArray(item['transports']) ? (item['transports'] as AuthenticatorTransport[]) : undefined,
  }));
}

export function requestOptionsFromJson(options: Json): PublicKeyCredentialRequestOptions {
  return {
    ...(options as Partial<PublicKeyCredentialRequestOptions>),
    challenge: fromBase64Url(str(options['challenge'])),
    allowCredentials: descriptors(options['allowCredentials']),
  };
}

export function creationOptionsFromJson(options: Json): PublicKeyCredentialCreationOptions {
  const user = (options['user'] ?? {}) as Json;
  return {
    ...(options as unknown as PublicKeyCredentialCreationOptions),
    challenge: fromBase64Url(str(options['challenge'])),
    user: { id: fromBase64Url(str(user['id'])), name: str(user['name']), displayName: str(user['displayName']) },
    excludeCredentials: descriptors(options['excludeCredentials']),
  };
}

/** The credential as the JSON the server's WebAuthn library reads. */
export interface CredentialJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: Record<string, unknown>;
  clientExtensionResults: Record<string, unknown>;
  authenticatorAttachment?: string;
}

export function credentialToJson(credential: PublicKeyCredential): CredentialJson {
  const response = credential.response;
  const encoded: Record<string, unknown> = { clientDataJSON: toBase64Url(response.clientDataJSON) };
  if (response instanceof AuthenticatorAssertionResponse) {
    encoded['authenticatorData'] = toBase64Url(response.authenticatorData);
    encoded['signature'] = toBase64Url(response.signature);
    if (response.userHandle) encoded['userHandle'] = toBase64Url(response.userHandle);
  } else if (response instanceof AuthenticatorAttestationResponse) {
    encoded['attestationObject'] = toBase64Url(response.attestationObject);
    encoded['transports'] = response.getTransports();
  }
  return {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: 'public-key',
    response: encoded,
    clientExtensionResults: { ...credential.getClientExtensionResults() },
    ...(credential.authenticatorAttachment ? { authenticatorAttachment: credential.authenticatorAttachment } : {}),
  };
}

export function passkeysSupported(): boolean {
  return typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;
}
