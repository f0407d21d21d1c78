/** Accounts, sessions and API tokens on the wire. */
import { Type, type Static } from 'typebox';

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254, description: 'Email address' });
/** 128 characters at most (NIST SP 800-63B); the policy (length, common passwords) is checked by the server. */
const Password = Type.String({ minLength: 1, maxLength: 128 });
const Code = Type.String({
  pattern: '^(\\d{6}|[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}-?[A-Za-z0-9]{4})$',
  description: 'A 6-digit authenticator code or a recovery code',
});
const Instant = Type.String({ format: 'date-time' });

export const TOKEN_SCOPE_VALUES = ['ingest', 'read', 'admin'] as const;
export const TokenScopeSchema = Type.Union([Type.Literal('ingest'), Type.Literal('read'), Type.Literal('admin')]);

/** An answer with no body. */
export const NoContent = Type.Null({ description: 'No content' });

export const SignupBody = Type.Object(
  { email: Email, password: Password, name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
export type SignupBody = Static<typeof SignupBody>;

export const AcceptedResponse = Type.Object(
  { status: Type.Literal('accepted'), message: Type.String() },
  { additionalProperties: false },
);

export const InstanceStatusResponse = Type.Object(
  {
    hasAccounts: Type.Boolean({ description: 'false on a new instance: its first account becomes the administrator' }),
    signup: Type.Union([Type.Literal('open'), Type.Literal('invite'), Type.Literal('closed')], {
      description: 'Whether a visitor may create an account now',
    }),
  },
  { additionalProperties: false },
);

export const MeResponse = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    displayName: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([Type.Literal('member'), Type.Literal('admin')]),
    mfa: Type.Object({ totp: Type.Boolean() }, { additionalProperties: false }),
    createdAt: Instant,
  },
  { additionalProperties: false },
);
export type MeResponse = Static<typeof MeResponse>;

export const PasswordChangeBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);

export const ReauthBody = Type.Object(
  { password: Password, code: Type.Optional(Code) },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const SessionView = Type.Object(
  {
    id: Type.String(),
    current: Type.Boolean(),
    createdAt: Instant,
    lastSeenAt: Instant,
    expiresAt: Instant,
    userAgent: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export const SessionsResponse = Type.Object({ sessions: Type.Array(SessionView) }, { additionalProperties: false });

export const TokenCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(TokenScopeSchema, { minItems: 1, maxItems: 3, uniqueItems: true }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    password: Type.Optional(Password),
  },
  { additionalProperties: false },
);
export type TokenCreateBody = Static<typeof TokenCreateBody>;

export const TokenView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    scopes: Type.Array(TokenScopeSchema),
    createdAt: Instant,
    lastUsedAt: Type.Union([Instant, Type.Null()]),
    expiresAt: Type.Union([Instant, Type.Null()]),
  },
  { additionalProperties: false },
);
export const TokenCreatedResponse = Type.Object(
  { ...TokenView.properties, token: Type.String({ description: 'Shown once; store it now' }) },
  { additionalProperties: false },
);
export const TokensResponse = Type.Object({ tokens: Type.Array(TokenView) }, { additionalProperties: false });

export const SecurityLogResponse = Type.Object(
  {
    entries: Type.Array(
      Type.Object(
        {
          seq: Type.Integer(),
          at: Instant,
          action: Type.String(),
          ip: Type.Union([Type.String(), Type.Null()], { description: 'The full address as seen, or null' }),
          userAgent: Type.Union([Type.String(), Type.Null()]),
          details: Type.Record(Type.String(), Type.Unknown()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const SecurityLogQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'Only entries older than this seq' })),
  },
  { additionalProperties: false },
);

export const TotpEnrolResponse = Type.Object(
  {
    secret: Type.String({ description: 'Base32 secret, for typing into an authenticator app' }),
    uri: Type.String({ description: 'otpauth:// URI' }),
    qrSvg: Type.String({ description: 'The URI as a QR code (SVG)' }),
  },
  { additionalProperties: false },
);

export const TotpConfirmBody = Type.Object(
  { code: Type.String({ pattern: '^\\d{6}$', description: 'The 6-digit code the app shows now' }) },
  { additionalProperties: false },
);

export const RecoveryCodesResponse = Type.Object(
  { recoveryCodes: Type.Array(Type.String(), { description: 'Single-use codes, shown once: store them safely' }) },
  { additionalProperties: false },
);

export const ResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });

export const ResetConfirmBody = Type.Object(
  { token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }), newPassword: Password },
  { additionalProperties: false },
);

/** A WebAuthn credential as the browser's JSON (checked in depth by the server's WebAuthn library). */
const WebAuthnCredential = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 1024, pattern: '^[A-Za-z0-9_-]+$' }),
    rawId: Type.String({ minLength: 1, maxLength: 1024 }),
    type: Type.Literal('public-key'),
    response: Type.Record(Type.String(), Type.Unknown()),
    clientExtensionResults: Type.Record(Type.String(), Type.Unknown()),
    authenticatorAttachment: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const PasskeyOptionsResponse = Type.Object(
  {
    challengeId: Type.String(),
    options: Type.Record(Type.String(), Type.Unknown(), { description: 'Pass to navigator.credentials' }),
  },
  { additionalProperties: false },
);

export const PasskeyRegisterBody = Type.Object(
  {
    challengeId: Type.String({ format: 'uuid' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    response: WebAuthnCredential,
  },
  { additionalProperties: false },
);

export const PasskeyLoginBody = Type.Object(
  { challengeId: Type.String({ format: 'uuid' }), response: WebAuthnCredential },
  { additionalProperties: false },
);

export const PasskeyView = Type.Object(
  { id: Type.String(), name: Type.String(), createdAt: Instant, lastUsedAt: Type.Union([Instant, Type.Null()]) },
  { additionalProperties: false },
);
export const PasskeysResponse = Type.Object({ passkeys: Type.Array(PasskeyView) }, { additionalProperties: false });
export const PasskeyIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 1024, pattern: '^[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);

export const EmailChangeBody = Type.Object(
  { email: Email, password: Password, code: Type.Optional(Code) },
  { additionalProperties: false },
);

export const LoginBody = Type.Object(
  {
    email: Email,
    password: Password,
    code: Type.Optional(Code),
    passkey: Type.Optional(PasskeyLoginBody),
  },
  {
    additionalProperties: false,
    description: 'With two-factor sign-in on: `code` (authenticator or recovery) or `passkey`',
  },
);
export type LoginBody = Static<typeof LoginBody>;
