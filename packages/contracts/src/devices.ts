/**
 * Devices on the wire: pairing an agent (start, claim, approve), the
 * person's devices with each agent's latest status, the status an agent
 * reports, and revoking a device.
 */
import { Type, type Static } from 'typebox';

const Instant = Type.String({ format: 'date-time' });
const Timestamp = Type.String({ minLength: 10, maxLength: 40, description: 'ISO 8601 date-time' });

export const DEVICE_PLATFORMS = ['linux', 'macos', 'windows', 'other'] as const;
export const DevicePlatform = Type.Union(
  DEVICE_PLATFORMS.map((p) => Type.Literal(p)),
  { description: 'The operating system the agent runs on' },
);

export const PairingStartBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'What the device is called, e.g. "Work laptop"' }),
    platform: DevicePlatform,
  },
  { additionalProperties: false },
);
export type PairingStartBody = Static<typeof PairingStartBody>;

export const PairingStartResponse = Type.Object(
  {
    pairingId: Type.String(),
    code: Type.String({ description: 'Show this to the person: 8 characters, e.g. ABCD-2345' }),
    pollSecret: Type.String({ description: 'Keep this on the device: 256 random bits, base64url; claims need it' }),
    approveUrl: Type.String({ description: 'Where the person approves the device (signed in)' }),
    expiresAt: Instant,
    pollInterval: Type.Integer({ description: 'Seconds to wait between claims' }),
  },
  { additionalProperties: false },
);
export type PairingStartResponse = Static<typeof PairingStartResponse>;

export const PairingClaimBody = Type.Object(
  {
    pairingId: Type.String({ minLength: 1, maxLength: 100 }),
    pollSecret: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type PairingClaimBody = Static<typeof PairingClaimBody>;

export const PairingPendingResponse = Type.Object(
  { status: Type.Literal('pending') },
  { additionalProperties: false, description: 'Not approved yet: ask again after pollInterval seconds' },
);

export const PairingApprovedResponse = Type.Object(
  {
    status: Type.Literal('approved'),
    token: Type.String({ description: 'The device token (scope ingest), answered this once' }),
    deviceId: Type.String(),
  },
  { additionalProperties: false },
);

export const PairingApproveBody = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 20,
      description: 'The code the device shows; case and dashes or spaces do not matter',
    }),
  },
  { additionalProperties: false },
);
export type PairingApproveBody = Static<typeof PairingApproveBody>;

export const PairedDevice = Type.Object(
  { id: Type.String(), name: Type.String(), platform: Type.String() },
  { additionalProperties: false },
);

export const PairingApproveResponse = Type.Object({ device: PairedDevice }, { additionalProperties: false });

export const DeviceStatusBody = Type.Object(
  {
    queueLength: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Events waiting to be sent',
    }),
    oldestQueuedAt: Type.Union([Timestamp, Type.Null()], { description: 'When the oldest waiting event was queued' }),
    lastSyncAt: Type.Union([Timestamp, Type.Null()], { description: 'When the last batch was accepted' }),
    version: Type.String({ maxLength: 100, description: 'The agent version' }),
    watchers: Type.String({ maxLength: 200, description: 'How the watchers are doing, e.g. "x11 ok"' }),
  },
  { additionalProperties: false },
);
export type DeviceStatusBody = Static<typeof DeviceStatusBody>;

export const DeviceStatusView = Type.Object(
  {
    queueLength: Type.Integer(),
    oldestQueuedAt: Type.Union([Instant, Type.Null()]),
    lastSyncAt: Type.Union([Instant, Type.Null()]),
    version: Type.String(),
    watchers: Type.String(),
  },
  { additionalProperties: false },
);

export const DevicesResponse = Type.Object(
  {
    devices: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          name: Type.String(),
          platform: Type.String(),
          createdAt: Instant,
          lastSeenAt: Type.Union([Instant, Type.Null()]),
          revokedAt: Type.Union([Instant, Type.Null()], { description: 'When the device token was revoked' }),
          status: Type.Union([DeviceStatusView, Type.Null()], { description: "The agent's latest report" }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
